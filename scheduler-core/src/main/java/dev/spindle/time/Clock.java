package dev.spindle.time;

/**
 * The runtime's source of time: a monotonic nanosecond reading, like {@link System#nanoTime()}.
 * Only differences between readings mean anything.
 *
 * <p>A runtime reads its clock for stall detection; tests give it a {@link ManualClock} so that
 * time moves only when they say.
 */
@FunctionalInterface
public interface Clock {

    /** The current reading, in nanoseconds; never decreases. */
    long nanoTime();

    /** The system's monotonic clock, {@link System#nanoTime()}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}

/** The default clock. */
final class SystemClock implements Clock {
    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "Clock.system()";
    }
}
