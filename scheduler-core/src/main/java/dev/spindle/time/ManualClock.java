package dev.spindle.time;

import java.time.Duration;
import java.util.Objects;

/**
 * A clock that moves only when told to: for tests of time-dependent behaviour (stall
 * detection) that must not depend on how fast the machine is. Thread-safe.
 */
public final class ManualClock implements Clock {
    private volatile long now;

    /** A clock reading zero. */
    public ManualClock() {
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Moves the clock forward.
     *
     * @throws NullPointerException if by is null
     * @throws IllegalArgumentException if by is negative
     */
    public synchronized void advance(Duration by) {
        Objects.requireNonNull(by, "by");
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go back: advance(" + by + ")");
        }
        now += by.toNanos();
    }

    @Override
    public String toString() {
        return "ManualClock[" + Duration.ofNanos(now) + "]";
    }
}
