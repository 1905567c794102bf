package dev.spindle.internal.queue;

import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

import java.util.function.Consumer;

/**
 * Tasks woken on other threads for one worker: any thread offers, the owner and idle peers
 * poll. Bounded; a caller whose offer fails routes the task to the injector.
 *
 * @param <E> element type
 */
public final class Inbox<E> implements BoundedRunQueue<E> {
    private final MpmcAtomicArrayQueue<E> queue;

    /** @param capacity at least 2; rounded up to a power of two */
    public Inbox(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("inbox capacity must be >= 2, was " + capacity);
        }
        this.queue = new MpmcAtomicArrayQueue<>(capacity);
    }

    /** @return false when full */
    @Override
    public boolean offer(E e) {
        return queue.offer(e);
    }

    @Override
    public E poll() {
        return queue.poll();
    }

    /** JCTools' weakly consistent iterator: reads slots, takes nothing. */
    @Override
    public void forEachRacy(Consumer<? super E> sink) {
        queue.iterator().forEachRemaining(sink);
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public int size() {
        return queue.size();
    }

    /** A peer's take: about half of what waits here, oldest first; the first is returned. */
    @Override
    public E stealHalfInto(LocalQueue<E> into) {
        int n = queue.size();
        if (n == 0) {
            return null;
        }
        int take = Math.min(n - n / 2, into.capacity());
        E first = queue.poll();
        for (int i = 1; first != null && i < take; i++) {
            E e = queue.poll();
            if (e == null) {
                break;
            }
            if (!into.offer(e)) {
                throw new IllegalStateException("thief queue full while stealing");
            }
        }
        return first;
    }
}
