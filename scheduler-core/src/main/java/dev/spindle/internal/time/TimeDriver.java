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
    /**
     * Told (outside the lock) when a timer becomes the earliest one: whoever parks until the
     * earliest deadline must wake and park again with the new one.
     */
    private final Runnable onEarlierDeadline;
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
    /** The ticks that have (or had) a bucket, as a min-heap; see {@link #earliestBucket}. */
    private long[] tickHeap = new long[64];
    private int heapSize;
    /** Timers scheduled and neither fired nor cancelled; read without the lock. */
    private volatile long pending;
    /**
     * The earliest bucket's wheel deadline, {@code Long.MAX_VALUE} with no timer; read without
     * the lock. Never later than the earliest pending deadline (a cancel may leave it early).
     */
    private volatile long earliest = Long.MAX_VALUE;

    public TimeDriver(Clock clock, Runnable onEarlierDeadline) {
        this.clock = clock;
        this.onEarlierDeadline = onEarlierDeadline;
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
        boolean earlier;
        lock.lock();
        try {
            long tick = Math.floorDiv(deadline - startTime, TICK_NANOS);
            Bucket b = byTick.get(tick);
            if (b == null) {
                b = new Bucket(tick);
                byTick.put(tick, b);
                pushTick(tick);
                arm(b, deadline);
            } else if (deadline < b.wheelDeadline) {
                wheel.cancelTimer(b.wheelId);
                byWheelId.remove(b.wheelId);
                arm(b, deadline);
            }
            b.add(t);
            pending = ++count;
            earlier = deadline < earliest;
            if (earlier) {
                earliest = deadline;
            }
        } finally {
            lock.unlock();
        }
        if (earlier) {
            onEarlierDeadline.run();
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
                    if (b.wheelDeadline == earliest) {
                        earliest = earliestBucket(); // later: the parker may wake once for nothing
                    }
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
            // No timer is due before the earliest bucket's tick: skip the empty ticks up to it
            // (a worker that parked until a deadline an hour away must not poll 7 million
            // empty ticks). The wheel only moves forward.
            long earliestDue = earliestBucket();
            if (earliestDue != Long.MAX_VALUE) {
                wheel.currentTickTime(Math.min(earliestDue, now));
            }
            // Each poll serves one wheel tick and moves to the next once that tick has ended;
            // stop at the tick that holds now, after polling it.
            long tickEnd;
            do {
                tickEnd = wheel.currentTickTime();
                wheel.poll(now, onExpiry, Integer.MAX_VALUE);
            } while (wheel.timerCount() > 0 && wheel.currentTickTime() != tickEnd);
            for (Bucket b : rearm) {
                long first = Long.MAX_VALUE;
                for (int i = 0; i < b.size; i++) {
                    first = Math.min(first, b.timers[i].deadline);
                }
                arm(b, first);
            }
            rearm.clear();
            if (wheel.timerCount() == 0 && wheel.currentTickTime() <= now) {
                wheel.currentTickTime(now); // idle: jump ahead rather than catch up tick by tick
            }
            pending = count;
            earliest = earliestBucket();
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
     * How long a worker may park before the earliest pending timer is due: at least 0, and
     * {@code Long.MAX_VALUE} with no timer pending.
     */
    public long nanosUntilEarliest() {
        long e = earliest;
        if (e == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, e - clock.nanoTime());
    }

    // ------------------------------------------------------------------ the tick heap (under the lock)

    /**
     * The wheel deadline of the bucket with the lowest tick, or {@code Long.MAX_VALUE}. The heap
     * drops a tick lazily, when it reaches the top with no bucket left; a tick whose bucket came
     * back may be in the heap twice, which is harmless. The heap is rebuilt from the live buckets
     * when stale entries outnumber them, so churn cannot grow it without bound.
     */
    private long earliestBucket() {
        while (heapSize > 0) {
            Bucket b = byTick.get(tickHeap[0]);
            if (b != null) {
                return b.wheelDeadline;
            }
            popTick();
        }
        return Long.MAX_VALUE;
    }

    private void pushTick(long tick) {
        if (heapSize == tickHeap.length) {
            if (heapSize > 2 * byTick.size() + 64) {
                rebuildHeap();
            } else {
                tickHeap = Arrays.copyOf(tickHeap, heapSize * 2);
            }
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (tickHeap[parent] <= tick) {
                break;
            }
            tickHeap[i] = tickHeap[parent];
            i = parent;
        }
        tickHeap[i] = tick;
    }

    private void popTick() {
        long last = tickHeap[--heapSize];
        int i = 0;
        for (;;) {
            int child = 2 * i + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && tickHeap[child + 1] < tickHeap[child]) {
                child++;
            }
            if (tickHeap[child] >= last) {
                break;
            }
            tickHeap[i] = tickHeap[child];
            i = child;
        }
        if (heapSize > 0) {
            tickHeap[i] = last;
        }
    }

    /** Only the live buckets' ticks, in a heap of twice their number (and room to grow). */
    private void rebuildHeap() {
        long[] ticks = new long[Math.max(64, 2 * byTick.size() + 64)];
        int n = 0;
        for (Long2ObjectHashMap<Bucket>.KeyIterator it = byTick.keySet().iterator(); it.hasNext(); ) {
            ticks[n++] = it.nextLong();
        }
        Arrays.sort(ticks, 0, n); // a sorted array is a heap
        tickHeap = ticks;
        heapSize = n;
    }

    /** Entries in the tick heap, stale ones included; for tests. */
    int tickHeapSize() {
        lock.lock();
        try {
            return heapSize;
        } finally {
            lock.unlock();
        }
    }
}
