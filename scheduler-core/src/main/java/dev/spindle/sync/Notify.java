package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Waker;
import dev.spindle.sync.WaiterList.Waiter;

import java.util.List;

/**
 * Wakes waiting tasks on demand, without carrying data.
 *
 * <ul>
 *   <li>{@link #notifyOne()} releases the oldest waiting {@link #notified()} future; if none
 *       is waiting, it stores a single permit (several calls still store one) that the next
 *       {@code notified()} future consumes on its first poll and completes at once.
 *   <li>{@link #notifyWaiters()} (named so because {@link Object#notifyAll()} is final) releases every future waiting at that moment and stores no
 *       permit.
 * </ul>
 * A future "waits" from its first pending poll until it completes or is dropped. A future
 * released by {@code notifyOne()} but dropped before it was polled again passes its release on
 * to the next waiter (or back into the permit), so a notification is not swallowed.
 *
 * <p>Each poll of a {@code notified()} future spends one unit of the cooperative budget.
 */
public final class Notify {
    /** Everything the lock (this holder's monitor) guards. */
    private static final class Guarded {
        final WaiterList waiters = new WaiterList();
        boolean permit;
    }

    private final Guarded g = new Guarded();

    /** A notify with no permit and no waiters. */
    public Notify() {
    }

    /** Releases the oldest waiter, or stores a permit if nobody waits. Never blocks on a task. */
    public void notifyOne() {
        Waker w;
        synchronized (g) {
            w = releaseOneLocked();
        }
        if (w != null) {
            w.wake();
        }
    }

    /** Releases every waiting future; stores no permit. */
    public void notifyWaiters() {
        List<Waker> wakers;
        synchronized (g) {
            wakers = g.waiters.drainAll(WaiterList.ALL);
        }
        WaiterList.wakeAll(wakers);
    }

    /**
     * A new future that completes when this notify releases it, or at once on its first poll if
     * a permit is stored (consuming it).
     *
     * @return a future of {@code null}
     */
    public PollFuture<Void> notified() {
        return new Notified();
    }

    /** Waiters registered and not yet released; for tests and diagnostics. */
    int waiters() {
        synchronized (g) {
            return g.waiters.size();
        }
    }

    private Waker releaseOneLocked() {
        Waiter first = g.waiters.pollFirst(WaiterList.ONE);
        if (first == null) {
            g.permit = true;
            return null;
        }
        return first.waker;
    }

    private final class Notified implements PollFuture<Void> {
        private final Waiter node = new Waiter();
        private boolean done;

        @Override
        public Poll<Void> poll(Context cx) {
            if (done) {
                return Poll.ready(null);
            }
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            Waker w = cx.waker();
            synchronized (g) {
                if (node.signal != WaiterList.NONE) {
                    done = true;
                } else if (node.linked) {
                    if (!node.waker.willWake(w)) {
                        node.waker = w;
                    }
                } else if (g.permit) {
                    g.permit = false;
                    done = true;
                } else {
                    g.waiters.addLast(node, w);
                }
            }
            if (done) {
                return Poll.ready(null);
            }
            cx.refundBudget();
            return Poll.pending();
        }

        @Override
        public void drop() {
            Waker forward = null;
            synchronized (g) {
                if (node.linked) {
                    g.waiters.remove(node);
                } else if (node.signal == WaiterList.ONE && !done) {
                    done = true;
                    forward = releaseOneLocked(); // pass the unobserved notifyOne() on
                }
            }
            if (forward != null) {
                forward.wake();
            }
        }
    }

    @Override
    public String toString() {
        synchronized (g) {
            return "Notify[permit=" + g.permit + ", waiters=" + g.waiters.size() + "]";
        }
    }
}
