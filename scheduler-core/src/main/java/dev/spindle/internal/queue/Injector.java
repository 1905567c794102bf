package dev.spindle.internal.queue;

import dev.spindle.internal.StripedCounter;
import org.jctools.queues.atomic.MpscGrowableAtomicArrayQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The global, unbounded run queue: submissions from outside the runtime, local-queue overflow,
 * and wakes whose inbox was full. Its elements are tasks as the workers run them: a task cell,
 * or a plain {@code Runnable} from {@code execute}.
 *
 * <p>Striped, as ForkJoinPool spreads outside submitters over its submission queues: each
 * thread pushes to its own stripe (chosen by its id, fixed for its life), so threads
 * submitting at once do not meet on one word; workers take a batch from one stripe at a time,
 * each from its own rotating start. One thread's pushes land in one stripe, in order.
 *
 * <p>A stripe has two parts:
 * <ul>
 *   <li>a bounded lock-free array for single submissions (JCTools' MPSC queue: one
 *       compare-and-set per submission), so outside spawners never meet a lock. It starts
 *       small and doubles, up to its bound, when a burst fills it (JCTools' growable variant):
 *       a runtime nobody floods keeps a small footprint, and a burst of thousands from one
 *       thread stays lock-free instead of meeting the takers on the ring's lock. Its one
 *       consumer is whichever taker holds the stripe's take flag: a batch of any size costs
 *       the taker one compare-and-set, not one per task, and two workers never fight over
 *       the same stripe's entries one by one (a worker that finds the flag held looks at
 *       the next stripe);</li>
 *   <li>a FIFO ring ({@link ArrayDeque}) under the stripe's lock, for batches (half a local
 *       queue on overflow) and for whatever the array has no room for: it grows by doubling
 *       and never shrinks, so an entry costs no allocation once it has grown, and a batch is one
 *       lock hold.</li>
 * </ul>
 * Takers look at a stripe's array first. Once its ring holds anything, single submissions go to
 * the ring too, so the array's tasks are always older than the ring's and FIFO order is kept
 * between one thread's submissions; batches are older than nothing in particular, which order
 * never promised.
 */
public final class Injector {
    /** A stripe's lock-free part as it starts; it grows by doubling, up to the stripe capacity. */
    static final int INITIAL_ARRAY = 256;

    private final Stripe[] stripes;
    private final int mask;

    /**
     * @param stripes        a power of two
     * @param stripeCapacity each stripe's lock-free part at its largest, rounded up to a power
     *                       of two, at least 4; it starts at {@link #INITIAL_ARRAY} or half
     *                       this, whichever is smaller
     */
    public Injector(int stripes, int stripeCapacity) {
        if (stripeCapacity < 4) {
            throw new IllegalArgumentException("stripe capacity must be at least 4, was " + stripeCapacity);
        }
        if (stripes < 1 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two, was " + stripes);
        }
        this.stripes = new Stripe[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new Stripe(stripeCapacity);
        }
        this.mask = stripes - 1;
    }

    public int stripes() {
        return stripes.length;
    }

    private Stripe mine() {
        return stripes[StripedCounter.stripeOfCurrentThread(mask)];
    }

    /** Any thread: {@code t} at the back of the calling thread's stripe. */
    public void push(Object t) {
        mine().push(t);
    }

    /** Appends {@code batch[0 .. n)}, in that order, to the calling thread's stripe in one lock hold, and clears those entries. */
    public void pushAll(Object[] batch, int n) {
        mine().pushAll(batch, n);
    }

    /** Any one task, from the first stripe that has one (shutdownNow's drain). */
    public Object poll() {
        for (Stripe s : stripes) {
            Object t = s.poll();
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /**
     * Takes up to {@code max} tasks from one stripe, the first non-empty one from
     * {@code start} on: the first is returned, the rest are offered to {@code into} (the
     * caller's own local queue, which must have room for them).
     */
    public Object pollBatch(LocalQueue<Object> into, int max, int start) {
        return take(into, max, start, true);
    }

    /**
     * As {@link #pollBatch}, but every task taken, the first too, goes to the back of
     * {@code into}: for a caller whose local queue already holds older tasks, which must keep
     * running first. Returns false if nothing was taken.
     */
    public boolean moveBatch(LocalQueue<Object> into, int max, int start) {
        return take(into, max, start, false) != null;
    }

    private Object take(LocalQueue<Object> into, int max, int start, boolean keepFirst) {
        for (int i = 0; i <= mask; i++) {
            Object t = stripes[(start + i) & mask].take(into, max, keepFirst);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /**
     * Any thread, taking nothing (the task dump): every stripe's elements, each stripe's
     * lock-free part read racily and its ring copied under its lock (one stripe at a time: no
     * submitter waits longer than one copy of one ring).
     */
    public void forEachRacy(Consumer<Object> sink) {
        for (Stripe s : stripes) {
            s.forEachRacy(sink);
        }
    }

    public boolean isEmpty() {
        for (Stripe s : stripes) {
            if (!s.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** A moment's estimate. */
    public int size() {
        int n = 0;
        for (Stripe s : stripes) {
            n += s.size();
        }
        return n;
    }

    private static void offerOrFail(LocalQueue<Object> into, Object t) {
        if (!into.offer(t)) {
            throw new IllegalStateException("local queue has no room for an injector batch");
        }
    }

    /**
     * Padding before a stripe's fields, so two stripes' words share no line. HotSpot lays a
     * class's own fields out after its superclass's, so each padding level is a superclass of
     * what it guards; the int fills the gap after the object header.
     */
    private abstract static class StripePad {
        int p0;
        long p00, p01, p02, p03, p04, p05, p06, p07;
        long p10, p11, p12, p13, p14, p15, p16, p17;
    }

    /**
     * What a look at the stripe reads: the references are final, and the size is written only
     * under the ring's lock.
     */
    private abstract static class StripeFields extends StripePad {
        /** Many submitters, one taker at a time: the taker holds {@link Stripe#taking}. */
        final MpscGrowableAtomicArrayQueue<Object> array;
        /** Guarded by its own monitor. */
        final ArrayDeque<Object> ring = new ArrayDeque<>();
        /**
         * The ring's size: written only under the lock, read without it. A volatile write inside
         * the lock followed by the producer's volatile read of the idle state is the Dekker half
         * the parking protocol needs.
         */
        volatile int size;

        StripeFields(int capacity) {
            this.array = new MpscGrowableAtomicArrayQueue<>(Math.min(INITIAL_ARRAY, capacity / 2), capacity);
        }
    }

    /**
     * Keeps the take flag off the line of {@link StripeFields}: every taker's compare-and-set on
     * it would otherwise take that line from every thread that only looks whether the stripe is
     * empty (a worker out of its own work does, before each take).
     */
    private abstract static class StripeMidPad extends StripeFields {
        long m00, m01, m02, m03, m04, m05, m06, m07;
        long m10, m11, m12, m13, m14, m15, m16, m17;

        StripeMidPad(int capacity) {
            super(capacity);
        }
    }

    /** One stripe: the array, the ring under this stripe's lock, and their count. */
    private static final class Stripe extends StripeMidPad {
        private static final VarHandle TAKING;

        static {
            try {
                TAKING = MethodHandles.lookup().findVarHandle(Stripe.class, "taking", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /**
         * 1 while one thread takes from {@link #array}, the array's single consumer: a batch of
         * any size then costs this one compare-and-set and a release store, not one atomic
         * operation per task. Its release orders one taker's consumer-side writes before the
         * next taker's acquire.
         */
        @SuppressWarnings("unused") // accessed through TAKING
        private volatile int taking;
        long q00, q01, q02, q03, q04, q05, q06, q07;
        long q10, q11, q12, q13, q14, q15, q16, q17;

        Stripe(int capacity) {
            super(capacity);
        }

        void push(Object t) {
            if (size == 0 && array.offer(t)) {
                return;
            }
            synchronized (ring) {
                ring.addLast(t);
                size = size + 1;
            }
        }

        void pushAll(Object[] batch, int n) {
            synchronized (ring) {
                for (int i = 0; i < n; i++) {
                    ring.addLast(batch[i]);
                    batch[i] = null;
                }
                size = size + n;
            }
        }

        private boolean tryTake() {
            return (int) TAKING.getAcquire(this) == 0 && TAKING.compareAndSet(this, 0, 1);
        }

        private void endTake() {
            TAKING.setRelease(this, 0);
        }

        /**
         * Any one task, oldest first; waits for a taker busy on the array, and for a submitter
         * between its claim and its write, so that a drain (shutdownNow) misses nothing.
         */
        Object poll() {
            return take(null, 1, true, true);
        }

        /**
         * Up to {@code max} tasks, oldest first: the first is returned, and offered to
         * {@code into} too unless {@code keepFirst}; the rest are offered to {@code into}. Null
         * if the stripe is empty, or another thread is taking from its array (what is left there
         * is older than the ring's tasks, so the ring waits too), or a submitter has claimed the
         * array's oldest entry and not written it yet. The stripe then does not look empty, and
         * the caller looks again rather than sleep.
         */
        Object take(LocalQueue<Object> into, int max, boolean keepFirst) {
            return take(into, max, keepFirst, false);
        }

        /**
         * {@link #take}, or with {@code drain} {@link #poll}'s waiting. The ring is taken from
         * only while the array is empty as seen under the ring's lock: a submitter whose single
         * push went to the array and whose next push went to the ring did the first before the
         * lock's release, so its array entry is seen there and goes first. (Looking at the
         * array only before taking the lock let the second overtake the first.)
         */
        private Object take(LocalQueue<Object> into, int max, boolean keepFirst, boolean drain) {
            for (;;) {
                if (!array.isEmpty()) {
                    Object a = takeFromArray(into, max, keepFirst, drain);
                    if (a != null || !drain) {
                        return a;
                    }
                    // A drain that found the array emptied meanwhile looks at the ring.
                }
                if (size == 0) {
                    return null;
                }
                synchronized (ring) {
                    if (!array.isEmpty()) {
                        continue;
                    }
                    Object first = ring.pollFirst();
                    if (first == null) {
                        return null;
                    }
                    if (!keepFirst) {
                        offerOrFail(into, first);
                    }
                    int taken = 1;
                    Object t;
                    while (taken < max && (t = ring.pollFirst()) != null) {
                        offerOrFail(into, t);
                        taken++;
                    }
                    size = size - taken;
                    return first;
                }
            }
        }

        private Object takeFromArray(LocalQueue<Object> into, int max, boolean keepFirst, boolean drain) {
            if (drain) {
                while (!tryTake()) {
                    Thread.onSpinWait();
                }
            } else if (!tryTake()) {
                return null;
            }
            try {
                // relaxedPoll: a submitter paused between its claim and its write stops the
                // batch here instead of holding every taker of this stripe; a drain waits.
                Object a = drain ? array.poll() : array.relaxedPoll();
                if (a == null) {
                    return null;
                }
                if (!keepFirst) {
                    offerOrFail(into, a);
                }
                for (int i = 1; i < max; i++) {
                    Object t = array.relaxedPoll();
                    if (t == null) {
                        break;
                    }
                    offerOrFail(into, t);
                }
                return a;
            } finally {
                endTake();
            }
        }

        void forEachRacy(Consumer<Object> sink) {
            array.iterator().forEachRemaining(sink);
            Object[] copy;
            synchronized (ring) {
                copy = ring.isEmpty() ? null : ring.toArray();
            }
            if (copy != null) {
                for (Object t : copy) {
                    sink.accept(t);
                }
            }
        }

        boolean isEmpty() {
            return size == 0 && array.isEmpty();
        }

        int size() {
            return size + array.size();
        }
    }
}
