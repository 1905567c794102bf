package dev.spindle.internal.worker;

/** A worker's platform thread; {@code instanceof WorkerThread} is how code finds its worker. */
public final class WorkerThread extends Thread {
    final Worker worker;
    private final Runnable onStart;
    private final Runnable onStop;

    WorkerThread(Worker worker, String name, Runnable onStart, Runnable onStop) {
        super(null, null, name, 0, false);
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

    /** The runtime scheduler this thread works for. */
    public Scheduler scheduler() {
        return worker.scheduler;
    }
}
