package dev.spindle.internal.worker;

import dev.spindle.internal.StripedCounter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A runtime's life: the run state, closing and its cancel epoch, the task counts that decide
 * termination, the live worker threads, and the one check "is the runtime quiescent?". Any
 * thread may call any method; the package notes give the order of shutdown's steps.
 *
 * <h2>Counting</h2>
 * Core workers count the tasks they spawn and complete in owner-written fields (release stores,
 * no contended atomic on the spawn path), summed through {@link Host}; everything else (outside
 * spawns, blocking work, extras' tasks, cancellations by the {@code shutdownNow} caller) goes to
 * two shared counters here. An outside spawn increments before it checks the run state, so a
 * shutdown either rejects it or sees it counted. {@link #tryTerminate} fences, then reads
 * completions before spawns: a completion seen implies (through the queue hand-off) that the
 * task's spawn is visible, and a task spawned inside another is spawned before its parent
 * completes, so an alive task is never missed.
 *
 * <h2>Quiescence</h2>
 * {@link #cancelIdleIfQuiet} is the one rule behind {@code close}: once closing and nothing can
 * run any more (every core worker sleeps, no extra is alive, no blocking work is in flight), the
 * tasks still waiting for a wake-up wait for nothing, so every idle log is aborted. It is called
 * wherever the last runnable thing may have just stopped: close itself, a worker about to park,
 * an extra leaving, blocking work finishing.
 */
final class Lifecycle {
    static final int RUNNING = 0;
    static final int SHUTDOWN = 1;
    static final int STOP = 2;
    static final int TERMINATED = 3;

    /** What the lifecycle needs of the runtime around it (the scheduler; a model in tests). */
    interface Host {
        /** Tasks the core workers spawned so far (acquire reads of their counts). */
        long spawnedByWorkers();

        /** Tasks the core workers completed so far (acquire reads of their counts). */
        long completedByWorkers();

        /** Every core worker sleeps and no extra worker is alive. */
        boolean workersQuiet();

        /** Takes every worker off the sleeper stack and unparks it, so it re-reads the state. */
        void wakeAll();

        /** Aborts the tasks in the extras' shared idle log (each core log is aborted by its owner). */
        void abortSharedLog();

        /** The last worker thread is exiting: release what the workers shared (the driver). */
        void lastWorkerExited();
    }

    private static final VarHandle RUN_STATE;
    private static final VarHandle CANCEL_EPOCH;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RUN_STATE = l.findVarHandle(Lifecycle.class, "runState", int.class);
            CANCEL_EPOCH = l.findVarHandle(Lifecycle.class, "cancelEpoch", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Host host;
    private final Object owner;

    @SuppressWarnings("unused") // accessed through RUN_STATE
    private volatile int runState = RUNNING;
    private volatile boolean closing;
    /** Bumped to make every worker abort the tasks in its idle log. */
    @SuppressWarnings("unused") // accessed through CANCEL_EPOCH
    private volatile int cancelEpoch;
    /** Striped: many outside threads submit at once, and each counts here per task. */
    private final StripedCounter outsideSpawned;
    private final AtomicLong outsideCompleted = new AtomicLong();
    /** Blocking jobs accepted and not finished: while any is, a waiting task may still be woken. */
    private final AtomicInteger blockingInFlight = new AtomicInteger();
    private final AtomicInteger liveWorkers;
    private final CountDownLatch terminated = new CountDownLatch(1);

    /** @param owner what rejection messages name (the public runtime) */
    Lifecycle(Host host, Object owner, int coreWorkers) {
        this.host = host;
        this.owner = owner;
        this.liveWorkers = new AtomicInteger(coreWorkers);
        this.outsideSpawned = new StripedCounter(StripedCounter.stripesFor(coreWorkers));
    }

    int runState() {
        return runState;
    }

    boolean isShutdown() {
        return runState >= SHUTDOWN;
    }

    boolean isStopping() {
        return runState >= STOP;
    }

    /** Every worker thread has exited (the latch), which comes after the run state became TERMINATED. */
    boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    // ------------------------------------------------------------------ accepting tasks

    /**
     * Counts a task submitted from outside the core workers, or rejects it. Count first, then
     * check (seq-cst both), so termination never misses an accepted task.
     */
    void acceptFromOutside() {
        outsideSpawned.increment();
        if (runState != RUNNING) {
            outsideCompleted.incrementAndGet(); // never accepted: balance the count
            tryTerminate();
            throw rejected();
        }
    }

    /** A core worker's task spawns one: rejected once shut down (the worker counts it itself). */
    void checkAcceptsFromWorker() {
        if (runState != RUNNING) {
            throw rejected();
        }
    }

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException("runtime " + owner + " is shut down and accepts no new tasks");
    }

    /** An extra worker's task spawned one (extras count through the shared counters). */
    void countOutsideSpawn() {
        outsideSpawned.increment();
    }

    /**
     * A completion not counted by a core worker: an extra's task, or one cancelled by shutdownNow.
     * The caller then calls {@link #terminateIfDone} (or, after a batch, {@link #tryTerminate}).
     */
    void countOutsideCompletion() {
        outsideCompleted.incrementAndGet();
    }

    /** After a completion was counted, or a worker registered as a sleeper: terminate if it was the last. */
    void terminateIfDone() {
        if (runState >= SHUTDOWN) {
            tryTerminate();
        }
    }

    // ------------------------------------------------------------------ blocking work

    /**
     * Blocking work accepted: counted like an outside spawn, and "something can still run". In
     * flight before the run-state check, so a close that sees the runtime quiescent never
     * overlooks work it has accepted; a rejected job takes itself out again and re-applies the
     * close rule it may have held up.
     */
    void acceptBlocking() {
        blockingInFlight.incrementAndGet();
        try {
            acceptFromOutside();
        } catch (RejectedExecutionException e) {
            blockingInFlight.decrementAndGet();
            cancelIdleIfQuiet();
            throw e;
        }
    }

    /** The pool refused work that {@link #acceptBlocking} had counted: perhaps the last thing close waited for. */
    void blockingRefused() {
        blockingInFlight.decrementAndGet();
        outsideCompleted.incrementAndGet();
        cancelIdleIfQuiet();
        tryTerminate();
    }

    /** A blocking job ran to its end: perhaps the last thing that could wake a waiting task. */
    void blockingFinished() {
        blockingInFlight.decrementAndGet();
        outsideCompleted.incrementAndGet();
        cancelIdleIfQuiet();
        terminateIfDone();
    }

    /**
     * shutdownNow took a blocking job that never started; its cancellation is counted as usual.
     * No close rule here: shutdownNow requests the cancel itself.
     */
    void blockingDropped() {
        blockingInFlight.decrementAndGet();
    }

    // ------------------------------------------------------------------ shutdown, close, stop

    /** Stops accepting tasks. The caller then lets the blocking pool drain and calls {@link #tryTerminate}. */
    void beginShutdown() {
        advanceRunState(SHUTDOWN);
    }

    /** Closing (after shutdown): waiting tasks are cancelled once nothing can run. */
    void beginClosing() {
        closing = true;
        cancelIdleIfQuiet();
    }

    /** STOP: futures dequeued from now on are cancelled, not polled. The caller then calls {@link #tryTerminate}. */
    void beginStop() {
        advanceRunState(STOP);
    }

    private void advanceRunState(int target) {
        for (;;) {
            int s = runState;
            if (s >= target || RUN_STATE.compareAndSet(this, s, target)) {
                return;
            }
        }
    }

    /**
     * Nothing can run any more: every core worker sleeps, no extra runs, no blocking work is left.
     * Pending timers do not count: a task sleeping for an hour, or ticking an endless interval,
     * must not keep close waiting; cancelling it drops its timer.
     */
    boolean quiescent() {
        return blockingInFlight.get() == 0 && host.workersQuiet();
    }

    /** The close rule: closing and quiescent, so cancel what waits (see the class notes). */
    void cancelIdleIfQuiet() {
        if (closing && quiescent()) {
            requestCancelIdle();
        }
    }

    /**
     * Makes every worker abort the tasks in its idle log (each log is touched only by its owner,
     * so each worker does its own when it sees the new epoch); the extras' shared log is aborted
     * here. The aborted tasks are then completed as cancelled like any other.
     */
    void requestCancelIdle() {
        int unused = (int) CANCEL_EPOCH.getAndAdd(this, 1); // typed, so the call matches exactly
        host.abortSharedLog();
        host.wakeAll();
    }

    /** The cancel epoch: a worker that has acted on an older one aborts its idle log. */
    int cancelEpoch() {
        return cancelEpoch;
    }

    /** Terminates once shut down and every accepted task has completed. Any thread. */
    void tryTerminate() {
        int s = runState;
        if (s == RUNNING || s == TERMINATED) {
            return;
        }
        // StoreLoad: pairs this caller's earlier stores (a shutdown's run state, an outside
        // completion's count) with other completers'. A core worker's completion is a release
        // store read before the caller's read of the run state, so its race with a concurrent
        // shutdown is closed by the worker's next sleep registration (a full fence, then
        // terminateIfDone), not by this fence.
        VarHandle.fullFence();
        if (unfinishedTasks() != 0) {
            return;
        }
        for (;;) {
            s = runState;
            if (s == TERMINATED) {
                return;
            }
            if (RUN_STATE.compareAndSet(this, s, TERMINATED)) {
                break;
            }
        }
        host.wakeAll();
    }

    /**
     * Tasks accepted and not yet completed. Completions are read first: a completion seen implies
     * its task's spawn is seen (see the class notes), so the answer is never below the truth;
     * exact when the caller has fenced and no task is running.
     */
    long unfinishedTasks() {
        long done = outsideCompleted.get() + host.completedByWorkers();
        long spawned = outsideSpawned.sum() + host.spawnedByWorkers();
        return spawned - done;
    }

    // ------------------------------------------------------------------ worker threads

    /** One more worker thread (an extra) before it starts; false once every worker has exited. */
    boolean addWorker() {
        for (;;) {
            int live = liveWorkers.get();
            if (live == 0) {
                return false; // never revive a runtime whose workers have all gone
            }
            if (liveWorkers.compareAndSet(live, live + 1)) {
                return true;
            }
        }
    }

    /** A worker thread exits; the last one releases what they shared and opens the latch. */
    void workerExited() {
        if (liveWorkers.decrementAndGet() == 0) {
            host.lastWorkerExited();
            terminated.countDown();
        }
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }
}
