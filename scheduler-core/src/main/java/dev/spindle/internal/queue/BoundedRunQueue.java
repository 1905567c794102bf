package dev.spindle.internal.queue;

import java.util.function.Consumer;

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

    /**
     * Any thread, taking nothing (the task dump): hands {@code sink} elements that were queued
     * at some moment during the call. Weakly consistent: an element taken or added meanwhile
     * may be missed, or seen although it has just been taken.
     */
    void forEachRacy(Consumer<? super E> sink);
}
