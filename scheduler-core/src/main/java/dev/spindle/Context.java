package dev.spindle;

import java.util.Objects;

/**
 * What a {@link PollFuture} receives on each poll: the task's {@link Waker} and its
 * cooperative budget.
 *
 * <h2>The cooperative budget</h2>
 * Each poll of a task starts with a budget of units. Every resource operation that could make
 * a task loop for a long time without returning pending (a channel receive, a socket read, a
 * join on a finished task, a yield) spends one unit through {@link #consumeBudget()}. When the
 * budget is spent, the resource must answer pending instead of ready; {@code consumeBudget}
 * has then already scheduled the task to run again, so the task yields to its peers and comes
 * back soon.
 *
 * <p>Current behaviour: a task poll run by a {@link Spindle} starts with 128 units.
 *
 * <p>A context is only valid during the poll it was passed to. Runtimes reuse context objects
 * between polls, so futures must not keep a reference to one.
 */
public abstract class Context {

    /** For runtimes and test harnesses; futures only ever receive contexts. */
    protected Context() {
    }

    /** The waker of the task being polled; it stays valid after this poll returns. */
    public abstract Waker waker();

    /**
     * Spends one unit of the cooperative budget.
     *
     * @return true if a unit was spent and the caller may go on; false if the budget is
     *     exhausted, in which case the task has already been woken and the caller must return
     *     {@link Poll#pending()} without making progress
     */
    public abstract boolean consumeBudget();

    /**
     * Gives back the unit that {@link #consumeBudget()} spent, for an operation that then ended
     * pending without making progress (it only registered its waker). Waiting on any number of
     * pending things thus never exhausts the budget: a task joining ten thousand handles still
     * reaches the timer of the timeout around them, and, once they are all pending, goes idle
     * instead of being woken to spin. Call it only after a {@code consumeBudget()} that returned
     * true, once, on the path that returns {@link Poll#pending()}.
     */
    public abstract void refundBudget();

    /** Units left in this poll's budget. */
    public abstract int remainingBudget();

    /**
     * A context for polling a future by hand (tests, adapters): {@code waker} is what
     * {@link #waker()} returns, and the budget starts at {@code budget} units.
     *
     * @throws NullPointerException if waker is null
     * @throws IllegalArgumentException if budget is negative
     */
    public static Context of(Waker waker, int budget) {
        Objects.requireNonNull(waker, "waker");
        if (budget < 0) {
            throw new IllegalArgumentException("budget must be >= 0, was " + budget);
        }
        return new Simple(waker, budget);
    }

    /** A context with a fixed waker and a budget that counts down; not thread-safe. */
    private static final class Simple extends Context {
        private final Waker waker;
        private int budget;

        Simple(Waker waker, int budget) {
            this.waker = waker;
            this.budget = budget;
        }

        @Override
        public Waker waker() {
            return waker;
        }

        @Override
        public boolean consumeBudget() {
            if (budget > 0) {
                budget--;
                return true;
            }
            waker.wake();
            return false;
        }

        @Override
        public void refundBudget() {
            budget++;
        }

        @Override
        public int remainingBudget() {
            return budget;
        }
    }
}
