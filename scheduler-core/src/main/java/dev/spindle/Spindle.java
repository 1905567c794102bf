package dev.spindle;

import dev.spindle.internal.CurrentRuntime;
import dev.spindle.internal.RuntimeServices;
import dev.spindle.internal.jmx.RuntimeBean;
import dev.spindle.internal.task.PollContext;
import dev.spindle.internal.worker.Scheduler;
import dev.spindle.internal.worker.WorkerThread;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A work-stealing, multi-threaded task runtime.
 *
 * <p>A runtime owns a fixed set of worker threads. Each worker runs tasks from its own run
 * queue, takes tasks from idle-time searches of its peers, and parks when there is nothing to
 * do. Tasks are either {@link PollFuture}s ({@link #spawn}) that return pending and are woken
 * through their {@link Waker}, or plain {@link Runnable}s ({@link #execute}), so a runtime can
 * stand wherever an {@link java.util.concurrent.ExecutorService} is expected.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A task is never polled by two threads at once, and never again after it completed.</li>
 *   <li>A wake-up is never lost: a task woken while it runs is polled once more afterwards.</li>
 *   <li>Every accepted task either runs to completion or is reported cancelled to its
 *       {@link JoinHandle}.</li>
 *   <li>A task that throws completes its handle exceptionally with that same exception; the
 *       worker carries on.</li>
 * </ul>
 *
 * <h2>Shutting down</h2>
 * {@link #shutdown()} stops accepting tasks and lets accepted ones finish; {@link #close()}
 * does the same, waits, and once no task can run any more, cancels the tasks that still wait
 * for a wake-up; {@link #shutdownNow()} cancels everything that is not running right now.
 *
 * <h2>Blocking</h2>
 * Blocking code belongs in {@link #spawnBlocking} or inside {@link Tasks#blockInPlace}. Code
 * that blocks a worker anyway (a {@code Future.get()} inside a task, say) does not deadlock the
 * runtime: while every worker that could run the queued work is blocked and nothing runs, the
 * runtime starts extra workers, which leave once idle. A poll that takes longer than the
 * {@linkplain SpindleBuilder#stallThreshold stall threshold} is reported.
 *
 * <p>Current behaviour: a woken task returns to the worker that last ran it; each worker's
 * spawn stack holds 256 tasks and its local queue 4096; a task poll gets a cooperative budget of
 * 128 units; every 61st scheduling decision a worker looks at its inbox and the global queue
 * first; a monitor thread looks at the workers every millisecond (every 50 µs while workers block
 * inside polls, backing off to 100 ms once all are idle) to find stalled and blocked ones.
 */
public final class Spindle extends AbstractExecutorService implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final Scheduler scheduler;
    private final int id = IDS.incrementAndGet();
    /** The runtime's JMX bean, registered from build to termination; null without one. */
    private final RuntimeBean jmx;

    Spindle(Scheduler.Config config) {
        this.scheduler = new Scheduler(config, this, name());
        this.jmx = config.jmx ? RuntimeBean.register(this) : null;
        if (jmx != null) {
            scheduler.onTermination(jmx::unregister);
        }
        scheduler.start();
    }

    /** A builder with defaults: one worker per available processor. */
    public static SpindleBuilder builder() {
        return new SpindleBuilder();
    }

    /**
     * The runtime whose task is running on the calling thread, or whose {@link #blockOn} the
     * calling thread is inside.
     *
     * @throws IllegalStateException if the calling thread is in no runtime
     */
    public static Spindle current() {
        Spindle rt = currentOrNull();
        if (rt == null) {
            throw new IllegalStateException(
                    "not inside a Spindle runtime: call this from a task, or use a Spindle directly");
        }
        return rt;
    }

    static Spindle currentOrNull() {
        RuntimeServices rt = CurrentRuntime.get();
        return rt != null ? (Spindle) rt.owner() : null;
    }

    /**
     * The event driver this runtime was built with ({@link SpindleBuilder#driver}), if any: how
     * {@code scheduler-io} finds its reactor from inside a task.
     */
    public java.util.Optional<dev.spindle.spi.Driver> driver() {
        return java.util.Optional.ofNullable(scheduler.driver());
    }

    /**
     * The runtime's name, {@code Spindle-<n>} with {@code n} counting runtimes built in this
     * JVM: the {@code runtime} field of its JFR events, the head of its task dump, and the
     * {@code name} key of its JMX bean (which gets a suffix if another bean holds the name).
     */
    public String name() {
        return "Spindle-" + id;
    }

    /** The number of worker threads. */
    public int workers() {
        return scheduler.workerCount();
    }

    /**
     * Starts {@code future} as a new task. From a worker thread, the task is queued on that
     * worker; from any other thread, on the shared injector.
     *
     * @throws NullPointerException if future is null
     * @throws RejectedExecutionException if the runtime is shut down
     */
    public <T> JoinHandle<T> spawn(PollFuture<T> future) {
        Objects.requireNonNull(future, "future");
        return scheduler.spawn(future);
    }

    /**
     * Runs blocking code ({@code body}) on the runtime's blocking pool, a separate set of
     * threads that grows on demand, so the workers stay free for tasks. Returns its handle:
     * poll it from a task, or use {@link JoinHandle#toCompletableFuture()}. Code on a blocking
     * thread may spawn tasks on this runtime through {@link Tasks#spawn} and may call
     * {@link #blockOn}.
     *
     * <p>Aborting the handle before the body started means it never runs; once it runs, it
     * runs to its end. {@link #shutdownNow()} cancels bodies that have not started and
     * interrupts the running ones; {@link #shutdown()} lets them all finish, and the runtime
     * terminates only after them.
     *
     * <p>Current behaviour: at most 512 threads (see {@link SpindleBuilder#maxBlockingThreads});
     * work beyond that waits in line; a thread idle for 10 s exits.
     *
     * @throws NullPointerException if body is null
     * @throws RejectedExecutionException if the runtime is shut down
     */
    public <T> JoinHandle<T> spawnBlocking(java.util.concurrent.Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return scheduler.spawnBlocking(body);
    }

    /**
     * Runs {@code command} once as a task.
     *
     * @throws NullPointerException if command is null
     * @throws RejectedExecutionException if the runtime is shut down
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        scheduler.execute(command);
    }

    /**
     * Polls {@code future} on the calling thread until it is ready and returns its value,
     * parking the thread between wake-ups. Tasks spawned through {@link Tasks#spawn} inside it
     * go to this runtime. The wait is not interruptible; an interrupt is kept for the caller.
     *
     * <p>If the future fails, this method throws what {@link CompletableFuture#join()} would, with
     * one difference: an unchecked exception or error (including a {@link
     * java.util.concurrent.CancellationException}) is rethrown as the same instance, not wrapped.
     * A checked exception (a {@link java.util.concurrent.TimeoutException} from
     * {@code Time.timeout}, an {@code IOException} from a socket) arrives wrapped in a {@link
     * CompletionException} whose cause is the original instance, so no checked exception ever
     * travels undeclared:
     * <pre>{@code
     * try {
     *     rt.blockOn(Time.timeout(work, Duration.ofSeconds(1)));
     * } catch (CompletionException e) {
     *     if (!(e.getCause() instanceof TimeoutException)) throw e;
     *     // timed out
     * }
     * }</pre>
     *
     * @throws CompletionException wrapping the checked exception the future failed with
     * @throws NullPointerException if future is null
     * @throws IllegalStateException if called on a worker thread (outside
     *     {@link Tasks#blockInPlace}), where blocking would stall the worker and the tasks
     *     queued behind it
     * @throws RejectedExecutionException if the runtime is shut down
     */
    public <T> T blockOn(PollFuture<T> future) {
        Objects.requireNonNull(future, "future");
        if (WorkerThread.onPollingWorker()) {
            throw new IllegalStateException("blockOn called from a Spindle worker thread: blocking a worker "
                    + "stalls every task queued on it; spawn the future and poll its JoinHandle instead");
        }
        if (scheduler.isShutdown()) {
            throw new RejectedExecutionException("runtime " + this + " is shut down");
        }
        RuntimeServices previous = CurrentRuntime.enterBlockOn(scheduler);
        try {
            return BlockingWaker.runToCompletion(future);
        } catch (RuntimeException | Error unchecked) {
            throw unchecked;
        } catch (Throwable checked) { // thrown undeclared through poll: declare it the JDK's way
            throw new CompletionException(checked);
        } finally {
            CurrentRuntime.exitBlockOn(previous);
        }
    }

    /**
     * A snapshot of the runtime's counters: per worker polls, schedules, steals, parks, queue
     * depths, forced yields, busy time and stalls, and runtime-wide task and queue figures.
     * Cheap enough to call every second; the counters cost the workers nothing measurable.
     */
    public dev.spindle.metrics.RuntimeMetrics metrics() {
        return scheduler.metrics();
    }

    /**
     * The tasks of this runtime: those running (with their worker thread's stack), those queued
     * (and where), and those waiting for a wake-up, each by its future's (or runnable's)
     * {@code toString()}. The dump's {@code toString()} reads like a thread dump; the runtime's
     * JMX bean offers the same text ({@code dumpTasks}).
     *
     * <p>It is taken while the runtime runs, without pausing it: every task listed was alive at
     * some moment during the call; a task that moved meanwhile may be missing, and none is listed
     * twice (see {@link dev.spindle.metrics.TaskDump}). It costs one pass over every run queue and
     * every worker's list of waiting tasks, and a stack trace of each worker thread that runs a
     * task (which stops that thread only, briefly): fine for a diagnostic now and then, not for
     * every request.
     */
    public dev.spindle.metrics.TaskDump dumpTasks() {
        return scheduler.dumpTasks();
    }

    /** Stops accepting tasks; tasks already accepted still run. Does not wait. */
    @Override
    public void shutdown() {
        scheduler.shutdown();
    }

    /**
     * Stops accepting tasks, cancels every task that is queued or waiting, and interrupts the
     * worker threads so that running tasks may stop early.
     *
     * @return the runnables given to {@link #execute} that never started
     */
    @Override
    public List<Runnable> shutdownNow() {
        return scheduler.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return scheduler.isShutdown();
    }

    /** True once shut down, every accepted task has finished, and the workers have exited. */
    @Override
    public boolean isTerminated() {
        return scheduler.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return scheduler.awaitTermination(timeout, unit);
    }

    /**
     * Shuts down and waits until the runtime has terminated and its worker threads are joined.
     * Accepted tasks that can run, run; once every worker is idle and no blocking work is left,
     * tasks still waiting for a wake-up are cancelled and their handles say so (a task waiting
     * for a timer too: its timer is removed). That includes tasks waiting for an event
     * from outside the runtime (another thread, another executor's future): a wake that races
     * with the cancellation either runs the task first or finds it cancelled. If the calling
     * thread is interrupted while waiting, it calls {@link #shutdownNow()}, keeps waiting, and
     * returns with its interrupt status set.
     *
     * <p>Like the JDK's {@code ExecutorService.close()}, this waits for running tasks, so a task
     * that never returns from its poll keeps {@code close} waiting.
     *
     * @throws IllegalStateException if called on one of this runtime's own threads (a worker
     *     or a blocking thread), which it would wait for forever
     */
    @Override
    public void close() {
        if (scheduler.onOwnThread()) {
            throw new IllegalStateException("close() called from one of the runtime's own threads, "
                    + "which it would wait for forever; call shutdown() there instead");
        }
        scheduler.close();
        boolean interrupted = false;
        for (;;) {
            try {
                if (scheduler.awaitTermination(1, TimeUnit.DAYS)) {
                    scheduler.joinWorkers();
                    break;
                }
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    scheduler.shutdownNow();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Internal: the scheduler, for tests in this module. */
    Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public String toString() {
        String state = isTerminated() ? ", terminated" : isShutdown() ? ", shut down" : "";
        return name() + "[workers=" + workers() + state + "]";
    }

    /** The waker {@code blockOn} uses: wakes by unparking the blocked thread. */
    private static final class BlockingWaker implements Waker {
        private final Thread thread = Thread.currentThread();
        private volatile boolean notified;

        static <T> T runToCompletion(PollFuture<T> future) {
            BlockingWaker w = new BlockingWaker();
            boolean interrupted = false;
            try {
                for (;;) {
                    w.notified = false;
                    Poll<T> p = future.poll(Context.of(w, PollContext.BUDGET)); // a fresh budget for each poll
                    if (p.isReady()) {
                        return p.value();
                    }
                    while (!w.notified) {
                        LockSupport.park(w);
                        if (Thread.interrupted()) {
                            interrupted = true;
                        }
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void wake() {
            if (!notified) {
                notified = true;
                LockSupport.unpark(thread);
            }
        }
    }
}
