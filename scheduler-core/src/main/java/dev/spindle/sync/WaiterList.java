package dev.spindle.sync;

import dev.spindle.Waker;

import java.util.ArrayList;
import java.util.List;

/**
 * A FIFO intrusive list of waiting futures, for {@link WaitGroup} and {@link Notify}. Not
 * thread-safe: every method, and every access to a {@link Waiter}'s fields, happens while
 * holding the lock of the object that owns the list (its monitor), so all the state that lock
 * guards lives here and in {@link Waiter}.
 */
final class WaiterList {
    /** Not signalled yet. */
    static final int NONE = 0;
    /** Released by a single-waiter signal ({@link Notify#notifyOne()}). */
    static final int ONE = 1;
    /** Released by a broadcast (count reached zero, {@link Notify#notifyWaiters()}). */
    static final int ALL = 2;

    /** One waiting future's registration; fields guarded by the owning list's lock. */
    static final class Waiter {
        Waker waker;
        Waiter prev;
        Waiter next;
        boolean linked;
        int signal = NONE;
    }

    private Waiter head;
    private Waiter tail;
    private int size;

    /** Links {@code w} at the tail with {@code waker}. */
    void addLast(Waiter w, Waker waker) {
        w.waker = waker;
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        w.linked = true;
        size++;
    }

    /** Unlinks {@code w} if it is linked; constant time. */
    void remove(Waiter w) {
        if (!w.linked) {
            return;
        }
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        w.linked = false;
        size--;
    }

    /** Unlinks the oldest waiter and marks it {@code signal}; null when empty. */
    Waiter pollFirst(int signal) {
        Waiter w = head;
        if (w != null) {
            remove(w);
            w.signal = signal;
        }
        return w;
    }

    /** Unlinks every waiter, marks each {@code signal}, and returns their wakers in order. */
    List<Waker> drainAll(int signal) {
        List<Waker> wakers = new ArrayList<>(size);
        for (Waiter w = head; w != null; ) {
            Waiter next = w.next;
            w.prev = null;
            w.next = null;
            w.linked = false;
            w.signal = signal;
            wakers.add(w.waker);
            w = next;
        }
        head = null;
        tail = null;
        size = 0;
        return wakers;
    }

    /** Registered waiters. */
    int size() {
        return size;
    }

    /** Wakes each waker; called after the lock is released. */
    static void wakeAll(List<Waker> wakers) {
        for (Waker w : wakers) {
            w.wake();
        }
    }
}
