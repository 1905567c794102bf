package dev.spindle.internal.worker;

import dev.spindle.PollFuture;
import dev.spindle.internal.queue.Injector;
import dev.spindle.internal.task.FutureCell;
import dev.spindle.internal.task.RunnableCell;
import dev.spindle.internal.task.TaskCell;
import dev.spindle.internal.task.TaskScheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared half of a runtime: the workers, the injector, idle accounting, task counts,
 * and the run state. The public {@code Runtime} is a thin face over this.
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
    }

    final Worker[] workers;
    final Injector injector = new Injector(4096);
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
        int n = config.workers;
        this.workers = new Worker[n];
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker(this, i, config.localQueueCapacity, config.inboxCapacity);
        }
        this.idle = new Idle(n);
        this.uncaught = config.uncaughtExceptionHandler;
        this.liveWorkers = new AtomicInteger(n);
        for (Worker w : workers) {
            WorkerThread t = new WorkerThread(w, config.threadNamePrefix + w.index);
            t.setDaemon(config.daemon);
            w.thread = t;
            w.parker.bind(t);
        }
    }

    public void start() {
        for (Worker w : workers) {
            w.thread.start();
        }
    }

    /** The object (the public Runtime) this scheduler serves. */
    public Object owner() {
        return owner;
    }

    public int workerCount() {
        return workers.length;
    }

    int runState() {
        return runState;
    }

    /** The worker of this scheduler running on the calling thread, or null. */
    Worker currentWorker() {
        Thread t = Thread.currentThread();
        if (t instanceof WorkerThread) {
            Worker w = ((WorkerThread) t).worker;
            if (w.scheduler == this) {
                return w;
            }
        }
        return null;
    }

    public boolean onWorkerThread() {
        return currentWorker() != null;
    }

    /** The scheduler whose worker runs on the calling thread, or null. */
    public static Scheduler current() {
        Thread t = Thread.currentThread();
        return t instanceof WorkerThread ? ((WorkerThread) t).worker.scheduler : null;
    }

    // ------------------------------------------------------------------ submission

    public <T> TaskCell<T> spawn(PollFuture<T> future) {
        Worker w = currentWorker();
        FutureCell<T> cell = new FutureCell<>(this, w, future);
        submit(cell, w);
        return cell;
    }

    public void execute(Runnable runnable) {
        Worker w = currentWorker();
        submit(new RunnableCell(this, w, runnable), w);
    }

    private void submit(TaskCell<?> cell, Worker w) {
        if (w != null) {
            if (runState != RUNNING) {
                throw rejected();
            }
            w.spawnLocal(cell);
            return;
        }
        // From outside: count first, then check (seq-cst both), so termination never misses it.
        externalSpawned.incrementAndGet();
        if (runState != RUNNING) {
            externalCompleted.incrementAndGet(); // never accepted: balance the count
            tryTerminate();
            throw rejected();
        }
        injector.push(cell);
        notifyParked();
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
        if (home == null || !home.inbox.offer(task)) {
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

    /** Wakes one sleeping worker as a searcher, unless somebody already searches. */
    void notifyParked() {
        Worker w = idle.workerToNotify();
        if (w != null) {
            w.parker.unpark();
        }
    }

    /** Work anywhere a worker could take it (a racy estimate, used before sleeping). */
    boolean anyWork() {
        if (!injector.isEmpty()) {
            return true;
        }
        for (Worker w : workers) {
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
        tryTerminate();
    }

    /** Closing: shutdown, and cancel waiting tasks once nothing is left to run. */
    public void close() {
        shutdown();
        closing = true;
        if (idle.allSleeping()) {
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
        for (Worker w : workers) {
            w.drainAll(cancel);
        }
        requestCancelIdle();
        for (Worker w : workers) {
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
        for (Worker w : workers) {
            w.parker.unpark();
        }
    }

    void workerExited(Worker w) {
        if (liveWorkers.decrementAndGet() == 0) {
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

    /** Budget-forced yields per worker so far (a racy snapshot). */
    public long[] forcedYieldsPerWorker() {
        long[] out = new long[workers.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = workers[i].cx.forcedYields;
        }
        return out;
    }
}
