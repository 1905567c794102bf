package dev.spindle.internal.worker;

import dev.spindle.PollFuture;
import dev.spindle.internal.RuntimeServices;
import dev.spindle.internal.StripedCounter;
import dev.spindle.internal.blocking.BlockingPool;
import dev.spindle.internal.jfr.Jfr;
import dev.spindle.internal.queue.Injector;
import dev.spindle.internal.task.BlockingCell;
import dev.spindle.internal.task.FutureCell;
import dev.spindle.internal.task.TaskCell;
import dev.spindle.internal.task.TaskHome;
import dev.spindle.internal.task.TaskScheduler;
import dev.spindle.internal.time.TimeDriver;
import dev.spindle.metrics.RuntimeMetrics;
import dev.spindle.metrics.StallReport;
import dev.spindle.metrics.TaskDump;
import dev.spindle.metrics.WorkerMetrics;
import dev.spindle.spi.Driver;
import dev.spindle.time.Clock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The shared half of a runtime, and its wiring: it builds the workers and the parts that own
 * each protocol ({@link Lifecycle}, {@link ExtraWorkers}, {@link DriverKeeper}, {@link Idle},
 * the {@link Monitor}), takes submissions and wakes, and routes each to a queue. The public
 * {@code Spindle} is a thin face over this. Any thread.
 */
public final class Scheduler implements TaskScheduler, TaskHome, RuntimeServices {


    /** What the runtime was built with; every value is set by the builder, which owns the defaults. */
    public static final class Config {
        public int workers;
        public int localQueueCapacity;
        public int inboxCapacity;
        public String threadNamePrefix;
        public boolean daemon;
        public Thread.UncaughtExceptionHandler uncaughtExceptionHandler;
        public Clock clock;
        public long stallThresholdNanos;
        public Consumer<StallReport> onStall;
        /** Where the default stall handler (used when {@link #onStall} is null) logs. */
        public System.Logger stallLogger;
        public Runnable onThreadStart;
        public Runnable onThreadStop;
        /** Blocking-pool threads at most. */
        public int maxBlockingThreads;
        /** Extra workers (compensation for blocked workers), active and spare, at most. */
        public int maxExtraWorkers;
        public long blockingKeepAliveNanos;
        /** Makes the runtime's driver; null for none. */
        public Supplier<? extends Driver> driverFactory;
        /** Whether the runtime registers its JMX bean. */
        public boolean jmx;
    }

    private static final AtomicInteger MONITOR_IDS = new AtomicInteger();
    /**
     * Each injector stripe's lock-free part at its largest (the injector starts it smaller and
     * grows it as bursts need); past it, the stripe's ring takes the rest. At 1,024, outside
     * threads that each submit a few thousand tasks at once (remote_contention) filled it every
     * time, then met the takers on the ring's lock: 2 producers 708-1,105 µs per 12,800 tasks
     * (error up to ± 1,823) against 475 at 8,192.
     */
    private static final int INJECTOR_STRIPE_CAPACITY = 8192;

    private final Config config;
    private final Object owner;
    /** The runtime's name in events, the task dump and JMX ({@code Spindle-<id>}). */
    final String name;
    /** The core workers, one per configured thread; fixed. */
    private final Worker[] workers;
    final Lifecycle lifecycle;
    final ExtraWorkers extras;
    final Idle idle;
    final Injector injector;
    /** The runtime's timers. */
    final TimeDriver time;
    /** The runtime's event driver (the I/O reactor), or null. */
    final Driver driver;
    final DriverKeeper keeper;
    /** Runs spawnBlocking work; its jobs are BlockingCells. */
    private final BlockingPool blocking;
    private final AtomicInteger blockingThreadIds = new AtomicInteger();
    private final Monitor monitor;
    private final Thread monitorThread;
    /** Runs once the last worker has exited, before the termination latch opens; set before start. */
    private Runnable onTermination;

    /** @param name what events, dumps and the JMX bean call this runtime; unique in the JVM */
    public Scheduler(Config config, Object owner, String name) {
        this.config = config;
        this.owner = owner;
        this.name = name;
        Jfr.recording(); // loads the flag's class here, not on a worker's first park (see there)
        this.injector = new Injector(StripedCounter.stripesFor(config.workers), INJECTOR_STRIPE_CAPACITY);
        this.driver = config.driverFactory == null ? null
                : Objects.requireNonNull(config.driverFactory.get(), "the driver factory returned null");
        this.time = new TimeDriver(config.clock, this::earlierDeadline);
        this.keeper = new DriverKeeper(time, driver, this::notifyParked);
        this.lifecycle = new Lifecycle(new LifecycleHost(), owner, config.workers);
        this.workers = new Worker[config.workers];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = newWorker(i, false, Integer.toString(i));
        }
        this.extras = new ExtraWorkers(this, workers, config.maxExtraWorkers);
        this.idle = new Idle(workers.length);
        this.blocking = new BlockingPool(config.maxBlockingThreads, config.blockingKeepAliveNanos,
                this::newBlockingThread, (job, thrown) -> lifecycle.blockingFinished());
        this.monitor = new Monitor(this, config.clock, config.stallThresholdNanos,
                config.onStall != null ? config.onStall : new StallLog(config.stallLogger, config.clock));
        // Not under the workers' prefix: code that counts a runtime's workers by name (as tests
        // and thread-dump tools do) sees exactly the configured number.
        this.monitorThread = new Thread(null, monitor, "spindle-monitor-" + MONITOR_IDS.incrementAndGet(), 0, false);
        monitorThread.setDaemon(true); // it only watches: it must never keep the JVM alive
    }

    /** A worker with its thread, not started; an extra logs idle tasks in the extras' shared log. */
    Worker newWorker(int index, boolean extra, String nameSuffix) {
        Worker w = new Worker(this, index, extra, extra ? extras.sharedLog : null);
        WorkerThread t = new WorkerThread(w, config.threadNamePrefix + nameSuffix, config.onThreadStart,
                config.onThreadStop);
        t.setDaemon(config.daemon);
        w.thread = t;
        w.parker.bind(t);
        return w;
    }

    /** A worker's run queues, sized as configured. */
    RunQueue newRunQueue() {
        return new RunQueue(config.localQueueCapacity, config.inboxCapacity, injector, this::notifyParked);
    }

    /** Runs {@code hook} on termination, before {@code awaitTermination} returns; call before {@link #start}. */
    public void onTermination(Runnable hook) {
        this.onTermination = hook;
    }

    public void start() {
        for (Worker w : workers) {
            w.thread.start();
        }
        monitorThread.start();
    }

    /** What the lifecycle sees of the workers. */
    private final class LifecycleHost implements Lifecycle.Host {
        @Override
        public long spawnedByWorkers() {
            return sum(Worker::lvSpawned);
        }

        @Override
        public long completedByWorkers() {
            return sum(Worker::lvCompleted);
        }

        private long sum(ToLongFunction<Worker> count) {
            long n = 0;
            for (Worker w : workers) {
                n += count.applyAsLong(w);
            }
            return n;
        }

        @Override
        public boolean workersQuiet() {
            return extras.none() && idle.allSleeping();
        }

        @Override
        public void wakeAll() {
            idle.wakeAll();
            for (Worker w : workers) {
                w.parker.unpark();
            }
            extras.unparkAll(); // active and spare
            LockSupport.unpark(monitorThread);
        }

        @Override
        public void abortSharedLog() {
            extras.sharedLog.abortAll();
        }

        @Override
        public void lastWorkerExited() {
            keeper.shutdown();
            if (onTermination != null) {
                onTermination.run();
            }
        }
    }

    // ------------------------------------------------------------------ RuntimeServices

    @Override
    public TimeDriver time() {
        return time;
    }

    /** The object (the public Spindle) this scheduler serves. */
    @Override
    public Object owner() {
        return owner;
    }

    public Driver driver() {
        return driver;
    }

    public int workerCount() {
        return workers.length;
    }

    /** True on a thread of this runtime: a worker (blocked in place or not) or a blocking thread. */
    public boolean onOwnThread() {
        Thread t = Thread.currentThread();
        return t instanceof WorkerThread && ((WorkerThread) t).worker.scheduler == this
                || t instanceof BlockingThread && ((BlockingThread) t).runtime() == this;
    }

    // ------------------------------------------------------------------ submission

    public <T> TaskCell<T> spawn(PollFuture<T> future) {
        Worker w = WorkerThread.currentWorker(this);
        FutureCell<T> cell = new FutureCell<>(homeFor(w), future);
        submit(cell, w);
        return cell;
    }

    /**
     * Queues {@code runnable} as itself: no task cell, no allocation. Nothing wakes it or waits
     * on it, so a queue slot holding the runnable is all it needs (see {@code Worker.runRunnable}).
     */
    public void execute(Runnable runnable) {
        submit(runnable, WorkerThread.currentWorker(this));
    }

    /**
     * The spawning core worker; the scheduler itself (no worker) from outside or on an extra
     * worker, which may leave at any time.
     */
    private TaskHome homeFor(Worker spawner) {
        return spawner == null || spawner.extra ? this : spawner;
    }

    /** As the home of tasks that have no worker: their wakes come here. */
    @Override
    public TaskScheduler scheduler() {
        return this;
    }

    /** Queues a task cell or a runnable: on the spawning worker, or the injector from outside. */
    private void submit(Object cell, Worker w) {
        if (w != null) {
            lifecycle.checkAcceptsFromWorker();
            w.spawn(cell);
            return;
        }
        lifecycle.acceptFromOutside();
        injector.push(cell);
        notifyParked();
    }

    /** Accepts blocking work; counted like an outside spawn, so termination waits for it. */
    public <T> TaskCell<T> spawnBlocking(Callable<T> body) {
        lifecycle.acceptBlocking();
        BlockingCell<T> cell = new BlockingCell<>(this, body);
        try {
            blocking.submit(new BlockingJob(cell));
        } catch (RejectedExecutionException e) {
            lifecycle.blockingRefused(); // shut down meanwhile, or no thread could start
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
                reportUncaught(cell.body(), unjoined);
            }
        }
    }

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

    /**
     * Wakes and aborts: the task was idle, is now claimed for its dequeuer, and must be queued.
     *
     * <p>A wake made on a core worker stays on that worker unless the task's home sleeps: the
     * waker and the woken share what passed between them (a channel, a result), and two tasks
     * that wake each other, once a steal has split them, would otherwise cross cores on every
     * hop, each into the other's inbox. A sleeping home still gets its task (and is woken), so
     * a core with nothing to do takes it at once rather than at a steal.
     */
    @Override
    public void schedule(TaskCell<?> task) {
        TaskHome h = task.home();
        Worker home = h instanceof Worker ? (Worker) h : null;
        Worker cur = WorkerThread.currentWorker(this);
        if (home == null) {
            home = cur;
        }
        if (cur != null && (home == cur || (!cur.extra && !home.sleeping))) {
            cur.queues.wake(task);
            return;
        }
        if (home == null || home.blockedInPlace || !home.queues.offerInbox(task)) {
            injector.push(task);
        }
        if (home == null || !idle.wakeIfSleeping(home)) {
            notifyParked(); // the home is busy: let an idle peer take it from the inbox
        } else {
            home.parker.unpark();
        }
    }

    /** A task or runnable failed and nobody joins it; {@code body} names it (the future or runnable). */
    void reportUncaught(Object body, Throwable error) {
        Thread.UncaughtExceptionHandler h = config.uncaughtExceptionHandler;
        try {
            if (h != null) {
                h.uncaughtException(Thread.currentThread(), error);
            } else {
                System.getLogger("dev.spindle").log(System.Logger.Level.WARNING,
                        "task " + body + " failed and nobody joined it", error);
            }
        } catch (Throwable ignored) {
            // A throwing hook must not take the worker down.
        }
    }

    // ------------------------------------------------------------------ waking workers

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

    /**
     * Set by the monitor while workers block inside polls (a blocking episode): thieves and
     * workers taking from the injector take one task, not a share, so that a thread that blocks
     * next strands nothing but its own spawns (ForkJoinPool's workers hold only their own).
     */
    volatile boolean compensating;

    /** What a worker divides the injector's size by for its share: one task during an episode. */
    int injectorShares() {
        return compensating ? Integer.MAX_VALUE : workers.length;
    }

    /**
     * A sleeping worker woke (on its own thread, off every producer's path): a monitor that
     * backed off while every worker slept is woken to watch again, so the first blocking after
     * a quiet spell is seen within a tick, not after the backed-off sleep.
     */
    void workerWoke() {
        if (monitor.dozing) {
            LockSupport.unpark(monitorThread);
        }
    }

    /**
     * A worker is about to block in place, its queues spilled to the injector: make sure they
     * and new work find a thread, waking or adding one unless as many as the configured workers
     * still run.
     */
    void compensateForBlocking(Worker blocking) {
        if (freeWorkersBesides(blocking) >= workers.length) {
            return; // enough threads run to take what it spilled: another would only oversubscribe
        }
        if (!notifyParkedOrSearching()) {
            extras.compensate(null, false, ExtraWorkers.BLOCK_IN_PLACE); // its queues went to the injector already
        }
    }

    /**
     * Workers other than {@code except} awake and not blocked inside a poll, counted as the
     * monitor counts them (a racy look, as the monitor's).
     */
    int freeWorkersBesides(Worker except) {
        int free = 0;
        for (Worker w : extras.all()) {
            if (w != except && !w.sleeping && !w.lingering
                    && !Monitor.blockedInPoll(w, w.cx.pollsOpaque(), w.cx.bodyRacy())) {
                free++;
            }
        }
        return free;
    }

    /** A new earliest timer (a method, not a lambda: the keeper is built after the timers). */
    private void earlierDeadline() {
        keeper.earlierDeadline();
    }

    /** Work anywhere a worker could take it (a racy estimate, used before sleeping). */
    boolean anyWork() {
        if (!injector.isEmpty()) {
            return true;
        }
        for (Worker w : extras.all()) {
            if (w.queues.hasWork()) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ shutdown

    public boolean isShutdown() {
        return lifecycle.isShutdown();
    }

    public boolean isTerminated() {
        return lifecycle.isTerminated();
    }

    public void shutdown() {
        lifecycle.beginShutdown();
        blocking.shutdown();
        lifecycle.tryTerminate();
    }

    /** Closing: shutdown, and cancel waiting tasks once nothing is left to run. */
    public void close() {
        shutdown();
        lifecycle.beginClosing();
    }

    /** Stops: cancels every task not running; returns the runnables that never started. */
    public List<Runnable> shutdownNow() {
        lifecycle.beginStop();
        List<Runnable> neverStarted = new ArrayList<>();
        Consumer<Object> cancel = t -> {
            if (t instanceof TaskCell) {
                ((TaskCell<?>) t).cancelDequeued();
            } else {
                neverStarted.add((Runnable) t); // a runnable queued as itself never started
            }
            lifecycle.countOutsideCompletion();
        };
        Object t;
        while ((t = injector.poll()) != null) {
            cancel.accept(t);
        }
        for (BlockingPool.Job job : blocking.shutdownNow()) {
            lifecycle.blockingDropped();
            cancel.accept(((BlockingJob) job).cell);
        }
        for (Worker w : extras.all()) {
            w.queues.drainAll(cancel);
        }
        lifecycle.requestCancelIdle();
        for (Worker w : extras.all()) {
            w.thread.interrupt();
        }
        lifecycle.tryTerminate();
        return neverStarted;
    }

    void workerExited(Worker w) {
        if (w.extra) {
            extras.exited(w);
        }
        lifecycle.workerExited();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return lifecycle.awaitTermination(timeout, unit);
    }

    /** Waits for every worker thread to end. */
    public void joinWorkers() throws InterruptedException {
        for (Worker w : workers) {
            w.thread.join();
        }
        extras.join();
        blocking.join();
        monitorThread.join();
    }

    // ------------------------------------------------------------------ for tests and metrics

    /** A snapshot of every counter (racy reads: see RuntimeMetrics). */
    public RuntimeMetrics metrics() {
        List<WorkerMetrics> per = new ArrayList<>(workers.length);
        for (Worker w : workers) {
            per.add(w.metrics(monitor.stalls(w.index)));
        }
        return new RuntimeMetrics(workers.length, Math.max(0, lifecycle.unfinishedTasks()), injector.size(),
                extras.alive(), blocking.threadsAlive(), blocking.idleThreads(), blocking.queueDepth(),
                time.pendingTimers(), per);
    }

    /** The tasks running, queued and waiting, read without stopping the workers (see TaskDumper). */
    public TaskDump dumpTasks() {
        return TaskDumper.dump(this);
    }

    /**
     * Monitor ticks completed so far. A test that moves a manual clock waits for two more ticks
     * to know the monitor has looked at the runtime (and fired its timers) since.
     */
    public long monitorTicks() {
        return monitor.ticks;
    }

    /** Extra workers parked as spares now. */
    public int spareWorkers() {
        return extras.spares();
    }

    /** Extra worker threads alive now, active and spare (what {@code maxExtraWorkers} bounds). */
    public int extraWorkersAlive() {
        return extras.live();
    }

    /** Extra worker threads started so far (a spare woken again is not a start). */
    public int extraWorkersStarted() {
        return extras.started();
    }

    /** Budget-forced yields per worker so far (a racy snapshot). */
    public long[] forcedYieldsPerWorker() {
        long[] out = new long[workers.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = workers[i].cx.forcedYields();
        }
        return out;
    }
}
