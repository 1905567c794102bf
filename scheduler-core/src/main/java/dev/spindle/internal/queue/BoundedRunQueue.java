package dev.spindle.internal.queue;

/**
 * What the scheduler does with a bounded run queue (a worker's local queue, its inbox): FIFO,
 * refusing rather than dropping when full, and a thief's take of about half.
 *
 * @param <E> element type
 */
public interface BoundedRunQueue<E> {

    /** @return false when full; the element is then not queued */
    boolean offer(E e);

    E poll();

    /** A moment's estimate. */
    int size();

    boolean isEmpty();

    /**
     * A thief's take: about half of what is queued (at least one), oldest first. The first is
     * returned; the rest go into {@code into}, the thief's own (empty) local queue.
     */
    E stealHalfInto(LocalQueue<E> into);
}
