package dev.spindle.internal.worker;

import dev.spindle.spi.Driver;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker's park/unpark with a sticky permit: an unpark that comes before the park makes the
 * park return at once. Only the owning thread parks, either on its thread or inside the
 * runtime's driver; an unpark costs the driver's wake-up only while the owner is parked in it.
 */
final class Parker {
    private static final int EMPTY = 0;
    private static final int PARKED = 1;
    private static final int NOTIFIED = 2;
    private static final int PARKED_IN_DRIVER = 3;

    private final AtomicInteger state = new AtomicInteger(EMPTY);
    private volatile Thread thread;
    private final Driver driver;

    /** {@code driver} may be null: the runtime has none. */
    Parker(Driver driver) {
        this.driver = driver;
    }

    void bind(Thread t) {
        this.thread = t;
    }

    /** Blocks until unparked (or interrupted, or spuriously); callers re-check their condition. */
    void park() {
        park(Long.MAX_VALUE);
    }

    /** As {@link #park()}, but returns after {@code nanos} at the latest ({@code Long.MAX_VALUE}: no limit). */
    void park(long nanos) {
        if (!enter(PARKED)) {
            return;
        }
        if (nanos == Long.MAX_VALUE) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, nanos);
        }
        // Either unparked (state is NOTIFIED), interrupted, or spurious: reset in all cases.
        state.set(EMPTY);
    }

    /**
     * Waits in the driver for up to {@code nanos}. The caller holds the driver; an unpark
     * meanwhile becomes the driver's wake-up.
     */
    void parkInDriver(long nanos) {
        if (!enter(PARKED_IN_DRIVER)) {
            return;
        }
        try {
            driver.park(nanos);
        } finally {
            // An unpark that read PARKED_IN_DRIVER just now leaves the driver a sticky wake-up:
            // the next park in it returns at once, which callers treat as spurious.
            state.set(EMPTY);
        }
    }

    /** Consumes a pending unpark (returning false), or moves to {@code parked}. */
    private boolean enter(int parked) {
        if (state.compareAndSet(NOTIFIED, EMPTY)) {
            return false;
        }
        if (!state.compareAndSet(EMPTY, parked)) {
            state.set(EMPTY); // an unpark slipped in between: consume it
            return false;
        }
        return true;
    }

    /** Any thread. */
    void unpark() {
        int prev = state.getAndSet(NOTIFIED);
        if (prev == PARKED) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        } else if (prev == PARKED_IN_DRIVER) {
            driver.unpark();
        }
    }
}
