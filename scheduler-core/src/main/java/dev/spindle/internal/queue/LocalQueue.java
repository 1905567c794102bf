package dev.spindle.internal.queue;

import org.jctools.queues.atomic.SpmcAtomicArrayQueue;

import java.util.function.Consumer;

/**
 * A worker's bounded run queue: the owner offers, the owner and thieves poll. FIFO.
 *
 * @param <E> element type
 */
public final class LocalQueue<E> {
    private final SpmcAtomicArrayQueue<E> queue;
    private final int capacity;

    /** @param capacity at least 2; rounded up to a power of two */
    public LocalQueue(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("local queue capacity must be >= 2, was " + capacity);
        }
        this.queue = new SpmcAtomicArrayQueue<>(capacity);
        this.capacity = queue.capacity();
    }

    /** Owner only. @return false when full */
    public boolean offer(E e) {
        return queue.offer(e);
    }

    /** Any thread. */
    public E poll() {
        return queue.poll();
    }

    /** Any thread; a moment's estimate. */
    public int size() {
        return queue.size();
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int capacity() {
        return capacity;
    }

    /** Any thread: moves up to {@code limit} elements, oldest first, to {@code sink}. */
    public int drain(Consumer<E> sink, int limit) {
        return queue.drain(sink::accept, limit);
    }

    /**
     * A thief's take: about half of what is queued (at least one), oldest first. The first is
     * returned; the rest go into {@code into}, the thief's own (empty) queue.
     */
    public E stealHalfInto(LocalQueue<E> into) {
        int n = size();
        if (n == 0) {
            return null;
        }
        int take = Math.min(n - n / 2, into.capacity);
        E first = queue.poll();
        if (first == null) {
            return null;
        }
        for (int i = 1; i < take; i++) {
            E e = queue.poll();
            if (e == null || !into.offer(e)) {
                if (e != null) {
                    // Cannot happen (into was empty and take <= its capacity); never drop one.
                    throw new IllegalStateException("thief queue full while stealing");
                }
                break;
            }
        }
        return first;
    }
}
