package dev.spindle.internal.worker;

/** A worker's platform thread; {@code instanceof WorkerThread} is how code finds its worker. */
public final class WorkerThread extends Thread {
    final Worker worker;

    WorkerThread(Worker worker, String name) {
        super(null, null, name, 0, false);
        this.worker = worker;
    }

    @Override
    public void run() {
        worker.run();
    }

    /** The runtime scheduler this thread works for. */
    public Scheduler scheduler() {
        return worker.scheduler;
    }
}
