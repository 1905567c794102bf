package dev.spindle.internal.worker;

import dev.spindle.Poll;
import dev.spindle.internal.queue.Inbox;
import dev.spindle.internal.queue.Injector;
import dev.spindle.internal.queue.LocalQueue;
import dev.spindle.internal.task.PollContext;
import dev.spindle.internal.task.RunnableCell;
import dev.spindle.internal.task.TaskCell;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.lang.invoke.MethodHandles;
import java.util.IdentityHashMap;
import java.lang.invoke.VarHandle;

/*
 * A worker's fields in four groups, each on cache lines of its own (superclass fields come first
 * in the object, and the pads keep the groups 128 bytes apart):
 *   WorkerCold    final, read by every thread on every spawn and wake (queues, scheduler)
 *   WorkerOwner   written by the owner on every task (tick, counts): no other thread writes
 *   WorkerShared  written by several threads (the LIFO slot, the sleeping flag)
 *   Worker        the owner's private state (context, idle log)
 * Without the split, a wake's CAS on the LIFO slot invalidated the line that every spawn reads
 * the scheduler from.
 */

/** Padding before a worker's fields, so they share no line with the previous object. */
abstract class WorkerPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** Fields read by everybody: final, or (blockedInPlace) written rarely. */
abstract class WorkerCold extends WorkerPad0 {
    final int index;
    final Scheduler scheduler;
    final LocalQueue<TaskCell<?>> local;
    final Inbox<TaskCell<?>> inbox;
    final Parker parker;
    /** A compensation worker, started while others block; see the package notes. */
    final boolean extra;
    /**
     * Set by the owner around a blocking section ({@code Tasks.blockInPlace}): the thread then
     * acts as an outside thread, and its queues are left to peers.
     */
    volatile boolean blockedInPlace;

    WorkerCold(Scheduler scheduler, int index, int localCapacity, int inboxCapacity, boolean extra) {
        this.scheduler = scheduler;
        this.index = index;
        this.extra = extra;
        this.local = new LocalQueue<>(localCapacity);
        this.inbox = new Inbox<>(inboxCapacity);
        this.parker = new Parker(scheduler.driver);
    }
}

abstract class WorkerPad1 extends WorkerCold {
    long p20, p21, p22, p23, p24, p25, p26, p27;
    long p30, p31, p32, p33, p34, p35, p36, p37;

    WorkerPad1(Scheduler scheduler, int index, int localCapacity, int inboxCapacity, boolean extra) {
        super(scheduler, index, localCapacity, inboxCapacity, extra);
    }
}

/** Fields written only by the owning worker thread, on its hot path. */
abstract class WorkerOwner extends WorkerPad1 {
    int tick;
    int lifoStreak;
    boolean searching;
    int seed;
    /** Tasks this worker spawned / completed: written with release, summed by termination. */
    long spawned;
    long completed;
    // Counters (read racily by metrics and tests).
    long polls;
    long steals;
    long stolenTasks;
    long parks;
    long unparks;
    long overflows;
    /** Tasks this worker queued onto itself: spawns and wakes on its own thread, requeues. */
    long localSchedules;
    /** Tasks that reached this worker from its inbox or the injector. */
    long remoteSchedules;
    /** Nanoseconds spent awake, up to {@code awakeSince} (which is 0 while parked). */
    long busyNanos;
    long awakeSince;
    /** Stalls reported; written by the monitor thread only. */
    volatile long stalls;

    WorkerOwner(Scheduler scheduler, int index, int localCapacity, int inboxCapacity, boolean extra) {
        super(scheduler, index, localCapacity, inboxCapacity, extra);
    }
}

abstract class WorkerPad2 extends WorkerOwner {
    long p40, p41, p42, p43, p44, p45, p46, p47;
    long p50, p51, p52, p53, p54, p55, p56, p57;

    WorkerPad2(Scheduler scheduler, int index, int localCapacity, int inboxCapacity, boolean extra) {
        super(scheduler, index, localCapacity, inboxCapacity, extra);
    }
}

/** Fields that several threads write. */
abstract class WorkerShared extends WorkerPad2 {
    /** The task woken last by this worker, run next. Owner swaps it; thieves may take it. */
    volatile TaskCell<?> lifo;
    /** Changed under the Idle lock; read without it. */
    volatile boolean sleeping;
    /** Written under the Idle lock before {@code sleeping} is cleared; read after. */
    boolean wakeAsSearcher;

    WorkerShared(Scheduler scheduler, int index, int localCapacity, int inboxCapacity, boolean extra) {
        super(scheduler, index, localCapacity, inboxCapacity, extra);
    }
}

abstract class WorkerPad3 extends WorkerShared {
    long p60, p61, p62, p63, p64, p65, p66, p67;
    long p70, p71, p72, p73, p74, p75, p76, p77;

    WorkerPad3(Scheduler scheduler, int index, int localCapacity, int inboxCapacity, boolean extra) {
        super(scheduler, index, localCapacity, inboxCapacity, extra);
    }
}

/**
 * One worker: its queues, its LIFO slot and its loop. See {@code package-info} for who touches
 * what.
 */
final class Worker extends WorkerPad3 {
    static final int FAIRNESS_INTERVAL = 61;
    static final int MAX_LIFO_STREAK = 3;
    static final int BUDGET = 128;
    /**
     * Whether the optional per-task counters (local and remote schedules) are kept. Always on
     * for users; the system property {@code spindle.metrics.disabled} exists only so that a
     * benchmark can show what they cost. A static final, so the JIT folds the tests away.
     */
    static final boolean COUNT = !Boolean.getBoolean("spindle.metrics.disabled");
    /** Idle rounds before parking: the strategy's spins, then its yields (no timed parks). */
    private static final int SPIN_ROUNDS = 24;
    /** Peers' queues are looked at every this many idle rounds, not to steal their cache lines. */
    private static final int PEER_CHECK_EVERY = 4;
    /**
     * How often a sleeper re-checks for work while another worker is awake: the bound on how
     * long a task can wait behind a busy worker when no wake-up reached a sleeper (a local
     * push racing with a peer falling asleep, or a task in a busy worker's LIFO slot).
     */
    static final long RECHECK_NANOS = 1_000_000;
    /** Rounds of {@link #RECHECK_NANOS} an extra worker waits for work before it leaves. */
    private static final int EXTRA_LINGER_ROUNDS = 20;

    private static final VarHandle LIFO;
    private static final VarHandle SPAWNED;
    private static final VarHandle COMPLETED;
    private static final VarHandle POLLS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LIFO = l.findVarHandle(WorkerShared.class, "lifo", TaskCell.class);
            SPAWNED = l.findVarHandle(WorkerOwner.class, "spawned", long.class);
            COMPLETED = l.findVarHandle(WorkerOwner.class, "completed", long.class);
            POLLS = l.findVarHandle(WorkerOwner.class, "polls", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final PollContext cx = new PollContext();
    private final BackoffIdleStrategy spinner = new BackoffIdleStrategy(16, 8, 1, 1);

    WorkerThread thread;

    /**
     * Tasks that returned pending on this worker, so close/shutdownNow can cancel tasks whose
     * wake-up may never come. Owner-only; completed and moved-away entries are dropped lazily
     * when it fills.
     */
    private TaskCell<?>[] idleLog = new TaskCell<?>[64];
    private int idleLogSize;
    /** The scheduler's cancel epoch this worker has acted on. */
    private int seenCancelEpoch;
    /** Links an overflow batch into a chain for the injector; owner-only, reused. */
    private final ChainBuilder overflowChain = new ChainBuilder();

    Worker(Scheduler scheduler, int index, int localCapacity, int inboxCapacity, boolean extra) {
        super(scheduler, index, localCapacity, inboxCapacity, extra);
        this.seed = 0x9E3779B9 * (index + 1);
    }

    // ------------------------------------------------------------------ the loop

    void run() {
        awakeSince = System.nanoTime();
        try {
            for (;;) {
                int rs = scheduler.runState();
                if (rs == Scheduler.TERMINATED) {
                    break;
                }
                if (rs != Scheduler.RUNNING && cancelRequested()) {
                    abortLoggedTasks();
                }
                TaskCell<?> t = nextTask();
                if (t == null) {
                    t = search();
                }
                if (t != null) {
                    if (searching) {
                        endSearching();
                    }
                    runTask(t);
                    continue;
                }
                if (extra) {
                    if (lingerThenRetire()) {
                        break;
                    }
                    continue;
                }
                idleThenPark();
            }
        } finally {
            scheduler.workerExited(this);
        }
    }

    /** Own work first: LIFO slot (bounded streak), local queue, inbox, injector. */
    private TaskCell<?> nextTask() {
        if (++tick % FAIRNESS_INTERVAL == 0) {
            scheduler.time.fireExpired(); // one volatile read when no timer is pending
            scheduler.pollDriver(); // events for tasks here land in this worker's queues
            TaskCell<?> t = pollInboxBatch();
            if (t == null) {
                t = pollInjectorBatch();
            }
            if (t != null) {
                lifoStreak = 0;
                return t;
            }
        }
        TaskCell<?> l = (TaskCell<?>) LIFO.getAcquire(this);
        if (l != null) {
            l = (TaskCell<?>) LIFO.getAndSet(this, null);
            if (l != null) {
                if (lifoStreak < MAX_LIFO_STREAK) {
                    lifoStreak++;
                    return l;
                }
                pushLocal(l); // the streak is spent: to the back of the line
            }
        }
        lifoStreak = 0;
        TaskCell<?> t = local.poll();
        if (t == null) {
            t = pollInbox();
            if (t == null) {
                t = pollInjectorBatch();
            }
        }
        return t;
    }

    private TaskCell<?> pollInbox() {
        TaskCell<?> t = inbox.poll();
        if (COUNT && t != null) {
            remoteSchedules++;
        }
        return t;
    }

    /**
     * One task from the inbox to run, and the rest (up to half a local queue, and no more than
     * it has room for) to the back of the local queue. One task per fairness check would let a
     * worker whose local queue never empties (say, refilled by its own I/O events) leave
     * tasks woken by others waiting 61 polls each; a batch waits one pass of the local queue.
     */
    private TaskCell<?> pollInboxBatch() {
        TaskCell<?> first = inbox.poll();
        if (first == null) {
            return null;
        }
        int room = Math.min(local.capacity() - local.size(), local.capacity() / 2);
        int moved = 0;
        TaskCell<?> t;
        while (moved < room && (t = inbox.poll()) != null) {
            if (!local.offer(t)) {
                pushLocal(t); // cannot happen (only this thread adds), but never drop a task
            }
            moved++;
        }
        if (COUNT) {
            remoteSchedules += 1 + moved;
        }
        return first;
    }

    /**
     * One task from the injector to run, and a fair share of the rest (size / workers, at most
     * half a local queue, and no more than the local queue has room for) into the local queue.
     * Taking a share at every fairness check, not one task, is what evens out a burst of
     * outside submissions that one worker happened to meet first.
     */
    private TaskCell<?> pollInjectorBatch() {
        Injector injector = scheduler.injector;
        if (injector.isEmpty()) {
            return null;
        }
        int share = injector.size() / scheduler.workers.length + 1;
        int before = local.size();
        int room = local.capacity() - before;
        TaskCell<?> t = injector.pollBatch(local, Math.max(1, Math.min(share, Math.min(room, local.capacity() / 2))));
        if (COUNT && t != null) {
            remoteSchedules += 1 + Math.max(0, local.size() - before);
        }
        return t;
    }

    /** Steal from peers: local queues and inboxes from a random start, then LIFO slots. */
    private TaskCell<?> search() {
        Worker[] all = scheduler.all;
        int n = all.length;
        if (n == 1) {
            return null;
        }
        if (!searching && !extra) {
            if (!scheduler.idle.tryStartSearching()) {
                return null;
            }
            searching = true;
        }
        int start = nextRandom(n);
        for (int i = 0; i < n; i++) {
            Worker v = all[(start + i) % n];
            if (v == this) {
                continue;
            }
            TaskCell<?> t = v.local.stealHalfInto(local);
            if (t == null) {
                t = v.inbox.stealHalfInto(local);
            }
            if (t != null) {
                steals++;
                stolenTasks += 1 + local.size();
                return t;
            }
        }
        TaskCell<?> t = pollInjectorBatch();
        if (t != null) {
            return t;
        }
        // Last resort: a LIFO slot whose owner may be stuck in a long poll.
        for (int i = 0; i < n; i++) {
            Worker v = all[(start + i) % n];
            if (v != this && (TaskCell<?>) LIFO.getAcquire(v) != null) {
                t = (TaskCell<?>) LIFO.getAndSet(v, null);
                if (t != null) {
                    steals++;
                    stolenTasks++;
                    return t;
                }
            }
        }
        return null;
    }

    private void endSearching() {
        searching = false;
        if (scheduler.idle.stopSearching()) {
            scheduler.notifyParked(); // last searcher found work: more may be coming
        }
    }

    private int nextRandom(int n) {
        int x = seed;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        seed = x;
        return (x & Integer.MAX_VALUE) % n;
    }

    // ------------------------------------------------------------------ running a task

    private void runTask(TaskCell<?> t) {
        if (t instanceof RunnableCell) {
            runRunnable((RunnableCell) t);
            return;
        }
        // A task whose waker was never handed out cannot be woken during its poll, so it is
        // polled without claiming RUNNING: a run-to-completion task then costs one CAS, at the
        // end. The poll claims RUNNING itself the moment it asks for its waker (PollContext).
        int s = t.stateOnDequeue();
        boolean claimed = (s & (TaskCell.ESCAPED | TaskCell.RUNNING)) != 0;
        boolean stopping = scheduler.runState() >= Scheduler.STOP;
        if (claimed ? t.transitionToRunning() == TaskCell.ToRunning.CANCEL || stopping
                : (s & TaskCell.CANCELLED) != 0 || stopping) {
            // After shutdownNow, futures are cancelled (a runnable that this worker dequeued was
            // not among those shutdownNow returned, so runRunnable runs it rather than drop it).
            finishCancelled(t);
            return;
        }
        POLLS.setOpaque(this, polls + 1); // read by the monitor
        if (!extra) {
            t.home = this; // an extra is a guest: wakes keep going to a core worker
        }
        cx.enter(t, BUDGET, claimed);
        Poll<?> p;
        try {
            p = t.pollTask(cx);
        } catch (Throwable e) {
            cx.exit();
            if (!t.completeExceptionally(e)) {
                scheduler.reportUncaught(t, e);
            }
            taskCompleted();
            clearInterruptUnlessStopping();
            return;
        }
        cx.exit();
        if (p.isReady()) {
            complete(t, p.value(), cx.claimed);
            taskCompleted();
            clearInterruptUnlessStopping();
            return;
        }
        // Log before giving the task up: once idle, another thread may own it.
        if (t.loggedBy != this) {
            logWaiting(t);
        }
        switch (t.transitionToIdle(cx.wokeItself, cx.claimed)) {
            case IDLE:
                break;
            case REQUEUE:
                if (COUNT) {
                    localSchedules++;
                }
                pushLocal(t); // woken during its own poll (a yield): back of the line
                notifyAfterLocalPush();
                break;
            case CANCEL:
                finishCancelled(t);
                break;
            default:
                throw new AssertionError();
        }
        clearInterruptUnlessStopping();
    }

    /**
     * A runnable from {@code execute}: nobody holds a handle to it, it never sees a waker, and it
     * is never pending, so no other thread ever reads or writes its state word. It runs, and is
     * counted, with no atomic operation on the cell at all (a dequeue is exclusive, even against
     * shutdownNow's drain; after STOP it still runs, as runTask explains).
     */
    private void runRunnable(RunnableCell t) {
        POLLS.setOpaque(this, polls + 1);
        cx.enter(t, BUDGET, false); // for the monitor's stall checks
        try {
            t.runnable().run();
        } catch (Throwable e) {
            scheduler.reportUncaught(t, e);
        }
        cx.exit();
        taskCompleted();
        clearInterruptUnlessStopping();
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(TaskCell<T> t, Object value, boolean claimed) {
        t.completeWith((T) value, claimed);
    }

    /** Completes a task this worker owns through RUNNING as cancelled. */
    private void finishCancelled(TaskCell<?> t) {
        t.completeCancelled();
        taskCompleted();
    }

    private void taskCompleted() {
        if (extra) {
            scheduler.countExternalCompletion();
        } else {
            COMPLETED.setRelease(this, completed + 1);
        }
        if (scheduler.runState() >= Scheduler.SHUTDOWN) {
            scheduler.tryTerminate();
        }
    }

    private void clearInterruptUnlessStopping() {
        if (Thread.interrupted() && scheduler.runState() >= Scheduler.STOP) {
            thread.interrupt();
        }
    }

    // ------------------------------------------------------------------ scheduling onto this worker

    /** A task spawned by the task this worker is running. */
    void spawnLocal(TaskCell<?> t) {
        if (extra) {
            scheduler.countExternalSpawn();
        } else {
            SPAWNED.setRelease(this, spawned + 1);
        }
        if (COUNT) {
            localSchedules++;
        }
        if (LIFO.getAcquire(this) == null) {
            // Runs next, while it and its spawner are in cache: a ping-pong pair, a chain. Only
            // the owner fills the slot, so filling an empty one needs no atomic.
            LIFO.setRelease(this, t);
        } else {
            // A burst of spawns queues in order behind the first, with no atomic per spawn.
            pushLocal(t);
            notifyAfterLocalPush();
        }
    }

    /**
     * A local-queue offer is only a release store, and no fence follows it: the read of the idle
     * state may pass it, and a peer falling asleep at that instant may miss the task. Sleepers
     * close that gap themselves (they re-check every {@link #RECHECK_NANOS} while a peer is
     * awake), which keeps a full fence off every spawn.
     */
    private void notifyAfterLocalPush() {
        scheduler.notifyParked();
    }

    /**
     * Into the LIFO slot: a task woken, or spawned, on this worker's own thread. The task it
     * displaces goes to the back of the local queue.
     *
     * <p>Only the owner puts tasks in the slot; thieves only ever swap a task out for null. So
     * an empty slot can be filled with a plain release store, and only displacing a task needs
     * a compare-and-set (which fails only if a thief took that task meanwhile).
     */
    void scheduleLifo(TaskCell<?> t) {
        if (COUNT) {
            localSchedules++;
        }
        TaskCell<?> prev = (TaskCell<?>) LIFO.getAcquire(this);
        if (prev == null) {
            LIFO.setRelease(this, t);
            return;
        }
        if (LIFO.compareAndSet(this, prev, t)) {
            pushLocal(prev);
            notifyAfterLocalPush();
        } else {
            LIFO.setRelease(this, t); // a thief emptied it
        }
    }

    /** Owner only: local queue, or half of it to the injector when full. */
    void pushLocal(TaskCell<?> t) {
        if (!local.offer(t)) {
            overflow(t);
        }
    }

    /** The local queue is full: its older half and {@code t} go to the injector in one batch. */
    private void overflow(TaskCell<?> t) {
        overflows++;
        ChainBuilder chain = overflowChain;
        local.drain(chain, local.capacity() / 2);
        chain.accept(t);
        scheduler.injector.pushChain(chain.first, chain.last, chain.count);
        chain.reset();
        scheduler.notifyParked(); // the injector's size write is volatile: no fence needed
    }

    /** Links tasks through queueNext, oldest first. */
    private static final class ChainBuilder implements java.util.function.Consumer<TaskCell<?>> {
        TaskCell<?> first;
        TaskCell<?> last;
        int count;

        @Override
        public void accept(TaskCell<?> t) {
            t.queueNext = null;
            if (last == null) {
                first = t;
            } else {
                last.queueNext = t;
            }
            last = t;
            count++;
        }

        void reset() {
            first = null;
            last = null;
            count = 0;
        }
    }

    // ------------------------------------------------------------------ the idle log

    private void logWaiting(TaskCell<?> t) {
        if (extra) {
            scheduler.logOrphan(t); // an extra's log would leave with it
            return;
        }
        t.loggedBy = this;
        if (idleLogSize == idleLog.length) {
            compactIdleLog();
        }
        idleLog[idleLogSize++] = t;
    }

    /** Drops finished tasks, tasks now logged by another worker, and duplicates; grows if needed. */
    private void compactIdleLog() {
        IdentityHashMap<TaskCell<?>, Boolean> kept = new IdentityHashMap<>();
        int n = 0;
        for (int i = 0; i < idleLogSize; i++) {
            TaskCell<?> t = idleLog[i];
            idleLog[i] = null;
            // A racy read of loggedBy: a stale "this" keeps a harmless duplicate; another
            // worker's name means that worker has logged it (it writes loggedBy, then logs).
            if (!t.isFinished() && t.loggedBy == this && kept.put(t, Boolean.TRUE) == null) {
                idleLog[n++] = t;
            }
        }
        idleLogSize = n;
        if (n > idleLog.length / 2) {
            idleLog = java.util.Arrays.copyOf(idleLog, idleLog.length * 2);
        }
    }

    /** Aborts every logged task (close found nothing left to run, or shutdownNow). */
    private void abortLoggedTasks() {
        seenCancelEpoch = scheduler.cancelEpoch();
        for (int i = 0; i < idleLogSize; i++) {
            TaskCell<?> t = idleLog[i];
            idleLog[i] = null;
            t.abort(); // harmless on a finished task, or one another worker also aborts
        }
        idleLogSize = 0;
    }

    long lvSpawned() {
        return (long) SPAWNED.getAcquire(this);
    }

    long lvCompleted() {
        return (long) COMPLETED.getAcquire(this);
    }

    /** Anything for this worker to run without stealing. Any thread (a racy estimate). */
    boolean hasOwnWork() {
        return LIFO.getAcquire(this) != null || !local.isEmpty() || !inbox.isEmpty();
    }

    /** Takes everything queued on this worker (shutdownNow); any thread. */
    void drainAll(java.util.function.Consumer<TaskCell<?>> sink) {
        TaskCell<?> l = (TaskCell<?>) LIFO.getAndSet(this, null);
        if (l != null) {
            sink.accept(l);
        }
        TaskCell<?> t;
        while ((t = local.poll()) != null) {
            sink.accept(t);
        }
        while ((t = inbox.poll()) != null) {
            sink.accept(t);
        }
    }

    // ------------------------------------------------------------------ idling

    private void idleThenPark() {
        spinner.reset();
        for (int i = 1; i <= SPIN_ROUNDS; i++) {
            spinner.idle();
            boolean work = i % PEER_CHECK_EVERY == 0
                    ? workForMe()
                    : hasOwnWork() || !scheduler.injector.isEmpty();
            if (work || scheduler.runState() == Scheduler.TERMINATED) {
                return;
            }
        }
        boolean wasSearching = searching;
        searching = false;
        Idle idle = scheduler.idle;
        if (idle.toSleeping(this, wasSearching) && scheduler.anyWork()) {
            scheduler.notifyParked(); // the last searcher leaves: hand the search on
        }
        // toSleeping's locked update is a full fence, so this sees a shutdown whose own
        // termination check missed our last completion count (a release store).
        if (scheduler.runState() >= Scheduler.SHUTDOWN) {
            scheduler.tryTerminate();
        }
        // Re-check after registering: pairs with producers' offer-then-read-state, and with a
        // cancel request whose wake-all ran while this worker was still spinning.
        if (workForMe() || scheduler.runState() == Scheduler.TERMINATED || cancelRequested()) {
            cancelSleep();
            return;
        }
        if (scheduler.closing && scheduler.allAsleep()) {
            // Nothing can run: what waits, waits for nothing. Every worker is woken to abort
            // the tasks in its own log (this one included: its sleeping flag is cleared).
            scheduler.requestCancelIdle();
        }
        busyNanos += System.nanoTime() - awakeSince;
        awakeSince = 0;
        while (sleeping) {
            parks++;
            // While some worker is awake, re-check now and then: a task queued behind a busy
            // peer must not wait for that peer.
            boolean timed = !scheduler.allAsleep();
            boolean keeper = scheduler.holdDriver(this);
            if (keeper) {
                // This worker keeps the time (and the I/O driver, if any): it parks until the
                // earliest timer, and is unparked early when an earlier one arrives.
                try {
                    long nanos = Math.min(scheduler.time.nanosUntilEarliest(), timed ? RECHECK_NANOS : Long.MAX_VALUE);
                    if (scheduler.driver != null) {
                        parker.parkInDriver(nanos);
                    } else {
                        parker.park(nanos);
                    }
                } finally {
                    scheduler.releaseDriver();
                }
                scheduler.time.fireExpired();
            } else {
                // Another sleeper keeps the time; or a busy thread polls the driver for a moment,
                // and then this worker must come back to keep it.
                timed |= !scheduler.driverHeld();
                parker.park(timed ? RECHECK_NANOS : Long.MAX_VALUE);
            }
            // A keeper may have woken tasks of its own (driver events, timers); a timed park
            // looks for work nobody woke it for.
            if ((keeper || timed) && sleeping && workForMe()) {
                awakeSince = System.nanoTime();
                cancelSleep();
                return;
            }
            Thread.interrupted(); // a stray interrupt must not turn park into a spin
        }
        awakeSince = System.nanoTime();
        unparks++;
        searching = wakeAsSearcher;
    }

    /**
     * An extra worker with nothing to do waits a little for more (blocking code tends to come
     * in bursts), then leaves. Returns true when it has left the scheduler and must exit.
     */
    private boolean lingerThenRetire() {
        for (int i = 0; i < EXTRA_LINGER_ROUNDS; i++) {
            if (workForMe() || scheduler.runState() == Scheduler.TERMINATED) {
                return scheduler.runState() == Scheduler.TERMINATED;
            }
            parker.park(RECHECK_NANOS);
            Thread.interrupted();
        }
        // Only this thread fills this worker's LIFO slot and local queue, and no task has it as
        // home, so once they are empty here nothing can arrive after it leaves.
        if (hasOwnWork()) {
            return false;
        }
        scheduler.retireExtra(this);
        return true;
    }

    // ------------------------------------------------------------------ blocking in place

    /**
     * The owner is about to block in a task (Tasks.blockInPlace): its queued work goes to the
     * injector for peers, and until {@link #endBlockInPlace} its thread counts as an outside
     * thread, so nothing new is queued on it.
     */
    void beginBlockInPlace() {
        blockedInPlace = true;
        ChainBuilder chain = overflowChain;
        drainAll(chain);
        if (chain.count > 0) {
            scheduler.injector.pushChain(chain.first, chain.last, chain.count);
        }
        chain.reset();
        scheduler.compensateForBlocking();
    }

    void endBlockInPlace() {
        blockedInPlace = false;
    }

    // ------------------------------------------------------------------ for the monitor and metrics

    /** Polls started so far; any thread. */
    long pollsOpaque() {
        return (long) POLLS.getOpaque(this);
    }

    /** This worker's counters, read racily from any thread. */
    dev.spindle.metrics.WorkerMetrics metrics() {
        long since = awakeSince;
        long busy = busyNanos + (since != 0 ? Math.max(0, System.nanoTime() - since) : 0);
        return new dev.spindle.metrics.WorkerMetrics(index, pollsOpaque(), localSchedules, remoteSchedules,
                steals, stolenTasks, parks, unparks, overflows, local.size(), inbox.size(), cx.forcedYields,
                java.time.Duration.ofNanos(busy), stalls);
    }

    /** The task being polled right now, or null; a racy read for the monitor. */
    TaskCell<?> pollingRacy() {
        return cx.taskRacy();
    }

    /**
     * Work this worker should wake up for: its own queues, the injector, or a peer's queues
     * when nobody is searching them (if somebody is, that searcher will take it, and a worker
     * refused a search slot must not spin on it).
     */
    private boolean workForMe() {
        if (hasOwnWork() || !scheduler.injector.isEmpty()) {
            return true;
        }
        return scheduler.idle.searching() == 0 && scheduler.anyWork();
    }

    private boolean cancelRequested() {
        return seenCancelEpoch != scheduler.cancelEpoch();
    }

    private void cancelSleep() {
        if (!scheduler.idle.wakeIfSleeping(this)) {
            // Somebody woke us first and counted us as they chose.
            searching = wakeAsSearcher;
        }
    }

    @Override
    public String toString() {
        return "worker-" + index;
    }
}
