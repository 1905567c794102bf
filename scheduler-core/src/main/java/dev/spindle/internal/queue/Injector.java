package dev.spindle.internal.queue;

import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

import java.util.ArrayDeque;

/**
 * The global, unbounded run queue: submissions from outside the runtime, local-queue overflow,
 * and wakes whose inbox was full. Its elements are tasks as the workers run them: a task cell,
 * or a plain {@code Runnable} from {@code execute}. Two parts:
 * <ul>
 *   <li>a bounded lock-free MPMC array (JCTools) for single submissions, so outside spawners
 *       and the workers taking their tasks never meet on a lock;</li>
 *   <li>a FIFO ring ({@link ArrayDeque}) under one lock, for batches (half a local queue on
 *       overflow) and for whatever the array has no room for: it grows by doubling and never
 *       shrinks, so an entry costs no allocation once it has grown, and a batch is one lock
 *       hold.</li>
 * </ul>
 * Takers look at the array first. Once the ring holds anything, single submissions go to the
 * ring too, so the array's tasks are always older than the ring's and FIFO order is kept
 * between submissions; batches are older than nothing in particular, which order never
 * promised.
 */
public final class Injector {
    private final MpmcAtomicArrayQueue<Object> array;

    /** Guarded by its own monitor. */
    private final ArrayDeque<Object> ring = new ArrayDeque<>();
    /**
     * Written only under the lock, read without it. A volatile write inside the lock followed by
     * the producer's volatile read of the idle state is the Dekker half the parking protocol
     * needs.
     */
    private volatile int size;

    /** @param arrayCapacity the lock-free part's capacity, rounded up to a power of two */
    public Injector(int arrayCapacity) {
        this.array = new MpmcAtomicArrayQueue<>(arrayCapacity);
    }

    public void push(Object t) {
        if (size == 0 && array.offer(t)) {
            return;
        }
        synchronized (ring) {
            ring.addLast(t);
            size = size + 1;
        }
    }

    /** Appends {@code batch[0 .. n)}, in that order, in one lock hold, and clears those entries. */
    public void pushAll(Object[] batch, int n) {
        synchronized (ring) {
            for (int i = 0; i < n; i++) {
                ring.addLast(batch[i]);
                batch[i] = null;
            }
            size = size + n;
        }
    }

    public Object poll() {
        Object a = array.poll();
        if (a != null || size == 0) {
            return a;
        }
        synchronized (ring) {
            Object t = ring.pollFirst();
            if (t != null) {
                size = size - 1;
            }
            return t;
        }
    }

    /**
     * Takes up to {@code max} tasks in one lock acquisition: the first is returned, the rest are
     * offered to {@code into} (the caller's own local queue, which must have room for them).
     */
    public Object pollBatch(LocalQueue<Object> into, int max) {
        Object a = array.poll();
        if (a != null) {
            for (int i = 1; i < max; i++) {
                Object t = array.poll();
                if (t == null) {
                    break;
                }
                offerOrFail(into, t);
            }
            return a;
        }
        if (size == 0) {
            return null;
        }
        synchronized (ring) {
            Object first = ring.pollFirst();
            if (first == null) {
                return null;
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

    private static void offerOrFail(LocalQueue<Object> into, Object t) {
        if (!into.offer(t)) {
            throw new IllegalStateException("local queue has no room for an injector batch");
        }
    }

    public boolean isEmpty() {
        return size == 0 && array.isEmpty();
    }

    /** A moment's estimate. */
    public int size() {
        return size + array.size();
    }
}
