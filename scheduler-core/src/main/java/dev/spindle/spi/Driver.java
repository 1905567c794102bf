package dev.spindle.spi;

/**
 * An event source that a runtime's workers wait in when they have nothing to run: the seam
 * through which I/O (the {@code scheduler-io} reactor) reaches a runtime without the core
 * knowing about it. A runtime built with a driver ({@code SpindleBuilder.driver}) hands it to
 * one worker at a time:
 * <ul>
 *   <li>a worker with nothing to do parks <em>in</em> the driver, with the runtime's nearest
 *       timer deadline as the timeout, while its idle peers park normally;</li>
 *   <li>a busy worker polls it without blocking ({@code park(0)}) every few dozen tasks, and the
 *       runtime's monitor thread does so every tick, so events are seen while all workers are
 *       busy;</li>
 *   <li>{@link #unpark} is called from any thread, and only while a worker is parked in it,
 *       when that worker must run again (work arrived, or an earlier timer was scheduled).</li>
 * </ul>
 * {@code park} is never called by two threads at once. Events are delivered by waking the
 * {@link dev.spindle.Waker}s that tasks registered with the driver's resources, from inside
 * {@code park}, on the parking thread.
 */
public interface Driver {
    /**
     * Waits up to {@code timeoutNanos} for events and wakes the tasks waiting on them; returns
     * early after {@link #unpark}. {@code 0} polls without blocking; {@code Long.MAX_VALUE}
     * waits with no limit. Must not throw: a driver reports its own failures to the tasks that
     * use it.
     */
    void park(long timeoutNanos);

    /**
     * Makes a {@link #park} in progress return soon, or, if none is in progress, the next one
     * return at once. Any thread; must be cheap to call more than once.
     */
    void unpark();

    /**
     * The runtime has terminated: release what the driver holds and fail its pending waiters.
     * Called once, after the last worker stopped; {@code park} is not called after it.
     */
    void shutdown();
}
