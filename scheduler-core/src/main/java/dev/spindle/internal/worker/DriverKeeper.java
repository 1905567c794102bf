package dev.spindle.internal.worker;

import dev.spindle.internal.time.TimeDriver;
import dev.spindle.spi.Driver;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who keeps the runtime's time and its driver (the {@code spi.Driver}, if the runtime has one).
 * Any thread.
 *
 * <p>One sleeping worker at a time <em>keeps</em> them: it takes {@code busy} with a CAS,
 * publishes itself in {@code holder}, and parks until the earliest timer (or the re-check
 * interval while a peer is awake): inside the driver when there is one, so I/O events wake it,
 * else on its {@link Parker}. It fires due timers whenever it wakes, and gives the driver back
 * before running anything. A timer scheduled earlier than every other one unparks the keeper so
 * that it parks again with the new deadline: the keeper stores {@code holder} and then reads the
 * earliest deadline; the timer wheel stores the deadline and then reads {@code holder} (a Dekker
 * pair on volatiles, so one of them sees the other); with no keeper, a sleeper is woken to
 * become one. Busy workers poll the driver without blocking at every fairness tick, and the
 * monitor every tick, each only if nobody holds it; a sleeper that finds the driver held by such
 * a poll parks for the re-check interval rather than indefinitely, so the driver never goes
 * unkept for long. When the last worker exits, the driver is taken for good and shut down.
 */
final class DriverKeeper {
    private final TimeDriver time;
    /** The runtime's event driver (the I/O reactor), or null. */
    private final Driver driver;
    /** Wakes a sleeping worker as a searcher. */
    private final Runnable wakeSleeper;
    /** The worker parked as the keeper, or null. Written by its holder only. */
    private volatile Worker holder;
    /** Taken by the keeper, and for a moment by whoever polls the driver: a try-lock. */
    private final AtomicBoolean busy = new AtomicBoolean();

    DriverKeeper(TimeDriver time, Driver driver, Runnable wakeSleeper) {
        this.time = time;
        this.driver = driver;
        this.wakeSleeper = wakeSleeper;
    }

    /**
     * One park of a sleeping worker: as the keeper if the driver is free (until the earliest
     * timer, and no longer than {@code recheckNanos} when {@code timed}; due timers fire after),
     * else on its own parker (timed also while a busy thread polls the driver, so that this
     * worker comes back to keep it).
     *
     * @return true if the park was bounded (timed) or kept time and driver: either way the
     *     worker should look for work that nobody woke it for (timers it fired, driver events,
     *     a task queued behind a busy peer)
     */
    boolean park(Worker w, boolean timed, long recheckNanos) {
        if (!busy.compareAndSet(false, true)) {
            timed |= holder == null;
            w.parker.park(timed ? recheckNanos : Long.MAX_VALUE);
            return timed;
        }
        holder = w;
        try {
            long nanos = Math.min(time.nanosUntilEarliest(), timed ? recheckNanos : Long.MAX_VALUE);
            if (driver != null) {
                w.parker.parkInDriver(nanos);
            } else {
                w.parker.park(nanos);
            }
        } finally {
            holder = null;
            busy.set(false);
        }
        time.fireExpired();
        return true;
    }

    /** Polls the driver without blocking, unless a worker is in it. Any thread. */
    void pollNow() {
        Driver d = driver;
        if (d != null && !busy.get() && busy.compareAndSet(false, true)) {
            try {
                d.park(0);
            } finally {
                busy.set(false);
            }
        }
    }

    /**
     * The timer wheel has a new earliest timer: the keeper parks until the old one, so wake it to
     * park again; with no keeper, wake a sleeper to become one.
     */
    void earlierDeadline() {
        Worker h = holder;
        if (h != null) {
            h.parker.unpark();
        } else if (!busy.get()) {
            wakeSleeper.run();
        }
    }

    /** The last worker is exiting: take the driver for good and shut it down, exactly once. */
    void shutdown() {
        if (driver == null) {
            return;
        }
        // Taken for good: the monitor may be polling it right now, and must not again.
        while (!busy.compareAndSet(false, true)) {
            Thread.onSpinWait();
        }
        try {
            driver.shutdown();
        } catch (Throwable e) {
            System.getLogger("dev.spindle").log(System.Logger.Level.WARNING,
                    "the runtime's driver failed to shut down", e);
        }
    }
}
