package dev.spindle.internal.worker;

import dev.spindle.internal.jfr.Jfr;
import dev.spindle.internal.task.IdleLog;
import dev.spindle.internal.task.PollContext;
import dev.spindle.internal.task.TaskCell;
import dev.spindle.internal.task.TaskHome;
import dev.spindle.internal.task.TaskRunner;
import dev.spindle.internal.task.TaskScheduler;
import dev.spindle.metrics.WorkerMetrics;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/*
 * A worker's fields in four groups, each on cache lines of its own (superclass fields come first
 * in the object, and the pads keep the groups 128 bytes apart):
 *   WorkerCold    final, read by every thread on every spawn and wake (queues, scheduler)
 *   WorkerOwner   written by the owner on every task (tick, counts): no other thread writes
 *   WorkerShared  written by other threads under the Idle lock (the sleeping flags)
 *   Worker        the owner's private state (context, idle log)
 * The LIFO slot, which thieves write, is padded inside RunQueue.
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
    final RunQueue queues;
    final Parker parker;
    /** A compensation worker, started while others block; see {@link ExtraWorkers}. */
    final boolean extra;
    /**
     * Set by the owner around a blocking section ({@code Tasks.blockInPlace}): the thread then
     * acts as an outside thread, and its queues are left to peers.
     */
    volatile boolean blockedInPlace;
    /** What the monitor last saw of this worker: the monitor thread's alone (its own object). */
    final Monitor.Watch watch = new Monitor.Watch();

    WorkerCold(Scheduler scheduler, int index, boolean extra) {
        this.scheduler = scheduler;
        this.index = index;
        this.extra = extra;
        this.queues = scheduler.newRunQueue();
        this.parker = new Parker(scheduler.driver);
    }
}

abstract class WorkerPad1 extends WorkerCold {
    long p20, p21, p22, p23, p24, p25, p26, p27;
    long p30, p31, p32, p33, p34, p35, p36, p37;

    WorkerPad1(Scheduler scheduler, int index, boolean extra) {
        super(scheduler, index, extra);
    }
}

/** Fields written only by the owning worker thread, on its hot path. */
abstract class WorkerOwner extends WorkerPad1 {
    int tick;
    boolean searching;
    int seed;
    /** Tasks this worker spawned / completed: written with release, summed by termination. */
    long spawned;
    long completed;
    // Counters (read racily by metrics and tests).
    long steals;
    long stolenTasks;
    long parks;
    long unparks;
    /** Nanoseconds spent awake, up to {@code awakeSince} (which is 0 while parked). */
    long busyNanos;
    long awakeSince;

    WorkerOwner(Scheduler scheduler, int index, boolean extra) {
        super(scheduler, index, extra);
    }
}

abstract class WorkerPad2 extends WorkerOwner {
    long p40, p41, p42, p43, p44, p45, p46, p47;
    long p50, p51, p52, p53, p54, p55, p56, p57;

    WorkerPad2(Scheduler scheduler, int index, boolean extra) {
        super(scheduler, index, extra);
    }
}

/** Fields that other threads write, under the {@link Idle} lock. */
abstract class WorkerShared extends WorkerPad2 {
    /** Changed under the Idle lock; read without it. */
    volatile boolean sleeping;
    /** Written under the Idle lock before {@code sleeping} is cleared; read after. */
    boolean wakeAsSearcher;
    /** An extra parked as a spare: set under the ExtraWorkers lock when a compensation wakes it. */
    volatile boolean spareWoken;
    /** An extra waiting briefly for work before it parks as a spare; the monitor unparks it first. */
    volatile boolean lingering;
    /**
     * An extra woken or started for a blocked worker: that worker, whose LIFO slot (most likely
     * what it waits on) and queue the extra takes from first. Set by the compensating thread
     * before the unpark or start; taken by the extra.
     */
    volatile Worker helpFirst;
    /** An extra whose loop has ended (its thread may still run its stop hook). */
    volatile boolean exited;
    /**
     * Set by the monitor while it sees this worker blocked inside a poll with work queued: a
     * thief takes the oldest task of its spawn stack first (what the blocked task spawned, most
     * likely what it waits on). Written by the monitor only, and only when it changes.
     */
    volatile boolean helpWanted;
    /**
     * An extra woken only to rescue the newest spawns of a blocked worker while enough others
     * run: it runs that task and its own queue, never searches, and parks as a spare at once.
     * Set with {@link #helpFirst} before the wake; read by the extra.
     */
    volatile boolean rescueOnly;
    /** A rescue for this blocked worker's spawns is on its way; the monitor sets, the rescuer clears. */
    volatile boolean rescuePending;

    WorkerShared(Scheduler scheduler, int index, boolean extra) {
        super(scheduler, index, extra);
    }
}

abstract class WorkerPad3 extends WorkerShared {
    long p60, p61, p62, p63, p64, p65, p66, p67;
    long p70, p71, p72, p73, p74, p75, p76, p77;

    WorkerPad3(Scheduler scheduler, int index, boolean extra) {
        super(scheduler, index, extra);
    }
}

/**
 * One worker: the loop that takes tasks (its own queues, then peers'), runs them through the poll
 * protocol ({@link TaskCell#run}), and idles and parks when there is nothing to do. Everything
 * here runs on the worker's own thread, but for the methods marked "any thread" (the monitor's
 * and metrics' racy reads, shutdownNow's drain through {@link #queues}). See {@code package-info}
 * for the loop's order and the parking protocol.
 */
final class Worker extends WorkerPad3 implements TaskRunner, TaskHome {
    static final int FAIRNESS_INTERVAL = 61;
    /** Turns of the loop per call of {@link #runStretch}. */
    private static final int STRETCH = 1024;
    /** Idle rounds before parking: the strategy's spins, then its yields (no timed parks). */
    private static final int SPIN_ROUNDS = 24;
    /**
     * Turns in a row without a task after which a worker yields its core before each further
     * turn, during a blocking episode or on an extra. Each of those turns came back because work
     * looked queued (or the worker was woken for it). What it sees is then likely held by a
     * thread that is not running, such as the injector stripe's taker, or a submitter between
     * its claim and its write, preempted while more threads run than there are cores (as they
     * do while extras run). Looking again at once only spins on those tasks and keeps that
     * thread off the core it needs, so the worker yields the core first. Outside episodes no
     * more threads run than there are workers, and a worker looks again at once, as before.
     *
     * <p>Measured on a program of 1,000 {@code CompletableFuture} pipelines per round on 2
     * workers, every 10th blocking in {@code get()} on a future queued behind it (JDK 17): without
     * this, 1 round in 10 took over 5 ms (10-13 ms each, against a median of 1.3-2.6 ms), both
     * cores busy throughout with workers looking for work and hundreds of tasks in the injector;
     * the 99th percentile round was 14-27 ms, with it 7-9 ms ({@code ForkJoinPool}: 6).
     */
    private static final int MISSES_BEFORE_YIELD = 8;
    /** Peers' queues are looked at every this many idle rounds, not to steal their cache lines. */
    private static final int PEER_CHECK_EVERY = 4;
    /**
     * How often a sleeper re-checks for work while another worker is awake: the bound on how
     * long a task can wait behind a busy worker when no wake-up reached a sleeper (a local
     * push racing with a peer falling asleep, or a task in a busy worker's LIFO slot).
     */
    static final long RECHECK_NANOS = 1_000_000;
    /** Rounds of {@link #RECHECK_NANOS} an extra worker waits for work before it parks as a spare. */
    private static final int EXTRA_LINGER_ROUNDS = 2;

    private static final VarHandle SPAWNED;
    private static final VarHandle COMPLETED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SPAWNED = l.findVarHandle(WorkerOwner.class, "spawned", long.class);
            COMPLETED = l.findVarHandle(WorkerOwner.class, "completed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Lifecycle life;
    /** Tasks that go idle here: this worker's own log, or (an extra) the extras' shared one. */
    final IdleLog idleLog;
    /** The context of every poll this worker runs; the monitor reads it racily. */
    final PollContext cx;
    private final BackoffIdleStrategy spinner = new BackoffIdleStrategy(16, 8, 1, 1);
    /** Turns in a row that found no task to run, up to {@link #MISSES_BEFORE_YIELD}; owner only. */
    private int missed;
    /** The lifecycle's cancel epoch this worker has acted on. */
    private int seenCancelEpoch;

    WorkerThread thread;

    /** @param sharedLog the extras' shared idle log, for an extra; a core worker keeps its own */
    Worker(Scheduler scheduler, int index, boolean extra, IdleLog sharedLog) {
        super(scheduler, index, extra);
        this.life = scheduler.lifecycle;
        this.idleLog = extra ? sharedLog : new IdleLog(this);
        // An extra is a guest: tasks it polls keep going home to a core worker.
        this.cx = PollContext.create(this, this.idleLog, extra ? null : this);
        this.seed = 0x9E3779B9 * (index + 1);
    }

    // ------------------------------------------------------------------ the loop

    void run() {
        awakeSince = System.nanoTime();
        try {
            while (runStretch()) {
                // A new call each stretch: see runStretch.
            }
        } finally {
            scheduler.workerExited(this);
        }
    }

    /**
     * The loop, for at most {@link #STRETCH} turns (a task run, a search, a park); false once
     * the worker must exit.
     *
     * <p>The loop lives in a method that is called again and again, not in {@link #run}, which a
     * thread enters once. HotSpot compiles a loop in a method entered once only on the stack
     * (OSR). When that code meets a branch it has never seen (the first blocking episode sends a
     * worker through the compensation paths; a Flight Recorder recording that starts, through
     * the event paths), the thread drops back to the interpreter, and HotSpot did not always
     * compile the loop on the stack again: in 3 of 15 JVMs of a program that runs a fork/join
     * tree, makes 200 blocking calls and runs the tree again, both core workers then ran it
     * 8-15x slower for the rest of the run (31-42 ms per tree against 2.4), both cores busy.
     * Here a deoptimized worker runs interpreted only to the end of its stretch; its later calls
     * are counted like any method's and run the compiled version as soon as HotSpot has
     * compiled it again (0 of 34 JVMs slow).
     */
    private boolean runStretch() {
        for (int turn = 0; turn < STRETCH; turn++) {
            int rs = life.runState();
            if (rs == Lifecycle.TERMINATED) {
                return false;
            }
            if (rs != Lifecycle.RUNNING && cancelRequested()) {
                abortLoggedTasks();
            }
            Object t = extra ? helpBlocked() : null;
            if (t == null) {
                t = nextTask();
            }
            if (t == null && !rescueOnly) { // (only an extra is ever rescue-only)
                t = search();
            }
            if (t != null) {
                if (searching) {
                    endSearching();
                }
                missed = 0;
                runTask(t);
                continue;
            }
            if (missed < MISSES_BEFORE_YIELD) {
                missed++; // saturates: a worker idle for weeks must not wrap to negative
            } else if (extra || scheduler.compensating) {
                Thread.yield(); // see MISSES_BEFORE_YIELD
            }
            if (extra) {
                if (rescueOnly ? parkAsSpare() : lingerThenPark()) {
                    return false;
                }
                continue;
            }
            idleThenPark();
        }
        return true;
    }

    /**
     * An extra started or woken for a blocked worker takes that worker's LIFO slot first, then
     * the oldest task of its spawn stack (what it most likely waits on), then (unless it only
     * rescues) from its queue: running new work instead would only block more threads on
     * futures queued behind blocked ones.
     */
    private Object helpBlocked() {
        Worker blocked = helpFirst;
        if (blocked == null) {
            return null;
        }
        helpFirst = null;
        Object t = blocked.queues.stealLifo();
        if (t == null) {
            t = rescueOnly ? blocked.queues.stealSpawned() : queues.stealForBlocked(blocked.queues, scheduler.compensating);
        }
        blocked.rescuePending = false;
        if (t != null) {
            countSteal(blocked, 1 + queues.local.size());
        }
        return t;
    }

    /** Own work first: LIFO slot and spawn stack (bounded streak), local queue, inbox, injector. */
    private Object nextTask() {
        if (++tick % FAIRNESS_INTERVAL == 0) {
            scheduler.time.fireExpired(); // one volatile read when no timer is pending
            scheduler.keeper.pollNow(); // events for tasks here land in this worker's queues
            Object t = queues.pollInboxBatch();
            if (t == null) {
                t = queues.pollInjectorBatch(scheduler.injectorShares());
            }
            if (t != null) {
                return t;
            }
        }
        Object t = queues.pollOwn();
        if (t == null) {
            t = queues.pollLocalThenInbox();
            if (t == null && scheduler.compensating) {
                t = spawnOfBlockedPeer();
            }
            if (t == null) {
                t = queues.pollInjectorBatch(scheduler.injectorShares());
            }
        }
        return t;
    }

    /**
     * During a blocking episode, out of own work: the oldest spawn of a peer blocked inside a
     * poll (what it most likely waits on) before new work from the injector, as ForkJoinPool's
     * workers find a blocked worker's pushes on their frequent scans.
     *
     * <p>A peer counts as blocked when the monitor said so at its last tick ({@link #helpWanted})
     * or when its thread waits now ({@link #waitsWithSpawns}). The second look sees a block
     * within a task of it, where the tick comes 50-100 µs later: in cf_blocking's shape a task
     * that blocks on a nested future then waits some 20 µs instead of some 60, and the runtime
     * adds about a third fewer extra threads for the same work.
     */
    private Object spawnOfBlockedPeer() {
        Worker[] all = scheduler.extras.all();
        int n = all.length;
        int start = nextRandom(n);
        for (int i = 0; i < n; i++) {
            Worker v = all[(start + i) % n];
            if (v != this && (v.helpWanted || waitsWithSpawns(v))) {
                Object t = v.queues.stealSpawned();
                if (t != null) {
                    countSteal(v, 1);
                    return t;
                }
            }
        }
        return null;
    }

    /**
     * Whether {@code v}'s thread waits (parked, sleeping, in a wait) while its spawn stack holds
     * tasks: a racy look, for choosing what to steal first. A worker asleep in the runtime's own
     * park has nothing there (only the owner pushes, and it sleeps only when out of work). The
     * thread's state is read first: a worker that runs rewrites its stack's indices all the
     * time, and a thread that does not wait is never looked at further.
     */
    static boolean waitsWithSpawns(Worker v) {
        return Monitor.waits(v.thread.getState()) && !v.queues.spawned.isEmpty();
    }

    /** A steal batch: the metrics' counts and, when recorded, one {@code dev.spindle.Steal} event. */
    private void countSteal(Worker victim, int taken) {
        steals++;
        stolenTasks += taken;
        Jfr.steal(scheduler.name, index, victim.index, taken);
    }

    /** Steal from peers: local queues and inboxes from a random start, then LIFO slots. */
    private Object search() {
        Worker[] all = scheduler.extras.all();
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
        boolean one = scheduler.compensating;
        for (int i = 0; i < n; i++) {
            Worker v = all[(start + i) % n];
            if (v == this) {
                continue;
            }
            Object t = v.helpWanted ? queues.stealForBlocked(v.queues, one) : queues.stealFrom(v.queues, one);
            if (t != null) {
                countSteal(v, 1 + queues.local.size()); // one event check per batch
                return t;
            }
        }
        Object t = queues.pollInjectorBatch(scheduler.injectorShares());
        if (t != null) {
            return t;
        }
        // Last resort: a LIFO slot whose owner may be stuck in a long poll.
        for (int i = 0; i < n; i++) {
            Worker v = all[(start + i) % n];
            if (v != this && (t = v.queues.stealLifo()) != null) {
                countSteal(v, 1);
                return t;
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

    /** Runs a task as queued: a task cell through its poll protocol, a plain runnable once. */
    private void runTask(Object task) {
        if (!(task instanceof TaskCell)) {
            runRunnable((Runnable) task);
            return;
        }
        TaskCell<?> t = (TaskCell<?>) task;
        switch (t.run(cx)) {
            case COMPLETED:
                taskCompleted();
                break;
            case REQUEUE:
                queues.requeue(t); // woken during its own poll (a yield): back of the line
                break;
            case IDLE:
                break;
            default:
                throw new AssertionError();
        }
        clearInterruptUnlessStopping();
    }

    /**
     * A runnable from {@code execute}, queued as itself (no task cell): nobody holds a handle to
     * it and nothing wakes it, so it runs once, here, and is counted. Taking it from a queue was
     * exclusive, even against {@code shutdownNow}'s drain; after STOP it still runs, since it is
     * not among the runnables {@code shutdownNow} returned.
     */
    private void runRunnable(Runnable r) {
        cx.enterRunnable(r); // for the monitor's stall checks
        try {
            r.run();
        } catch (Throwable e) {
            scheduler.reportUncaught(r, e);
        }
        cx.exit();
        taskCompleted();
        clearInterruptUnlessStopping();
    }

    private void taskCompleted() {
        if (extra) {
            life.countOutsideCompletion();
        } else {
            COMPLETED.setRelease(this, completed + 1);
        }
        life.terminateIfDone();
    }

    private void clearInterruptUnlessStopping() {
        if (Thread.interrupted() && life.isStopping()) {
            thread.interrupt();
        }
    }

    @Override
    public boolean stopping() {
        return life.isStopping();
    }

    @Override
    public void reportUncaught(Object body, Throwable error) {
        scheduler.reportUncaught(body, error);
    }

    /** A task spawned by the task this worker is running (the scheduler checked the run state). */
    void spawn(Object t) {
        if (extra) {
            life.countOutsideSpawn();
        } else {
            SPAWNED.setRelease(this, spawned + 1);
        }
        queues.spawn(t);
    }

    // ------------------------------------------------------------------ the idle log

    private boolean cancelRequested() {
        return seenCancelEpoch != life.cancelEpoch();
    }

    /** Aborts every task in this worker's idle log (close found nothing left to run, or shutdownNow). */
    private void abortLoggedTasks() {
        seenCancelEpoch = life.cancelEpoch();
        if (!extra) {
            idleLog.abortAll(); // the extras' shared log is aborted by whoever asked to cancel
        }
    }

    /** As the home of the tasks it polls and spawns: their wakes go to its scheduler. */
    @Override
    public TaskScheduler scheduler() {
        return scheduler;
    }

    long lvSpawned() {
        return (long) SPAWNED.getAcquire(this);
    }

    long lvCompleted() {
        return (long) COMPLETED.getAcquire(this);
    }

    // ------------------------------------------------------------------ idling

    /** Nothing to do: spin a little, register as a sleeper, and park until woken. */
    private void idleThenPark() {
        if (spinForWork() || !registerAsSleeper()) {
            return;
        }
        parkUntilWoken();
    }

    /** Spins briefly, re-checking for work; true if work or termination turned up. */
    private boolean spinForWork() {
        spinner.reset();
        for (int i = 1; i <= SPIN_ROUNDS; i++) {
            spinner.idle();
            boolean work = i % PEER_CHECK_EVERY == 0
                    ? workForMe()
                    : queues.hasWork() || !scheduler.injector.isEmpty();
            if (work || life.runState() == Lifecycle.TERMINATED) {
                return true;
            }
        }
        return false;
    }

    /**
     * Registers as a sleeper, then re-checks everything a producer or the lifecycle may have
     * changed meanwhile. Returns false, awake again, if the worker must not park after all.
     */
    private boolean registerAsSleeper() {
        boolean wasSearching = searching;
        searching = false;
        if (scheduler.idle.toSleeping(this, wasSearching) && scheduler.anyWork()) {
            scheduler.notifyParked(); // the last searcher leaves: hand the search on
        }
        // toSleeping's locked update is a full fence, so this sees a shutdown whose own
        // termination check missed our last completion count (a release store).
        life.terminateIfDone();
        // Re-check after registering: pairs with producers' offer-then-read-state, and with a
        // cancel request whose wake-all ran while this worker was still spinning.
        if (workForMe() || life.runState() == Lifecycle.TERMINATED || cancelRequested()) {
            cancelSleep();
            return false;
        }
        // Perhaps nothing can run now: then every worker (this one too) is woken to cancel.
        life.cancelIdleIfQuiet();
        return true;
    }

    /** Parks, keeping time and driver when they are free, until taken off the sleeper stack. */
    private void parkUntilWoken() {
        busyNanos += System.nanoTime() - awakeSince;
        awakeSince = 0;
        Object parkEvent = Jfr.parkBegin(); // null unless a recording wants parks
        sleepUntilWoken();
        Jfr.parkEnd(parkEvent, scheduler.name, index);
    }

    /** The sleep itself: parks until taken off the sleeper stack, or until work turns up. */
    private void sleepUntilWoken() {
        while (sleeping) {
            parks++;
            // While anything else can run, re-check now and then: a task queued behind a busy
            // peer must not wait for that peer.
            boolean timed = !life.quiescent();
            if (scheduler.keeper.park(this, timed, RECHECK_NANOS) && sleeping && workForMe()) {
                awakeSince = System.nanoTime();
                cancelSleep();
                scheduler.workerWoke();
                return;
            }
            Thread.interrupted(); // a stray interrupt must not turn park into a spin
        }
        awakeSince = System.nanoTime();
        unparks++;
        searching = wakeAsSearcher;
        scheduler.workerWoke();
    }

    /**
     * An extra worker with nothing to do waits a little for more (blocking code tends to come
     * in bursts), then parks as a spare until a compensation wakes it. Returns true when it has
     * left the scheduler for good and must exit.
     */
    private boolean lingerThenPark() {
        lingering = true;
        for (int i = 0; i < EXTRA_LINGER_ROUNDS; i++) {
            if (workForMe() || life.runState() == Lifecycle.TERMINATED) {
                lingering = false;
                return life.runState() == Lifecycle.TERMINATED;
            }
            parker.park(RECHECK_NANOS);
            Thread.interrupted();
        }
        lingering = false;
        return parkAsSpare();
    }

    /**
     * An extra with empty queues parks as a spare until a compensation wakes it. Returns true
     * when it has left the scheduler for good and must exit.
     */
    private boolean parkAsSpare() {
        // Only this thread fills this worker's LIFO slot and local queue, and no task has it as
        // home, so once they are empty here nothing can arrive while it is a spare.
        if (queues.hasWork()) {
            return false;
        }
        ExtraWorkers extras = scheduler.extras;
        extras.toSpare(this);
        busyNanos += System.nanoTime() - awakeSince;
        awakeSince = 0;
        long deadline = System.nanoTime() + ExtraWorkers.SPARE_KEEP_ALIVE_NANOS;
        while (!spareWoken) {
            long left = deadline - System.nanoTime();
            if ((left <= 0 || life.runState() == Lifecycle.TERMINATED) && extras.retireSpare(this)) {
                return true;
            }
            parks++;
            parker.park(Math.max(left, RECHECK_NANOS));
            Thread.interrupted(); // shutdownNow interrupts active workers only; a stray one is harmless
        }
        awakeSince = System.nanoTime();
        unparks++;
        return false;
    }

    /**
     * Work this worker should wake up for: its own queues, the injector, or a peer's queues
     * when nobody is searching them (if somebody is, that searcher will take it, and a worker
     * refused a search slot must not spin on it).
     */
    private boolean workForMe() {
        if (queues.hasWork() || !scheduler.injector.isEmpty()) {
            return true;
        }
        return scheduler.idle.searching() == 0 && scheduler.anyWork();
    }

    private void cancelSleep() {
        if (!scheduler.idle.wakeIfSleeping(this)) {
            // Somebody woke us first and counted us as they chose.
            searching = wakeAsSearcher;
        }
    }

    // ------------------------------------------------------------------ blocking in place

    /**
     * Owner, about to block in a task (Tasks.blockInPlace): its queued work goes to the injector
     * for peers, and until {@link #endBlockInPlace} its thread counts as an outside thread, so
     * nothing new is queued on it.
     */
    void beginBlockInPlace() {
        blockedInPlace = true;
        queues.spillAll();
        scheduler.compensateForBlocking(this);
    }

    void endBlockInPlace() {
        blockedInPlace = false;
    }

    // ------------------------------------------------------------------ for metrics

    /** This worker's counters, read racily from any thread; {@code stalls} is the monitor's count. */
    WorkerMetrics metrics(long stalls) {
        long since = awakeSince;
        long busy = busyNanos + (since != 0 ? Math.max(0, System.nanoTime() - since) : 0);
        return new WorkerMetrics(index, cx.pollsOpaque(), queues.localSchedules, queues.remoteSchedules,
                steals, stolenTasks, parks, unparks, queues.overflows,
                queues.local.size() + queues.spawned.size(), queues.inbox.size(),
                cx.forcedYields(), Duration.ofNanos(busy), stalls);
    }

    @Override
    public String toString() {
        return "worker-" + index;
    }
}
