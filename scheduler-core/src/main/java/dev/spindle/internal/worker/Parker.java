package dev.spindle.internal.worker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker's park/unpark with a sticky permit: an unpark that comes before the park makes the
 * park return at once. Only the owning thread parks.
 */
final class Parker {
    private static final int EMPTY = 0;
    private static final int PARKED = 1;
    private static final int NOTIFIED = 2;

    private final AtomicInteger state = new AtomicInteger(EMPTY);
    private volatile Thread thread;

    void bind(Thread t) {
        this.thread = t;
    }

    /** Blocks until unparked (or interrupted, or spuriously); callers re-check their condition. */
    void park() {
        if (state.compareAndSet(NOTIFIED, EMPTY)) {
            return;
        }
        if (!state.compareAndSet(EMPTY, PARKED)) {
            state.set(EMPTY); // an unpark slipped in between: consume it
            return;
        }
        LockSupport.park(this);
        // Either unparked (state is NOTIFIED), interrupted, or spurious: reset in all cases.
        state.set(EMPTY);
    }

    /** As {@link #park()}, but returns after {@code nanos} at the latest. */
    void park(long nanos) {
        if (state.compareAndSet(NOTIFIED, EMPTY)) {
            return;
        }
        if (!state.compareAndSet(EMPTY, PARKED)) {
            state.set(EMPTY);
            return;
        }
        LockSupport.parkNanos(this, nanos);
        state.set(EMPTY);
    }

    /** Any thread. */
    void unpark() {
        if (state.getAndSet(NOTIFIED) == PARKED) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
