package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Waker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fair async counting semaphore: waiting acquires are served strictly in arrival order, so a
 * large request at the head of the queue holds back smaller ones that arrived after it.
 *
 * <p>The semaphore has a fixed maximum, the count it was created with; permits are never
 * created, only handed back. A waiting {@link #acquire} future that is {@linkplain
 * PollFuture#drop() dropped} leaves the queue, and if permits were already handed to it, gives
 * them back, so the next waiter proceeds. Wakers are called outside the semaphore's lock.
 *
 * <p>Current behaviour: the monitor of one holder object guards the count and the waiter queue; each
 * poll of an acquire future spends one unit of the cooperative budget.
 */
public final class Semaphore {
    private final int maxPermits;
    /** Its monitor is the semaphore's lock. */
    private final State state = new State();

    /** Fields guarded by the semaphore's lock, the monitor of this holder. */
    private static final class State {
        int permits;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    }

    /** One waiting acquire; {@code waker} and {@code granted} are guarded by the lock. */
    private static final class Waiter {
        final int wanted;
        Waker waker;
        boolean granted;

        Waiter(int wanted, Waker waker) {
            this.wanted = wanted;
            this.waker = waker;
        }
    }

    /**
     * A semaphore holding {@code permits} permits, which is also its maximum.
     *
     * @throws IllegalArgumentException if permits is below one
     */
    public Semaphore(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1, was " + permits);
        }
        this.maxPermits = permits;
        state.permits = permits;
    }

    /** The maximum number of permits, as given to the constructor. */
    public int maxPermits() {
        return maxPermits;
    }

    /** Permits not held by anyone right now (a snapshot). */
    public int availablePermits() {
        synchronized (state) {
            return state.permits;
        }
    }

    /**
     * A future that completes with {@code n} permits once they are free and every earlier
     * waiter has been served.
     *
     * @throws IllegalArgumentException if n is below one or above {@link #maxPermits()}
     */
    public PollFuture<Permit> acquire(int n) {
        checkCount(n);
        return new Acquire(n);
    }

    /**
     * Takes {@code n} permits at once if they are free and nobody is waiting (a try never
     * overtakes a waiter).
     *
     * @return the permits, or empty if they cannot be had right now
     * @throws IllegalArgumentException if n is below one or above {@link #maxPermits()}
     */
    public Optional<Permit> tryAcquire(int n) {
        checkCount(n);
        synchronized (state) {
            if (state.waiters.isEmpty() && state.permits >= n) {
                state.permits -= n;
                return Optional.of(new Permit(n));
            }
            return Optional.empty();
        }
    }

    /**
     * Gives back {@code n} permits, serving waiters in order. Prefer {@link Permit#close()},
     * which cannot release twice.
     *
     * @throws IllegalArgumentException if n is below one
     * @throws IllegalStateException if the permits would exceed {@link #maxPermits()}
     */
    public void release(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("permit count must be >= 1, was " + n);
        }
        List<Waker> toWake;
        synchronized (state) {
            if (n > maxPermits - state.permits) {
                throw new IllegalStateException("releasing " + n + " permits would exceed the maximum "
                        + maxPermits + " (" + state.permits + " available)");
            }
            state.permits += n;
            toWake = grantLocked();
        }
        wakeAll(toWake);
    }

    private void checkCount(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("permit count must be >= 1, was " + n);
        }
        if (n > maxPermits) {
            throw new IllegalArgumentException("permit count " + n + " exceeds the maximum " + maxPermits);
        }
    }

    /** Hands permits to waiters from the head while they fit; returns the wakers to call. */
    private List<Waker> grantLocked() {
        List<Waker> toWake = null;
        Waiter head;
        while ((head = state.waiters.peekFirst()) != null && head.wanted <= state.permits) {
            state.waiters.pollFirst();
            state.permits -= head.wanted;
            head.granted = true;
            if (toWake == null) {
                toWake = new ArrayList<>(2);
            }
            toWake.add(head.waker);
            head.waker = null;
        }
        return toWake;
    }

    private static void wakeAll(List<Waker> wakers) {
        if (wakers != null) {
            for (Waker w : wakers) {
                w.wake();
            }
        }
    }

    /** The future {@link #acquire} returns; polled by one task at a time. */
    private final class Acquire implements PollFuture<Permit> {
        private final int wanted;
        private Waiter waiter;
        private boolean done;

        Acquire(int wanted) {
            this.wanted = wanted;
        }

        @Override
        public Poll<Permit> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("acquire future polled after it completed");
            }
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            synchronized (state) {
                if (waiter == null) {
                    if (state.waiters.isEmpty() && state.permits >= wanted) {
                        state.permits -= wanted;
                        done = true;
                        return Poll.ready(new Permit(wanted));
                    }
                    waiter = new Waiter(wanted, cx.waker());
                    state.waiters.addLast(waiter);
                    cx.refundBudget();
                    return Poll.pending();
                }
                if (waiter.granted) {
                    waiter = null;
                    done = true;
                    return Poll.ready(new Permit(wanted));
                }
                Waker w = cx.waker();
                if (!waiter.waker.willWake(w)) {
                    waiter.waker = w;
                }
                cx.refundBudget();
                return Poll.pending();
            }
        }

        /** Leaves the queue, or gives back permits already granted, letting the next waiter on. */
        @Override
        public void drop() {
            Waiter w = waiter;
            if (done || w == null) {
                return;
            }
            waiter = null;
            List<Waker> toWake;
            synchronized (state) {
                if (w.granted) {
                    state.permits += w.wanted;
                } else {
                    state.waiters.remove(w);
                }
                // Either way the queue may now be able to move: returned permits, or a large
                // head that held back smaller waiters has gone.
                toWake = grantLocked();
            }
            wakeAll(toWake);
        }
    }

    /**
     * Permits held from this semaphore; {@link #close()} gives them back. Closing twice is
     * harmless.
     */
    public final class Permit implements AutoCloseable {
        private final int count;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(int count) {
            this.count = count;
        }

        /** How many permits this holds. */
        public int count() {
            return count;
        }

        /** Gives the permits back to the semaphore; later calls do nothing. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(count);
            }
        }
    }
}
