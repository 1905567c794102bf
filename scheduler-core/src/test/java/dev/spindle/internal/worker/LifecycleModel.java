package dev.spindle.internal.worker;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A miniature runtime around one {@link Lifecycle}, for model-checking it: core workers that
 * count their spawns and completions in per-worker counters, a count of awake core workers, a
 * count of live extras, a run queue that holds only a number of ready tasks, and the ground
 * truth the lifecycle's own counters stand for: how many accepted tasks are alive and how
 * many accepted blocking jobs have not yet finished or been refused.
 *
 * <p>Each runtime action updates the ground truth on the safe side of the lifecycle call (a
 * task is alive before it is counted spawned, and dead before it is counted completed), so
 * the checks below never blame the lifecycle for the model's own ordering. Nothing here wakes
 * a sleeping worker: once asleep, a worker stays asleep (no outside wakes).
 *
 * <p>The host callbacks check, at the moment the lifecycle acts:
 * <ul>
 *   <li>{@link #wakeAll} (right after the TERMINATED compare-and-set): no task is alive;</li>
 *   <li>{@link #abortSharedLog} (a cancel request, after the epoch was bumped): every core
 *       worker sleeps, no extra is alive, no accepted blocking job is left;</li>
 *   <li>{@link #lastWorkerExited}: called once, before the termination latch opens.</li>
 * </ul>
 * Everything shared is an atomic, so Lincheck switches threads at each access. A broken
 * invariant is recorded, not thrown (a throw would change what the lifecycle does next); the
 * scenario's own thread asserts on {@link #violation()} after joining its threads.
 */
final class LifecycleModel implements Lifecycle.Host {
    final Lifecycle lc;
    private final AtomicLong[] spawned;
    private final AtomicLong[] completed;
    /** Core workers not asleep. */
    final AtomicInteger awake;
    /** Extra workers alive (started and not retired). */
    final AtomicInteger extras;
    /** Ground truth: accepted tasks not yet completed (blocking jobs included). */
    final AtomicInteger alive = new AtomicInteger();
    /** Ground truth: accepted blocking jobs not yet finished or refused by the pool. */
    final AtomicInteger blocking = new AtomicInteger();
    /** Ready tasks in the run queue; any worker may take one. */
    final AtomicInteger queued = new AtomicInteger();
    final AtomicInteger wakeAlls = new AtomicInteger();
    final AtomicInteger sharedLogAborts = new AtomicInteger();
    final AtomicInteger lastExits = new AtomicInteger();
    private final AtomicBoolean allExited = new AtomicBoolean();
    private final AtomicReference<String> violation = new AtomicReference<>();

    LifecycleModel(int coreWorkers, int awakeWorkers, int extrasAlive) {
        spawned = new AtomicLong[coreWorkers];
        completed = new AtomicLong[coreWorkers];
        for (int i = 0; i < coreWorkers; i++) {
            spawned[i] = new AtomicLong();
            completed[i] = new AtomicLong();
        }
        awake = new AtomicInteger(awakeWorkers);
        extras = new AtomicInteger(extrasAlive);
        lc = new Lifecycle(this, "model", coreWorkers + extrasAlive);
    }

    // ---------------------------------------------------------------- the runtime's actions

    /**
     * A task submitted from outside: counted by the lifecycle or rejected. An accepted one is
     * alive from then on; if the run state is already TERMINATED at that point, the runtime
     * terminated with it accepted (the other half of this check is in {@link #wakeAll}).
     *
     * @param queue put it in the run queue (else it is running or waiting somewhere)
     * @return false if it was rejected
     */
    boolean submitFromOutside(boolean queue) {
        try {
            lc.acceptFromOutside();
        } catch (RejectedExecutionException e) {
            return false;
        }
        alive.incrementAndGet();
        if (lc.runState() == Lifecycle.TERMINATED) {
            fail("a task from outside was accepted, but the runtime had already terminated");
        }
        if (queue) {
            queued.incrementAndGet();
        }
        return true;
    }

    /** A task running on core worker {@code w} spawns one into the run queue; false if rejected. */
    boolean spawnFromWorker(int w) {
        try {
            lc.checkAcceptsFromWorker();
        } catch (RejectedExecutionException e) {
            return false;
        }
        alive.incrementAndGet();
        spawned[w].incrementAndGet(); // the owner's count (a release store in the runtime)
        queued.incrementAndGet();
        return true;
    }

    /** Core worker {@code w} takes a ready task, if any, and runs it to completion. */
    boolean runQueued(int w) {
        for (;;) {
            int q = queued.get();
            if (q == 0) {
                return false;
            }
            if (queued.compareAndSet(q, q - 1)) {
                complete(w);
                return true;
            }
        }
    }

    /** Core worker {@code w} completes a task it owns: dead, counted, then the termination check. */
    void complete(int w) {
        alive.decrementAndGet();
        completed[w].incrementAndGet();
        lc.terminateIfDone();
    }

    /**
     * Blocking work submitted from outside. Accepted, it is alive and "something that can still
     * run" until it finishes or the pool refuses it. If a close already cancelled the waiting
     * tasks at this point, it did so with this job accepted and not finished (the other half of
     * this check is in {@link #abortSharedLog}).
     *
     * @return false if it was rejected
     */
    boolean submitBlocking() {
        try {
            lc.acceptBlocking();
        } catch (RejectedExecutionException e) {
            return false;
        }
        blocking.incrementAndGet();
        alive.incrementAndGet();
        if (lc.runState() == Lifecycle.TERMINATED) {
            fail("blocking work was accepted, but the runtime had already terminated");
        }
        if (sharedLogAborts.get() != 0) {
            fail("close cancelled the waiting tasks while accepted blocking work was still to run");
        }
        return true;
    }

    /** An accepted blocking job runs to its end on the pool. */
    void blockingRuns() {
        alive.decrementAndGet();
        blocking.decrementAndGet();
        lc.blockingFinished();
    }

    /** The blocking pool refuses an accepted job (it was shut down meanwhile). */
    void blockingRefusedByPool() {
        alive.decrementAndGet();
        blocking.decrementAndGet();
        lc.blockingRefused();
    }

    /**
     * Core worker {@code w} has found nothing to do and goes to sleep, as the worker's park
     * path does: registered as a sleeper, then the termination check, then the close rule.
     */
    void sleep(int w) {
        awake.decrementAndGet();
        lc.terminateIfDone();
        lc.cancelIdleIfQuiet();
    }

    /** An extra worker with nothing to do retires; it may have been the last thing awake. */
    void retireExtra() {
        extras.decrementAndGet();
        lc.cancelIdleIfQuiet();
    }

    /** Starts an extra worker thread if the lifecycle allows; it must not revive a dead runtime. */
    boolean addExtraThread() {
        if (!lc.addWorker()) {
            return false;
        }
        // Counted alive from here on, so the last exit cannot happen until this one exits.
        if (allExited.get()) {
            fail("addWorker() revived a runtime whose last worker had already exited");
        }
        return true;
    }

    // ---------------------------------------------------------------- Lifecycle.Host

    @Override
    public long spawnedByWorkers() {
        long sum = 0;
        for (AtomicLong s : spawned) {
            sum += s.get();
        }
        return sum;
    }

    @Override
    public long completedByWorkers() {
        long sum = 0;
        for (AtomicLong c : completed) {
            sum += c.get();
        }
        return sum;
    }

    @Override
    public boolean workersQuiet() {
        return awake.get() == 0 && extras.get() == 0;
    }

    /** Called right after the TERMINATED compare-and-set (and after a cancel request). */
    @Override
    public void wakeAll() {
        wakeAlls.incrementAndGet();
        if (lc.runState() == Lifecycle.TERMINATED) {
            int a = alive.get();
            if (a != 0) {
                fail("terminated while " + a + " accepted task(s) were still alive");
            }
        }
    }

    /** A cancel request: the epoch is bumped first, and nothing may be able to run. */
    @Override
    public void abortSharedLog() {
        int n = sharedLogAborts.incrementAndGet();
        if (lc.cancelEpoch() < n) {
            fail("a cancel request aborted the shared log before bumping the cancel epoch");
        }
        int aw = awake.get();
        int ex = extras.get();
        int bl = blocking.get();
        if (aw != 0 || ex != 0 || bl != 0) {
            fail("waiting tasks cancelled while something could still run: " + aw + " core worker(s) awake, "
                    + ex + " extra(s) alive, " + bl + " blocking job(s) not finished");
        }
    }

    @Override
    public void lastWorkerExited() {
        allExited.set(true);
        if (lastExits.incrementAndGet() != 1) {
            fail("lastWorkerExited() called more than once");
        }
        if (lc.isTerminated()) {
            fail("the termination latch opened before the last worker released what the workers shared");
        }
    }

    // ---------------------------------------------------------------- results

    /** The first broken invariant, or null. */
    String violation() {
        return violation.get();
    }

    private void fail(String what) {
        violation.compareAndSet(null, what);
    }

    // ---------------------------------------------------------------- scenario threads
    //
    // Small classes rather than lambdas: Lincheck 3.7 cannot take the field offsets of a
    // lambda's hidden class. Results live in volatile fields, read after join().

    /**
     * Core worker 0 running a task from outside: it spawns a child into the run queue (unless
     * shut down by then) and completes the parent; with {@code carryOn} it then takes one more
     * ready task if there is one, and goes to sleep. Without, the thread ends there, and the
     * model checker resumes a preempted thread without spending one of its switches on it.
     */
    static final class ParentRunner extends Thread {
        private final LifecycleModel m;
        private final boolean carryOn;

        ParentRunner(LifecycleModel m, boolean carryOn) {
            this.m = m;
            this.carryOn = carryOn;
        }

        @Override
        public void run() {
            m.spawnFromWorker(0);
            m.complete(0);
            if (carryOn) {
                m.runQueued(0);
                m.sleep(0);
            }
        }
    }

    /** Core worker {@code w}: takes up to {@code turns} ready tasks, then goes to sleep. */
    static final class CoreWorker extends Thread {
        private final LifecycleModel m;
        private final int w;
        private final int turns;

        CoreWorker(LifecycleModel m, int w, int turns) {
            this.m = m;
            this.w = w;
            this.turns = turns;
        }

        @Override
        public void run() {
            for (int i = 0; i < turns; i++) {
                m.runQueued(w);
            }
            m.sleep(w);
        }
    }

    /** An outside caller submitting one task into the run queue. */
    static final class Submitter extends Thread {
        private final LifecycleModel m;
        volatile boolean accepted;

        Submitter(LifecycleModel m) {
            this.m = m;
        }

        @Override
        public void run() {
            accepted = m.submitFromOutside(true);
        }
    }

    /** An outside caller submitting blocking work, which then runs, or is refused by the pool. */
    static final class BlockingSubmitter extends Thread {
        private final LifecycleModel m;
        private final boolean refusedByPool;
        volatile boolean accepted;

        BlockingSubmitter(LifecycleModel m, boolean refusedByPool) {
            this.m = m;
            this.refusedByPool = refusedByPool;
        }

        @Override
        public void run() {
            accepted = m.submitBlocking();
            if (accepted) {
                if (refusedByPool) {
                    m.blockingRefusedByPool();
                } else {
                    m.blockingRuns();
                }
            }
        }
    }

    /** A blocking job accepted before the scenario, finishing on the pool. */
    static final class BlockingFinisher extends Thread {
        private final LifecycleModel m;

        BlockingFinisher(LifecycleModel m) {
            this.m = m;
        }

        @Override
        public void run() {
            m.blockingRuns();
        }
    }

    /** {@code shutdown()}, and with {@code close} then {@code close()}'s closing step. */
    static final class Closer extends Thread {
        private final LifecycleModel m;
        private final boolean close;

        Closer(LifecycleModel m, boolean close) {
            this.m = m;
            this.close = close;
        }

        @Override
        public void run() {
            m.lc.beginShutdown();
            m.lc.tryTerminate();
            if (close) {
                m.lc.beginClosing();
            }
        }
    }

    /** Core worker {@code w} finding nothing to do and going to sleep. */
    static final class Sleeper extends Thread {
        private final LifecycleModel m;
        private final int w;

        Sleeper(LifecycleModel m, int w) {
            this.m = m;
            this.w = w;
        }

        @Override
        public void run() {
            m.sleep(w);
        }
    }

    /** An extra worker retiring. */
    static final class ExtraRetirer extends Thread {
        private final LifecycleModel m;

        ExtraRetirer(LifecycleModel m) {
            this.m = m;
        }

        @Override
        public void run() {
            m.retireExtra();
        }
    }

    /** A worker thread exiting. */
    static final class Exiter extends Thread {
        private final LifecycleModel m;

        Exiter(LifecycleModel m) {
            this.m = m;
        }

        @Override
        public void run() {
            m.lc.workerExited();
        }
    }

    /** Something starting an extra worker thread, which (if it was allowed to start) then exits. */
    static final class ExtraStarter extends Thread {
        private final LifecycleModel m;
        volatile boolean started;

        ExtraStarter(LifecycleModel m) {
            this.m = m;
        }

        @Override
        public void run() {
            started = m.addExtraThread();
            if (started) {
                m.lc.workerExited();
            }
        }
    }
}
