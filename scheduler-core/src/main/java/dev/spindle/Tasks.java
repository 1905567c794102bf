package dev.spindle;

import dev.spindle.internal.worker.WorkerThread;

import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Helpers for code running inside a task: spawn onto the current runtime, and yield. */
public final class Tasks {
    private Tasks() {
    }

    /**
     * Spawns {@code future} on the runtime the calling task runs on (or whose
     * {@link Spindle#blockOn} the caller is inside).
     *
     * @throws NullPointerException if future is null
     * @throws IllegalStateException if the caller is not inside a runtime
     * @throws java.util.concurrent.RejectedExecutionException if that runtime is shut down
     */
    public static <T> JoinHandle<T> spawn(PollFuture<T> future) {
        Objects.requireNonNull(future, "future");
        return Spindle.current().spawn(future);
    }

    /**
     * A future that is pending on its first poll (waking its task at once, so the task goes to
     * the back of its worker's queue and its peers run) and ready on the next. It spends one
     * unit of the cooperative budget.
     */
    public static PollFuture<Void> yieldNow() {
        return new YieldNow();
    }

    /**
     * The allocation-free form of a yield, for hand-written futures: wakes the task and returns
     * pending, so the caller's future is polled again after the worker's other queued tasks.
     */
    public static <T> Poll<T> yieldPending(Context cx) {
        cx.consumeBudget(); // spent or not, the task is woken below and yields
        cx.waker().wake();
        return Poll.pending();
    }

    /**
     * Runs blocking code inside a task without starving the tasks queued behind it: the
     * calling worker first hands its queued tasks to its peers (waking one, or starting an
     * extra worker if none is free), and while {@code body} runs, tasks spawned or woken on
     * this thread go to the other workers. The task's own poll then carries on on this thread.
     * Called outside a runtime's worker, it simply runs {@code body}.
     *
     * <p>Use it for blocking calls that are hard to move elsewhere (a lock, a {@code
     * Future.get()}, file I/O); for independent blocking work, {@link Spindle#spawnBlocking}
     * keeps workers free altogether. Exceptions from {@code body} propagate as they are, declared
     * as {@code body} declares them.
     *
     * @throws NullPointerException if body is null
     */
    public static <T, E extends Exception> T blockInPlace(Blocking<T, E> body) throws E {
        Objects.requireNonNull(body, "body");
        return WorkerThread.blockInPlace(body::run);
    }

    /**
     * Waits for {@code future} as {@link #blockInPlace(Blocking)} runs blocking code: the worker's
     * queued tasks go to its peers first. It throws what {@link Future#get()} throws, so the
     * JDK's own {@code catch (InterruptedException | ExecutionException e)} compiles around it
     * ({@code blockInPlace(future::get)} would infer {@code throws Exception}).
     *
     * @return the future's value
     * @throws InterruptedException if the thread was interrupted while waiting
     * @throws ExecutionException if the future failed; its cause is the failure
     * @throws java.util.concurrent.CancellationException if the future was cancelled
     * @throws NullPointerException if future is null
     */
    public static <T> T blockInPlace(Future<T> future) throws InterruptedException, ExecutionException {
        Objects.requireNonNull(future, "future");
        try {
            return WorkerThread.blockInPlace(future::get);
        } catch (InterruptedException | ExecutionException | RuntimeException e) {
            throw e;
        } catch (Exception notFromGet) { // Future.get declares only the two above
            throw new IllegalStateException(notFromGet);
        }
    }

    /**
     * Blocking code for {@link #blockInPlace}: a {@code Callable} whose checked exception type
     * is inferred, so a body that throws nothing checked needs no {@code try}.
     *
     * @param <T> the result type
     * @param <E> the exception type the body may throw
     */
    @FunctionalInterface
    public interface Blocking<T, E extends Exception> {
        /** Runs the blocking code. */
        T run() throws E;
    }

    private static final class YieldNow implements PollFuture<Void> {
        private boolean yielded;

        @Override
        public Poll<Void> poll(Context cx) {
            if (yielded) {
                return Poll.ready(null);
            }
            yielded = true;
            return yieldPending(cx);
        }
    }
}
