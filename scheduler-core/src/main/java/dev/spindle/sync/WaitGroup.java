package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Waker;
import dev.spindle.sync.WaiterList.Waiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A count of outstanding pieces of work that any number of tasks can wait on: {@link #add(int)}
 * raises it, {@link #done()} lowers it by one, and every future from {@link #await()} completes
 * once the count is zero. When {@code done()} brings the count to zero, every task waiting at
 * that moment is woken.
 *
 * <p>A wait group may be used for another round once the count is zero. A waiter registered
 * while the count was above zero is released by the next transition to zero, even if an
 * {@code add} raced that transition and raised the count again; as with Go's
 * {@code sync.WaitGroup}, start a new round only after the previous round's waiters are done.
 *
 * <p>Each poll of an {@code await()} future spends one unit of the cooperative budget.
 */
public final class WaitGroup {
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(WaitGroup.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through COUNT
    private volatile int count;
    /** Its monitor guards it and every waiter in it. */
    private final WaiterList waiters = new WaiterList();

    /** A wait group with a count of zero. */
    public WaitGroup() {
    }

    /**
     * Raises the count by {@code n}.
     *
     * @param n how many pieces of work to add
     * @throws IllegalArgumentException if n is zero or negative
     * @throws IllegalStateException if the count would exceed {@link Integer#MAX_VALUE}
     */
    public void add(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0, was " + n);
        }
        for (;;) {
            int c = (int) COUNT.getVolatile(this);
            if (c > Integer.MAX_VALUE - n) {
                throw new IllegalStateException("WaitGroup count overflow: " + c + " + " + n);
            }
            if (COUNT.compareAndSet(this, c, c + n)) {
                return;
            }
        }
    }

    /**
     * Lowers the count by one; at zero, wakes every task waiting.
     *
     * @throws IllegalStateException if the count is already zero (more done() than added)
     */
    public void done() {
        for (;;) {
            int c = (int) COUNT.getVolatile(this);
            if (c == 0) {
                throw new IllegalStateException(
                        "WaitGroup.done() called with the count already zero: more done() calls than add() counted");
            }
            if (COUNT.compareAndSet(this, c, c - 1)) {
                if (c == 1) {
                    releaseAll();
                }
                return;
            }
        }
    }

    /**
     * The current count; only a snapshot when other threads add or finish work.
     *
     * @return the count
     */
    public int count() {
        return (int) COUNT.getVolatile(this);
    }

    /**
     * A new future that completes when the count is zero (at once if it is zero now). Each call
     * returns a new future; many may wait at once. Dropping it unfinished removes its waker.
     *
     * @return a future of {@code null}
     */
    public PollFuture<Void> await() {
        return new Await();
    }

    /** Waiters registered and not yet released; for tests and diagnostics. */
    int waiters() {
        synchronized (waiters) {
            return waiters.size();
        }
    }

    private void releaseAll() {
        List<Waker> wakers;
        synchronized (waiters) {
            wakers = waiters.drainAll(WaiterList.ALL);
        }
        WaiterList.wakeAll(wakers);
    }

    /** One waiting future: its registration is created on the first pending poll. */
    private final class Await implements PollFuture<Void> {
        private Waiter node;

        @Override
        public Poll<Void> poll(Context cx) {
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            if (node == null && count() == 0) {
                return Poll.ready(null);
            }
            synchronized (waiters) {
                if (node != null && node.signal != WaiterList.NONE) {
                    return Poll.ready(null);
                }
                // Read under the lock: a done() that reaches zero after this read drains the
                // list after we release the lock, so it finds our node.
                if (count() == 0) {
                    if (node != null) {
                        waiters.remove(node);
                    }
                    return Poll.ready(null);
                }
                Waker w = cx.waker();
                if (node == null) {
                    node = new Waiter();
                }
                if (!node.linked) {
                    waiters.addLast(node, w);
                } else if (!node.waker.willWake(w)) {
                    node.waker = w;
                }
            }
            cx.refundBudget();
            return Poll.pending();
        }

        @Override
        public void drop() {
            if (node != null) {
                synchronized (waiters) {
                    waiters.remove(node);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "WaitGroup[count=" + count() + "]";
    }
}
