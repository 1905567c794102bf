package dev.spindle.internal.queue;

import org.jctools.queues.atomic.SpmcAtomicArrayQueue;

import java.util.function.Consumer;

/**
 * A worker's bounded run queue: the owner offers, the owner and thieves poll. FIFO.
 *
 * @param <E> element type
 */
public final class LocalQueue<E> implements BoundedRunQueue<E> {
    private final SpmcAtomicArrayQueue<E> queue;
    private final int capacity;
    /** Used only by this queue's owner when it steals into this queue. */
    private final StealSink<E> sink = new StealSink<>(this);

    /** @param capacity at least 2; rounded up to a power of two */
    public LocalQueue(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("local queue capacity must be >= 2, was " + capacity);
        }
        this.queue = new SpmcAtomicArrayQueue<>(capacity);
        this.capacity = queue.capacity();
    }

    /** Owner only. @return false when full */
    @Override
    public boolean offer(E e) {
        return queue.offer(e);
    }

    /** Any thread. */
    @Override
    public E poll() {
        return queue.poll();
    }

    /** Any thread; a moment's estimate. */
    @Override
    public int size() {
        return queue.size();
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

    public int capacity() {
        return capacity;
    }

    /** Any thread: moves up to {@code limit} elements, oldest first, to {@code sink}. */
    public int drain(Consumer<E> sink, int limit) {
        return queue.drain(sink::accept, limit);
    }

    /**
     * A thief's take: about half of what is queued (at least one), oldest first, claimed with
     * one compare-and-set. The first is returned; the rest go into {@code into}, the thief's
     * own (empty) queue.
     */
    @Override
    public E stealHalfInto(LocalQueue<E> into) {
        int n = size();
        if (n == 0) {
            return null;
        }
        StealSink<E> sink = into.sink;
        if (queue.drain(sink, Math.min(n - n / 2, into.capacity)) == 0) {
            return null;
        }
        return sink.takeFirst();
    }

    /** Receives a stolen batch for the queue that owns it: the first is kept, the rest queued. */
    private static final class StealSink<E> implements org.jctools.queues.MessagePassingQueue.Consumer<E> {
        private final LocalQueue<E> owner;
        private E first;

        StealSink(LocalQueue<E> owner) {
            this.owner = owner;
        }

        @Override
        public void accept(E e) {
            if (first == null) {
                first = e;
            } else if (!owner.offer(e)) {
                // Cannot happen: the thief's queue was empty and the batch fits; never drop one.
                throw new IllegalStateException("thief queue full while stealing");
            }
        }

        E takeFirst() {
            E e = first;
            first = null;
            return e;
        }
    }
}
