package dev.spindle.bench.baseline;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The floor: runnables queue in one {@code ArrayDeque} and run on the thread that calls
 * {@link #drain()}, with no locks, no atomics and no other thread. {@code execute} only
 * enqueues, so a workload submits its tasks as it would to a pool and then drains; a task that
 * submits (spawn, yield, a ping-pong bounce) appends to the same deque, FIFO.
 *
 * <p>Single-threaded by contract: every call comes from the benchmark thread or from a task
 * it is draining. Workloads whose tasks come from several outside threads submit them all
 * from the benchmark thread here instead.
 */
public final class SerialExecutor extends AbstractExecutorService {
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean shutdown;

    /** An empty executor; nothing runs until {@link #drain()}. */
    public SerialExecutor() {
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        queue.addLast(command);
    }

    /** Runs queued runnables, and whatever they submit, until the deque is empty. */
    public void drain() {
        Runnable r;
        while ((r = queue.pollFirst()) != null) {
            r.run();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = List.copyOf(queue);
        queue.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    /** True once shut down with nothing queued; never waits, as no other thread could empty it. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
