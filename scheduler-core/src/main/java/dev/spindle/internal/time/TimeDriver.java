package dev.spindle.internal.time;

import dev.spindle.Waker;
import dev.spindle.time.Clock;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A runtime's timers: Agrona's {@link DeadlineTimerWheel} (single-threaded) behind one lock.
 * Any thread schedules and cancels; whoever fires ({@link #fireExpired}: a worker before it
 * parks and every fairness tick, the monitor every tick) takes the lock with {@code tryLock}, so
 * firing never waits, collects the expired entries, and wakes their wakers after unlocking.
 *
 * <p>The wheel cannot say when its next timer is due, so a worker that parks while timers are
 * pending wakes once per wheel tick to fire them (see {@link #parkNanos}).
 */
public final class TimeDriver {
    /** Wheel tick: 2^19 ns, about half a millisecond, so timers fire within 1 ms of their deadline. */
    static final long TICK_NANOS = 1L << 19;
    private static final int TICKS_PER_WHEEL = 1024;

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final DeadlineTimerWheel wheel;
    /** Guarded by lock. */
    private final Long2ObjectHashMap<Timer> byId = new Long2ObjectHashMap<>();
    /** Timers scheduled and neither fired nor cancelled; read without the lock by parking workers. */
    private volatile long pending;

    /** Told when the first timer arrives in an empty wheel: sleepers may be parked with no deadline. */
    private final Runnable onFirstTimer;

    public TimeDriver(Clock clock, Runnable onFirstTimer) {
        this.clock = clock;
        this.onFirstTimer = onFirstTimer;
        this.wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, clock.nanoTime(), TICK_NANOS, TICKS_PER_WHEEL);
    }

    public Clock clock() {
        return clock;
    }

    /** One scheduled deadline and the waker it wakes. */
    public static final class Timer {
        final long deadline;
        long id = DeadlineTimerWheel.NULL_DEADLINE; // guarded by the driver's lock
        volatile Waker waker;
        volatile boolean fired;

        Timer(long deadline, Waker waker) {
            this.deadline = deadline;
            this.waker = waker;
        }

        public long deadline() {
            return deadline;
        }

        /** True once the deadline passed and the waker was (being) woken. */
        public boolean fired() {
            return fired;
        }

        /** Replaces the waker to wake (a future polled by another task); any thread. */
        public void updateWaker(Waker w) {
            Waker cur = waker;
            if (cur == null || !cur.willWake(w)) {
                waker = w;
            }
        }
    }

    /** Schedules a timer; a deadline already due fires at the next {@link #fireExpired}. */
    public Timer schedule(long deadline, Waker waker) {
        Timer t = new Timer(deadline, waker);
        boolean first;
        lock.lock();
        try {
            first = wheel.timerCount() == 0;
            t.id = wheel.scheduleTimer(deadline);
            byId.put(t.id, t);
            pending = wheel.timerCount();
        } finally {
            lock.unlock();
        }
        if (first) {
            onFirstTimer.run();
        }
        return t;
    }

    /** Removes a timer that has not fired; harmless after it fired. */
    public void cancel(Timer t) {
        lock.lock();
        try {
            // The wheel reuses a fired timer's id: only a timer still filed under its id is cancelled.
            if (t.id != DeadlineTimerWheel.NULL_DEADLINE && byId.get(t.id) == t) {
                byId.remove(t.id);
                wheel.cancelTimer(t.id);
                t.id = DeadlineTimerWheel.NULL_DEADLINE;
                pending = wheel.timerCount();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Timers neither fired nor cancelled (a racy count). */
    public long pendingTimers() {
        return pending;
    }

    /**
     * Fires every timer whose deadline has passed by the clock, unless another thread is firing
     * right now. Returns the number fired here.
     */
    public int fireExpired() {
        if (pending == 0 || !lock.tryLock()) {
            return 0;
        }
        ArrayList<Timer> expired = null;
        try {
            long now = clock.nanoTime();
            ArrayList<Timer> out = new ArrayList<>(0);
            DeadlineTimerWheel.TimerHandler handler = (unit, n, id) -> {
                Timer t = byId.remove(id);
                if (t != null) {
                    t.id = DeadlineTimerWheel.NULL_DEADLINE; // its id may be reused from now on
                    out.add(t);
                }
                return true;
            };
            // Each poll serves one wheel tick; catch up to now.
            do {
                wheel.poll(now, handler, Integer.MAX_VALUE);
            } while (wheel.timerCount() > 0 && wheel.currentTickTime() <= now);
            if (wheel.timerCount() == 0 && wheel.currentTickTime() <= now) {
                wheel.currentTickTime(now); // idle: jump the wheel forward, so it never catches up tick by tick
            }
            pending = wheel.timerCount();
            expired = out;
        } finally {
            lock.unlock();
        }
        for (Timer t : expired) {
            t.fired = true;
            Waker w = t.waker;
            if (w != null) {
                try {
                    w.wake();
                } catch (Throwable ignored) {
                    // A foreign waker that throws must not stop the others.
                }
            }
        }
        return expired.size();
    }

    /**
     * How long a parking worker may park before it must fire timers: one wheel tick while any
     * timer is pending, else {@code max}.
     */
    public long parkNanos(long max) {
        return pending > 0 ? Math.min(max, TICK_NANOS) : max;
    }
}
