package dev.spindle.internal.worker;

import dev.spindle.internal.task.PollingThread;

/**
 * A worker's platform thread, and the binding from a thread to its worker: {@code instanceof
 * WorkerThread} is how code finds the worker it runs on. Any thread may call the statics.
 */
public final class WorkerThread extends PollingThread {
    final Worker worker;
    private final Runnable onStart;
    private final Runnable onStop;

    WorkerThread(Worker worker, String name, Runnable onStart, Runnable onStop) {
        super(worker.scheduler, worker.cx, name);
        this.worker = worker;
        this.onStart = onStart;
        this.onStop = onStop;
    }

    @Override
    public void run() {
        runHook(onStart);
        try {
            worker.run();
        } finally {
            runHook(onStop);
        }
    }

    /** A throwing hook is reported and otherwise ignored: the worker must run regardless. */
    static void runHook(Runnable hook) {
        if (hook != null) {
            try {
                hook.run();
            } catch (Throwable e) {
                System.getLogger("dev.spindle").log(System.Logger.Level.WARNING,
                        "thread hook failed on " + Thread.currentThread().getName(), e);
            }
        }
    }

    /**
     * The worker of {@code scheduler} running on the calling thread, or null; null too while that
     * worker blocks in place (its thread then acts as an outside thread).
     */
    static Worker currentWorker(Scheduler scheduler) {
        Thread t = Thread.currentThread();
        if (t instanceof WorkerThread) {
            Worker w = ((WorkerThread) t).worker;
            if (w.scheduler == scheduler && !w.blockedInPlace) {
                return w;
            }
        }
        return null;
    }

    /** True on a worker thread running tasks (of any runtime; not inside a blocking section). */
    public static boolean onPollingWorker() {
        Thread t = Thread.currentThread();
        return t instanceof WorkerThread && !((WorkerThread) t).worker.blockedInPlace;
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
}
