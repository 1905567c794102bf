package dev.spindle.internal.worker;

import dev.spindle.PollFuture;
import dev.spindle.internal.blocking.BlockingPool;
import dev.spindle.internal.queue.Injector;
import dev.spindle.internal.task.BlockingCell;
import dev.spindle.internal.task.FutureCell;
import dev.spindle.internal.task.RunnableCell;
import dev.spindle.internal.task.TaskCell;
import dev.spindle.internal.task.TaskScheduler;
import dev.spindle.internal.time.TimeDriver;
import dev.spindle.spi.Driver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.spindle.metrics.StallReport;
import dev.spindle.time.Clock;

/**
 * The shared half of a runtime: the workers, the injector, idle accounting, task counts,
 * and the run state. The public {@code Spindle} is a thin face over this.
 */
public final class Scheduler implements TaskScheduler {
    static final int RUNNING = 0;
    static final int SHUTDOWN = 1;
    static final int STOP = 2;
    static final int TERMINATED = 3;

    private static final VarHandle RUN_STATE;
    private static final VarHandle CANCEL_EPOCH;

    static {
        try {
            RUN_STATE = MethodHandles.lookup().findVarHandle(Scheduler.class, "runState", int.class);
            CANCEL_EPOCH = MethodHandles.lookup().findVarHandle(Scheduler.class, "cancelEpoch", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What the runtime was built with. */
    public static final class Config {
        public int workers;
        public int localQueueCapacity = 256;
        public int inboxCapacity = 1024;
        public String threadNamePrefix = "spindle-worker-";
        public boolean daemon;
        public Thread.UncaughtExceptionHandler uncaughtExceptionHandler;
        public Clock clock = Clock.system();
        public long stallThresholdNanos = TimeUnit.MILLISECONDS.toNanos(100);
        public Consumer<StallReport> onStall;
        public Runnable onThreadStart;
        public Runnable onThreadStop;
        /** Extra workers (compensation) at most, and blocking-pool threads at most. */
        public int maxBlockingThreads = 512;
        public long blockingKeepAliveNanos = TimeUnit.SECONDS.toNanos(10);
        /** Makes the runtime's driver; null for none. */
        public java.util.function.Supplier<? extends Driver> driverFactory;
    }

    /** The core workers, one per configured thread; fixed. */
    final Worker[] workers;
    /** Core workers then live extra workers: what searches steal from. Copy-on-write under extrasLock. */
    volatile Worker[] all;
    private final Object extrasLock = new Object();
    private int extrasStarted; // guarded by extrasLock
    private final java.util.Set<Thread> extraThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Tasks that went idle on an extra worker, for close/shutdownNow to cancel; guarded by itself. */
    private final java.util.ArrayList<TaskCell<?>> orphanLog = new java.util.ArrayList<>();
    final Config config;
    /** Runs spawnBlocking work; its jobs are BlockingCells. */
    private final BlockingPool blocking;
    private final AtomicInteger blockingThreadIds = new AtomicInteger();
    /** Blocking jobs accepted and not finished: while any is, a waiting task may still be woken. */
    private final AtomicInteger blockingInFlight = new AtomicInteger();
    private static final AtomicInteger MONITOR_IDS = new AtomicInteger();
    private final Monitor monitor;
    private final Thread monitorThread;
    final Injector injector = new Injector(4096);
    /** The runtime's timers. */
    public final TimeDriver time;
    /** The runtime's event driver (the I/O reactor), or null. */
    public final Driver driver;
    /**
     * The worker parked as the keeper of time and driver, or null; see the package notes.
     * Taken with a CAS from null, given back by its holder.
     */
    private volatile Worker driverHolder;
    /** Busy workers and the monitor poll the driver only if nobody is in it: a try-lock. */
    private final java.util.concurrent.atomic.AtomicBoolean driverBusy = new java.util.concurrent.atomic.AtomicBoolean();
    final Idle idle;
    private final Thread.UncaughtExceptionHandler uncaught;
    private final Object owner;

    @SuppressWarnings("unused") // accessed through RUN_STATE
    private volatile int runState = RUNNING;
    volatile boolean closing;
    /** Bumped to make every worker abort the tasks in its idle log. */
    @SuppressWarnings("unused") // accessed through CANCEL_EPOCH
    private volatile int cancelEpoch;
    private final AtomicLong externalSpawned = new AtomicLong();
    private final AtomicLong externalCompleted = new AtomicLong();
    private final AtomicInteger liveWorkers;
    private final CountDownLatch terminated = new CountDownLatch(1);

    public Scheduler(Config config, Object owner) {
        this.owner = owner;
        this.config = config;
        this.driver = config.driverFactory == null ? null
                : java.util.Objects.requireNonNull(config.driverFactory.get(), "the driver factory returned null");
        this.time = new TimeDriver(config.clock, this::earlierDeadline);
        int n = config.workers;
        this.workers = new Worker[n];
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker(this, i, config.localQueueCapacity, config.inboxCapacity, false);
        }
        this.all = workers;
        this.idle = new Idle(n);
        this.uncaught = config.uncaughtExceptionHandler;
        this.liveWorkers = new AtomicInteger(n);
        for (Worker w : workers) {
            bindThread(w, config.threadNamePrefix + w.index);
        }
        this.blocking = new BlockingPool(config.maxBlockingThreads, config.blockingKeepAliveNanos,
                this::newBlockingThread, this::blockingJobFinished);
        this.monitor = new Monitor(this, config.clock, config.stallThresholdNanos, config.onStall);
        // Not under the workers' prefix: code that counts a runtime's workers by name (as tests
        // and thread-dump tools do) sees exactly the configured number.
        this.monitorThread = new Thread(null, monitor, "spindle-monitor-" + MONITOR_IDS.incrementAndGet(), 0, false);
        monitorThread.setDaemon(true); // it only watches: it must never keep the JVM alive
    }

    private void bindThread(Worker w, String name) {
        WorkerThread t = new WorkerThread(w, name, config.onThreadStart, config.onThreadStop);
        t.setDaemon(config.daemon);
        w.thread = t;
        w.parker.bind(t);
    }

    public void start() {
        for (Worker w : workers) {
            w.thread.start();
        }
        monitorThread.start();
    }

    // ------------------------------------------------------------------ blocking work

    private Thread newBlockingThread(Runnable poolLoop) {
        Runnable start = config.onThreadStart;
        Runnable stop = config.onThreadStop;
        Thread t = new BlockingThread(this, () -> {
            WorkerThread.runHook(start);
            try {
                poolLoop.run();
            } finally {
                WorkerThread.runHook(stop);
            }
        }, config.threadNamePrefix + "blocking-" + blockingThreadIds.incrementAndGet());
        t.setDaemon(config.daemon);
        return t;
    }

    /** Accepts blocking work; counted like an outside spawn, so termination waits for it. */
    public <T> TaskCell<T> spawnBlocking(Callable<T> body) {
        acceptFromOutside();
        BlockingCell<T> cell = new BlockingCell<>(this, body);
        blockingInFlight.incrementAndGet();
        try {
            blocking.submit(new BlockingJob(cell));
        } catch (RejectedExecutionException e) {
            blockingInFlight.decrementAndGet();
            externalCompleted.incrementAndGet(); // shut down meanwhile, or no thread could start
            tryTerminate();
            throw e;
        }
        return cell;
    }

    /** A blocking cell as the pool sees it. */
    private final class BlockingJob implements BlockingPool.Job {
        final BlockingCell<?> cell;

        BlockingJob(BlockingCell<?> cell) {
            this.cell = cell;
        }

        @Override
        public void run() {
            Throwable unjoined = cell.runBlocking();
            if (unjoined != null) {
                reportUncaught(cell, unjoined);
            }
        }
    }

    /** The pool ran a job (runBlocking catches what the body throws): count its completion. */
    private void blockingJobFinished(BlockingPool.Job job, Throwable thrown) {
        blockingInFlight.decrementAndGet();
        externalCompleted.incrementAndGet();
        if (closing && allAsleep()) {
            requestCancelIdle(); // the last thing that could wake a waiting task is done
        }
        if (runState >= SHUTDOWN) {
            tryTerminate();
        }
    }

    // ------------------------------------------------------------------ compensation

    /**
     * Starts an extra worker, unless the runtime is terminating or enough extras run already.
     * Called by the monitor when every worker that could run queued work is blocked, and by a
     * worker entering a blocking section while no peer sleeps.
     */
    boolean startExtra() {
        Worker w;
        synchronized (extrasLock) {
            if (runState >= STOP || all.length - workers.length >= config.maxBlockingThreads) {
                return false;
            }
            // Counted alive before it exists, so termination waits for it; never revive a zero.
            for (;;) {
                int live = liveWorkers.get();
                if (live == 0) {
                    return false;
                }
                if (liveWorkers.compareAndSet(live, live + 1)) {
                    break;
                }
            }
            int index = workers.length + extrasStarted++;
            w = new Worker(this, index, config.localQueueCapacity, config.inboxCapacity, true);
            bindThread(w, config.threadNamePrefix + "extra-" + index);
            Worker[] grown = java.util.Arrays.copyOf(all, all.length + 1);
            grown[grown.length - 1] = w;
            all = grown;
            extraThreads.add(w.thread);
        }
        w.thread.start();
        return true;
    }

    /** An extra worker with nothing to do leaves; it exits right after. */
    void retireExtra(Worker w) {
        synchronized (extrasLock) {
            Worker[] cur = all;
            Worker[] shrunk = new Worker[cur.length - 1];
            int j = 0;
            for (Worker x : cur) {
                if (x != w) {
                    shrunk[j++] = x;
                }
            }
            all = shrunk;
        }
        if (closing && allAsleep()) {
            requestCancelIdle(); // this extra was the last thing awake
        }
    }

    /**
     * Every core worker sleeps, no extra runs, no blocking work is left: nothing can run any more
     * (close cancels waiting tasks only then). Pending timers do not count: a task sleeping for
     * an hour, or ticking an endless interval, must not keep close waiting; cancelling it drops
     * its timer.
     */
    boolean allAsleep() {
        return all.length == workers.length && blockingInFlight.get() == 0 && idle.allSleeping();
    }

    /** A worker is about to block in place: make sure its work and new work find a thread. */
    void compensateForBlocking() {
        if (!notifyParkedOrSearching()) {
            startExtra();
        }
    }

    void countExternalSpawn() {
        externalSpawned.incrementAndGet();
    }

    void countExternalCompletion() {
        externalCompleted.incrementAndGet();
    }

    void logOrphan(TaskCell<?> t) {
        t.loggedBy = orphanLog;
        synchronized (orphanLog) {
            if (orphanLog.size() >= 64 && Integer.bitCount(orphanLog.size()) == 1) {
                orphanLog.removeIf(x -> x.isFinished() || x.loggedBy != orphanLog);
            }
            orphanLog.add(t);
        }
    }

    private void abortOrphans() {
        TaskCell<?>[] snapshot;
        synchronized (orphanLog) {
            snapshot = orphanLog.toArray(new TaskCell<?>[0]);
            orphanLog.clear();
        }
        for (TaskCell<?> t : snapshot) {
            t.abort();
        }
    }

    /** The object (the public Spindle) this scheduler serves. */
    public Object owner() {
        return owner;
    }

    public int workerCount() {
        return workers.length;
    }

    int runState() {
        return runState;
    }

    /**
     * The worker of this scheduler running on the calling thread, or null; null too while that
     * worker blocks in place (its thread then acts as an outside thread).
     */
    Worker currentWorker() {
        Thread t = Thread.currentThread();
        if (t instanceof WorkerThread) {
            Worker w = ((WorkerThread) t).worker;
            if (w.scheduler == this && !w.blockedInPlace) {
                return w;
            }
        }
        return null;
    }

    /** True on a thread of this runtime: a worker (blocked in place or not) or a blocking thread. */
    public boolean onWorkerThread() {
        Thread t = Thread.currentThread();
        return t instanceof WorkerThread && ((WorkerThread) t).worker.scheduler == this
                || t instanceof BlockingThread && ((BlockingThread) t).scheduler == this;
    }

    /**
     * Runs {@code body} on the calling worker thread after handing the worker's queued work to
     * its peers (and starting an extra worker if none is free); anywhere else, just runs it.
     */
    public static <T, E extends Exception> T blockInPlace(BlockingBody<T, E> body) throws E {
        Thread t = Thread.currentThread();
        if (!(t instanceof WorkerThread)) {
            return body.run();
        }
        Worker w = ((WorkerThread) t).worker;
        if (w.blockedInPlace) {
            return body.run(); // nested: already handed over
        }
        w.beginBlockInPlace();
        try {
            return body.run();
        } finally {
            w.endBlockInPlace();
        }
    }

    /** Blocking code run by {@link #blockInPlace}. */
    @FunctionalInterface
    public interface BlockingBody<T, E extends Exception> {
        T run() throws E;
    }

    /** The scheduler whose worker runs on the calling thread, or null. */
    public static Scheduler current() {
        Thread t = Thread.currentThread();
        if (t instanceof WorkerThread) {
            return ((WorkerThread) t).worker.scheduler;
        }
        return t instanceof BlockingThread ? ((BlockingThread) t).scheduler : null;
    }

    /** The runtime whose blockOn the calling thread is inside, if any. */
    private static final ThreadLocal<Scheduler> BLOCK_ON = new ThreadLocal<>();

    /** Marks the calling thread as inside {@code s}'s blockOn; returns what to restore. */
    public static Scheduler enterBlockOn(Scheduler s) {
        Scheduler previous = BLOCK_ON.get();
        BLOCK_ON.set(s);
        return previous;
    }

    public static void exitBlockOn(Scheduler previous) {
        if (previous == null) {
            BLOCK_ON.remove();
        } else {
            BLOCK_ON.set(previous);
        }
    }

    /** The scheduler of the calling thread: its worker's, its blocking pool's, or its blockOn's. */
    public static Scheduler currentOrBlockOn() {
        Scheduler s = current();
        return s != null ? s : BLOCK_ON.get();
    }

    /** True on a worker thread running tasks (not inside a blocking section). */
    public static boolean onPollingWorker() {
        Thread t = Thread.currentThread();
        return t instanceof WorkerThread && !((WorkerThread) t).worker.blockedInPlace;
    }

    // ------------------------------------------------------------------ submission

    public <T> TaskCell<T> spawn(PollFuture<T> future) {
        Worker w = currentWorker();
        FutureCell<T> cell = new FutureCell<>(this, homeFor(w), future);
        submit(cell, w);
        return cell;
    }

    public void execute(Runnable runnable) {
        Worker w = currentWorker();
        submit(new RunnableCell(this, homeFor(w), runnable), w);
    }

    /** Tasks spawned on an extra worker get no home: an extra may leave at any time. */
    private static Worker homeFor(Worker spawner) {
        return spawner == null || spawner.extra ? null : spawner;
    }

    private void submit(TaskCell<?> cell, Worker w) {
        if (w != null) {
            if (runState != RUNNING) {
                throw rejected();
            }
            w.spawnLocal(cell);
            return;
        }
        acceptFromOutside();
        injector.push(cell);
        notifyParked();
    }

    /**
     * Counts a task submitted from outside the workers, or rejects it. Count first, then check
     * (seq-cst both), so termination never misses an accepted task.
     */
    private void acceptFromOutside() {
        externalSpawned.incrementAndGet();
        if (runState != RUNNING) {
            externalCompleted.incrementAndGet(); // never accepted: balance the count
            tryTerminate();
            throw rejected();
        }
    }

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException("runtime " + owner + " is shut down and accepts no new tasks");
    }

    /** Wakes and aborts: the task is NOTIFIED and must be queued. */
    @Override
    public void schedule(TaskCell<?> task) {
        Worker home = (Worker) task.home;
        Worker cur = currentWorker();
        if (home == null) {
            home = cur;
        }
        if (cur != null && home == cur) {
            cur.scheduleLifo(task);
            return;
        }
        if (home == null || home.blockedInPlace || !home.inbox.offer(task)) {
            injector.push(task);
        }
        if (home == null || !idle.wakeIfSleeping(home)) {
            notifyParked(); // the home is busy: let an idle peer take it from the inbox
        } else {
            home.parker.unpark();
        }
    }

    @Override
    public boolean wakeWhilePolling(TaskCell<?> task) {
        Thread t = Thread.currentThread();
        // A worker of another runtime never polls this task, so its context never matches.
        return t instanceof WorkerThread && ((WorkerThread) t).worker.cx.noteSelfWake(task);
    }

    // ------------------------------------------------------------------ the driver

    /**
     * Makes {@code w} the keeper of time and driver, if the driver is free. Returns false if
     * another worker (or a polling thread) has it.
     */
    boolean holdDriver(Worker w) {
        if (!driverBusy.compareAndSet(false, true)) {
            return false;
        }
        driverHolder = w;
        return true;
    }

    /** True while a parked worker keeps time and driver. */
    boolean driverHeld() {
        return driverHolder != null;
    }

    void releaseDriver() {
        driverHolder = null;
        driverBusy.set(false);
    }

    /** Polls the driver without blocking, unless a worker is in it. Any thread. */
    void pollDriver() {
        Driver d = driver;
        if (d != null && !driverBusy.get() && driverBusy.compareAndSet(false, true)) {
            try {
                d.park(0);
            } finally {
                driverBusy.set(false);
            }
        }
    }

    /**
     * A new earliest timer: the keeper parks until the old earliest one, so wake it to park
     * again; with no keeper, wake a sleeper to become one.
     */
    private void earlierDeadline() {
        Worker h = driverHolder;
        if (h != null) {
            h.parker.unpark();
        } else if (!driverBusy.get()) {
            notifyParked();
        }
    }

    /** Wakes one sleeping worker as a searcher, unless somebody already searches. */
    void notifyParked() {
        Worker w = idle.workerToNotify();
        if (w != null) {
            w.parker.unpark();
        }
    }

    /**
     * {@link #notifyParked}, for the rare callers that must know the outcome (compensation).
     *
     * @return false if nobody sleeps and nobody searches: no worker is free to take new work
     */
    boolean notifyParkedOrSearching() {
        Worker w = idle.workerToNotify();
        if (w != null) {
            w.parker.unpark();
            return true;
        }
        return idle.searching() > 0;
    }

    /** Work anywhere a worker could take it (a racy estimate, used before sleeping). */
    boolean anyWork() {
        if (!injector.isEmpty()) {
            return true;
        }
        for (Worker w : all) {
            if (w.hasOwnWork()) {
                return true;
            }
        }
        return false;
    }

    void reportUncaught(TaskCell<?> task, Throwable error) {
        Thread.UncaughtExceptionHandler h = uncaught;
        try {
            if (h != null) {
                h.uncaughtException(Thread.currentThread(), error);
            } else {
                System.getLogger("dev.spindle").log(System.Logger.Level.WARNING,
                        "task " + task.body() + " failed and nobody joined it", error);
            }
        } catch (Throwable ignored) {
            // A throwing hook must not take the worker down.
        }
    }

    // ------------------------------------------------------------------ shutdown

    public boolean isShutdown() {
        return runState >= SHUTDOWN;
    }

    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    public void shutdown() {
        advanceRunState(SHUTDOWN);
        blocking.shutdown();
        tryTerminate();
    }

    /** Closing: shutdown, and cancel waiting tasks once nothing is left to run. */
    public void close() {
        shutdown();
        closing = true;
        if (allAsleep()) {
            requestCancelIdle();
        }
    }

    /** Stops: cancels every task not running; returns the runnables that never started. */
    public List<Runnable> shutdownNow() {
        advanceRunState(STOP);
        List<Runnable> neverStarted = new ArrayList<>();
        java.util.function.Consumer<TaskCell<?>> cancel = t -> {
            if (t.transitionToRunning() == TaskCell.ToRunning.POLL && t instanceof RunnableCell) {
                neverStarted.add(((RunnableCell) t).runnable());
            }
            t.completeCancelled();
            externalCompleted.incrementAndGet();
        };
        TaskCell<?> t;
        while ((t = injector.poll()) != null) {
            cancel.accept(t);
        }
        for (BlockingPool.Job job : blocking.shutdownNow()) {
            blockingInFlight.decrementAndGet();
            cancel.accept(((BlockingJob) job).cell); // interrupts the running ones too
        }
        for (Worker w : all) {
            w.drainAll(cancel);
        }
        requestCancelIdle();
        for (Worker w : all) {
            w.thread.interrupt();
        }
        tryTerminate();
        return neverStarted;
    }

    /**
     * Makes every worker abort the tasks in its idle log (each log is touched only by its
     * owner); the aborted tasks are then completed as cancelled like any other.
     */
    void requestCancelIdle() {
        int unused = (int) CANCEL_EPOCH.getAndAdd(this, 1); // typed, so the call matches exactly
        abortOrphans();
        wakeAllWorkers();
    }

    int cancelEpoch() {
        return cancelEpoch;
    }

    private void advanceRunState(int target) {
        for (;;) {
            int s = runState;
            if (s >= target || RUN_STATE.compareAndSet(this, s, target)) {
                return;
            }
        }
    }

    /** Terminates once shut down and every accepted task has completed. Any thread. */
    void tryTerminate() {
        int s = runState;
        if (s == RUNNING || s == TERMINATED) {
            return;
        }
        // StoreLoad: pairs the caller's completion count (or shutdown) with other completers'.
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
        wakeAllWorkers();
    }

    /** Takes every worker off the sleeper stack and unparks it, so it re-reads the run state. */
    private void wakeAllWorkers() {
        idle.wakeAll();
        for (Worker w : all) {
            w.parker.unpark();
        }
        java.util.concurrent.locks.LockSupport.unpark(monitorThread);
    }

    void workerExited(Worker w) {
        if (w.extra) {
            extraThreads.remove(w.thread);
        }
        if (liveWorkers.decrementAndGet() == 0) {
            if (driver != null) {
                // Taken for good: the monitor may be polling it right now, and must not again.
                while (!driverBusy.compareAndSet(false, true)) {
                    Thread.onSpinWait();
                }
                try {
                    driver.shutdown();
                } catch (Throwable e) {
                    System.getLogger("dev.spindle").log(System.Logger.Level.WARNING, "the runtime's driver failed to shut down", e);
                }
            }
            terminated.countDown();
        }
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** Waits for every worker thread to end. */
    public void joinWorkers() throws InterruptedException {
        for (Worker w : workers) {
            w.thread.join();
        }
        for (Thread t : extraThreads.toArray(new Thread[0])) {
            t.join();
        }
        blocking.join();
        monitorThread.join();
    }

    // ------------------------------------------------------------------ for tests and metrics

    /**
     * Tasks accepted and not yet completed. Completions are read first: a completion seen implies
     * its task's spawn is seen (see the worker package notes), so the answer is never below the
     * truth; exact when the caller has fenced and no task is running.
     */
    long unfinishedTasks() {
        long done = externalCompleted.get();
        for (Worker w : workers) {
            done += w.lvCompleted();
        }
        long spawned = externalSpawned.get();
        for (Worker w : workers) {
            spawned += w.lvSpawned();
        }
        return spawned - done;
    }

    /** A snapshot of every counter (racy reads: see RuntimeMetrics). */
    public dev.spindle.metrics.RuntimeMetrics metrics() {
        java.util.List<dev.spindle.metrics.WorkerMetrics> per = new ArrayList<>(workers.length);
        for (Worker w : workers) {
            per.add(w.metrics());
        }
        return new dev.spindle.metrics.RuntimeMetrics(workers.length, Math.max(0, unfinishedTasks()), injector.size(),
                all.length - workers.length, blocking.threadsAlive(), blocking.idleThreads(), blocking.queueDepth(),
                time.pendingTimers(), per);
    }

    /**
     * Monitor ticks completed so far. A test that moves a manual clock waits for two more ticks
     * to know the monitor has looked at the runtime (and fired its timers) since.
     */
    public long monitorTicks() {
        return monitor.ticks;
    }

    /** Budget-forced yields per worker so far (a racy snapshot). */
    public long[] forcedYieldsPerWorker() {
        long[] out = new long[workers.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = workers[i].cx.forcedYields;
        }
        return out;
    }
}
