package dev.spindle.internal.time;

import dev.spindle.Waker;
import dev.spindle.time.Clock;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A runtime's timers: Agrona's {@link DeadlineTimerWheel} (single-threaded) behind one lock, with
 * every timer that falls in the same wheel tick kept in one bucket that is one wheel timer. See
 * the package notes.
 */
public final class TimeDriver {
    /** Wheel tick: 2^19 ns, about half a millisecond, so timers fire within 1 ms of their deadline. */
    static final long TICK_NANOS = 1L << 19;
    private static final int TICKS_PER_WHEEL = 1024;

    private final Clock clock;
    /** Told when the first timer arrives in an empty wheel: sleepers may be parked with no deadline. */
    private final Runnable onFirstTimer;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock:
    private final DeadlineTimerWheel wheel;
    private final long startTime;
    private final Long2ObjectHashMap<Bucket> byTick = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Bucket> byWheelId = new Long2ObjectHashMap<>();
    private long count;
    /** Scratch of one fireExpired: timers due, buckets to re-arm. */
    private ArrayList<Timer> due = new ArrayList<>();
    private final ArrayList<Bucket> rearm = new ArrayList<>();
    private final DeadlineTimerWheel.TimerHandler onExpiry = this::onWheelExpiry;
    /** Timers scheduled and neither fired nor cancelled; read without the lock. */
    private volatile long pending;

    public TimeDriver(Clock clock, Runnable onFirstTimer) {
        this.clock = clock;
        this.onFirstTimer = onFirstTimer;
        this.startTime = clock.nanoTime();
        this.wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, startTime, TICK_NANOS, TICKS_PER_WHEEL);
    }

    public Clock clock() {
        return clock;
    }

    /** One scheduled deadline and the waker it wakes. */
    public static final class Timer {
        final long deadline;
        Bucket bucket; // guarded by the driver's lock; null once fired or cancelled
        int index;     // guarded by the driver's lock: where in the bucket
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

    /** The timers of one wheel tick: one wheel timer, due at the tick's end. */
    static final class Bucket {
        final long tick;
        long wheelId;
        /** The deadline the bucket's wheel timer was scheduled for: its earliest timer's. */
        long wheelDeadline;
        Timer[] timers = new Timer[4];
        int size;

        Bucket(long tick) {
            this.tick = tick;
        }

        void add(Timer t) {
            if (size == timers.length) {
                timers = Arrays.copyOf(timers, size * 2);
            }
            t.bucket = this;
            t.index = size;
            timers[size++] = t;
        }

        void remove(Timer t) {
            Timer last = timers[--size];
            timers[t.index] = last;
            last.index = t.index;
            timers[size] = null;
            t.bucket = null;
        }
    }

    /** Schedules a timer; a deadline already due fires at the next {@link #fireExpired}. */
    public Timer schedule(long deadline, Waker waker) {
        Timer t = new Timer(deadline, waker);
        boolean first;
        lock.lock();
        try {
            first = count == 0;
            long tick = Math.floorDiv(deadline - startTime, TICK_NANOS);
            Bucket b = byTick.get(tick);
            if (b == null) {
                b = new Bucket(tick);
                byTick.put(tick, b);
                arm(b, deadline);
            } else if (deadline < b.wheelDeadline) {
                wheel.cancelTimer(b.wheelId);
                byWheelId.remove(b.wheelId);
                arm(b, deadline);
            }
            b.add(t);
            pending = ++count;
        } finally {
            lock.unlock();
        }
        if (first) {
            onFirstTimer.run();
        }
        return t;
    }

    /** Files the bucket's wheel timer for {@code deadline} (its earliest timer's). Under the lock. */
    private void arm(Bucket b, long deadline) {
        b.wheelDeadline = deadline;
        b.wheelId = wheel.scheduleTimer(deadline);
        byWheelId.put(b.wheelId, b);
    }

    /** Removes a timer that has not fired; harmless after it fired or was cancelled. */
    public void cancel(Timer t) {
        lock.lock();
        try {
            Bucket b = t.bucket;
            if (b != null) {
                b.remove(t);
                if (b.size == 0) {
                    wheel.cancelTimer(b.wheelId);
                    byWheelId.remove(b.wheelId);
                    byTick.remove(b.tick);
                }
                pending = --count;
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
     * Fires every timer whose tick has ended by the clock, unless another thread is firing right
     * now. Returns the number fired here.
     */
    public int fireExpired() {
        if (pending == 0 || !lock.tryLock()) {
            return 0;
        }
        ArrayList<Timer> expired;
        try {
            long now = clock.nanoTime();
            // Each poll serves one wheel tick; catch up to now.
            do {
                wheel.poll(now, onExpiry, Integer.MAX_VALUE);
            } while (wheel.timerCount() > 0 && wheel.currentTickTime() <= now);
            for (Bucket b : rearm) {
                long earliest = Long.MAX_VALUE;
                for (int i = 0; i < b.size; i++) {
                    earliest = Math.min(earliest, b.timers[i].deadline);
                }
                arm(b, earliest);
            }
            rearm.clear();
            if (wheel.timerCount() == 0 && wheel.currentTickTime() <= now) {
                wheel.currentTickTime(now); // idle: jump ahead rather than catch up tick by tick
            }
            pending = count;
            if (due.isEmpty()) {
                return 0; // the common case, while timers wait: nothing allocated
            }
            expired = due;
            due = new ArrayList<>(); // the woken list leaves the lock with this thread
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

    /** The wheel's expiry handler (under the lock): fire a bucket's due timers, re-arm the rest. */
    private boolean onWheelExpiry(TimeUnit unit, long now, long id) {
        Bucket b = byWheelId.remove(id);
        if (b != null) {
            for (int i = b.size - 1; i >= 0; i--) {
                Timer t = b.timers[i];
                if (t.deadline - now <= 0) {
                    b.remove(t); // unlinked: a later cancel finds nothing to do
                    due.add(t);
                    count--;
                }
            }
            if (b.size == 0) {
                byTick.remove(b.tick);
            } else {
                rearm.add(b); // later timers of the same tick: re-armed after the poll
            }
        }
        return true;
    }

    /**
     * How long a parking worker may park before it must fire timers: one wheel tick while any
     * timer is pending, else {@code max}.
     */
    public long parkNanos(long max) {
        return pending > 0 ? Math.min(max, TICK_NANOS) : max;
    }
}
