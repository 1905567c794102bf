package dev.spindle.internal.worker;

import dev.spindle.internal.RuntimeThread;

/** A blocking-pool thread; it knows its runtime, so code on it can spawn tasks there. */
final class BlockingThread extends RuntimeThread {

    BlockingThread(Scheduler scheduler, Runnable body, String name) {
        super(scheduler, body, name);
    }
}
