package dev.spindle.internal.queue;

import dev.spindle.internal.task.TaskCell;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * The global, unbounded run queue: submissions from outside the runtime, local-queue overflow,
 * and wakes whose inbox was full. Two parts:
 * <ul>
 *   <li>a bounded lock-free MPMC array (JCTools) for single submissions, so outside spawners
 *       and the workers taking their tasks never meet on a lock;</li>
 *   <li>an intrusive FIFO list through {@link TaskCell#queueNext} under one lock, for batches
 *       (half a local queue on overflow) and for whatever the array has no room for: no
 *       allocation per entry, one lock hold per batch.</li>
 * </ul>
 * Takers look at the array first. Once the list holds anything, single submissions go to the
 * list too, so the array's tasks are always older than the list's and FIFO order is kept
 * between submissions; batches are older than nothing in particular, which order never
 * promised.
 */
public final class Injector {
    private final MpmcAtomicArrayQueue<TaskCell<?>> array;

    /** The list; every field is guarded by this holder's monitor. */
    private static final class Guarded {
        TaskCell<?> head;
        TaskCell<?> tail;
    }

    private final Guarded list = new Guarded();
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

    public void push(TaskCell<?> t) {
        if (size == 0 && array.offer(t)) {
            return;
        }
        pushChain(t, t, 1);
    }

    /** Appends a chain {@code first .. last} of {@code n} tasks already linked through queueNext. */
    public void pushChain(TaskCell<?> first, TaskCell<?> last, int n) {
        last.queueNext = null;
        synchronized (list) {
            if (list.tail == null) {
                list.head = first;
            } else {
                list.tail.queueNext = first;
            }
            list.tail = last;
            size = size + n;
        }
    }

    public TaskCell<?> poll() {
        TaskCell<?> a = array.poll();
        if (a != null || size == 0) {
            return a;
        }
        synchronized (list) {
            TaskCell<?> t = list.head;
            if (t != null) {
                unlinkHead(t);
                size = size - 1;
            }
            return t;
        }
    }

    /**
     * Takes up to {@code max} tasks in one lock acquisition: the first is returned, the rest are
     * offered to {@code into} (the caller's own local queue, which must have room for them).
     */
    public TaskCell<?> pollBatch(LocalQueue<TaskCell<?>> into, int max) {
        TaskCell<?> a = array.poll();
        if (a != null) {
            for (int i = 1; i < max; i++) {
                TaskCell<?> t = array.poll();
                if (t == null) {
                    break;
                }
                if (!into.offer(t)) {
                    throw new IllegalStateException("local queue has no room for an injector batch");
                }
            }
            return a;
        }
        if (size == 0) {
            return null;
        }
        TaskCell<?> first;
        TaskCell<?> chain;
        int taken;
        synchronized (list) {
            first = list.head;
            if (first == null) {
                return null;
            }
            TaskCell<?> last = first;
            taken = 1;
            while (taken < max && last.queueNext != null) {
                last = last.queueNext;
                taken++;
            }
            list.head = last.queueNext;
            if (list.head == null) {
                list.tail = null;
            }
            last.queueNext = null;
            size = size - taken;
            chain = first.queueNext;
        }
        first.queueNext = null;
        while (chain != null) {
            TaskCell<?> next = chain.queueNext; // read before handing the task on
            chain.queueNext = null;
            if (!into.offer(chain)) {
                throw new IllegalStateException("local queue has no room for an injector batch");
            }
            chain = next;
        }
        return first;
    }

    private void unlinkHead(TaskCell<?> t) {
        list.head = t.queueNext;
        if (list.head == null) {
            list.tail = null;
        }
        t.queueNext = null;
    }

    public boolean isEmpty() {
        return size == 0 && array.isEmpty();
    }

    /** A moment's estimate. */
    public int size() {
        return size + array.size();
    }
}
