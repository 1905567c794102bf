package dev.spindle.internal.queue;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The global, unbounded run queue: submissions from outside the runtime, local-queue
 * overflow, and wakes whose inbox was full. Any thread offers and polls.
 *
 * @param <E> element type
 */
public final class Injector<E> {
    // JCTools' only unbounded MPMC queue is Unsafe-based, so the JDK's lock-free linked queue
    // it is: one node per entry, which only outside submissions and overflow pay.
    private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();

    public void push(E e) {
        queue.offer(e);
    }

    public E poll() {
        return queue.poll();
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }
}
