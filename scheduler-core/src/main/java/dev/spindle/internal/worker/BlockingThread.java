package dev.spindle.internal.worker;

/** A blocking-pool thread; it knows its runtime, so code on it can spawn tasks there. */
public final class BlockingThread extends Thread {
    final Scheduler scheduler;

    BlockingThread(Scheduler scheduler, Runnable body, String name) {
        super(null, body, name, 0, false);
        this.scheduler = scheduler;
    }
}
