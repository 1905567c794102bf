package dev.spindle.time;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.internal.time.TimeDriver;
import dev.spindle.internal.CurrentRuntime;
import dev.spindle.internal.RuntimeServices;
import dev.spindle.stream.AsyncStream;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Time-based futures: {@link #sleep}, {@link #sleepUntil}, {@link #timeout} and
 * {@link #interval}. They run on the runtime that polls them (a task's, a blocking thread's, or
 * the one whose {@code blockOn} polls them), read that runtime's {@link Clock}, and wake their
 * task through its waker like any other event. Each poll spends one unit of the cooperative
 * budget. Dropping or aborting a waiting future removes its timer.
 *
 * <p>Current behaviour: timers fire within about a millisecond of their deadline (a wheel of
 * half-millisecond ticks); a future never completes before its deadline by the runtime's clock.
 */
public final class Time {
    private Time() {
    }

    /**
     * A future that is ready once {@code duration} has passed, measured from its first poll.
     *
     * @throws NullPointerException if duration is null
     * @throws IllegalArgumentException if duration is negative
     */
    public static PollFuture<Void> sleep(Duration duration) {
        long nanos = nonNegativeNanos(duration, "duration");
        return new Sleep(nanos, false);
    }

    /**
     * A future that is ready once the runtime's clock reads {@code deadlineNanos} or later (a
     * reading of {@link Clock#nanoTime()}; see {@link #now()}).
     */
    public static PollFuture<Void> sleepUntil(long deadlineNanos) {
        return new Sleep(deadlineNanos, true);
    }

    /**
     * The current reading of the calling thread's runtime clock, in nanoseconds.
     *
     * @throws IllegalStateException if the caller is not inside a runtime
     */
    public static long now() {
        return driver().clock().nanoTime();
    }

    /**
     * {@code future}, unless {@code duration} (from the first poll) passes first: then the
     * future is dropped and polling fails with {@link TimeoutException}, which fails the task
     * (or is caught by a combinator above). The future is polled before the deadline is checked,
     * so a future that is ready at the deadline wins.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if duration is negative
     */
    public static <T> PollFuture<T> timeout(PollFuture<T> future, Duration duration) {
        Objects.requireNonNull(future, "future");
        return new Timeout<>(future, nonNegativeNanos(duration, "duration"));
    }

    /**
     * Ticks every {@code period}: the first {@link Interval#tick()} is ready at once, each
     * later one a period after the one before.
     *
     * <p>Missed ticks are skipped: if a tick is taken late by more than a period, the ticks
     * that fell in between are not delivered in a burst; the next one is the first that is
     * still on the original schedule (a multiple of the period after the start).
     *
     * @throws NullPointerException if period is null
     * @throws IllegalArgumentException if period is zero or negative
     */
    public static Interval interval(Duration period) {
        long nanos = nonNegativeNanos(period, "period");
        if (nanos == 0) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        return new Interval(nanos);
    }

    /** A sequence of ticks; see {@link Time#interval}. Use it from one task at a time. */
    public static final class Interval {
        private final long period;
        private long next = Long.MIN_VALUE; // the next tick's deadline; set on the first tick

        Interval(long period) {
            this.period = period;
        }

        /**
         * A future for the next tick, ready with that tick's scheduled time (a clock reading).
         * Each call returns a new future; poll one at a time.
         */
        public PollFuture<Long> tick() {
            return new PollFuture<Long>() {
                private Sleep sleep;

                @Override
                public Poll<Long> poll(Context cx) {
                    TimeDriver d = driver();
                    long now = d.clock().nanoTime();
                    if (next == Long.MIN_VALUE) {
                        next = now;
                    }
                    if (sleep == null) {
                        sleep = new Sleep(next, true);
                    }
                    if (sleep.poll(cx).isPending()) {
                        return Poll.pending();
                    }
                    long due = next;
                    long after = d.clock().nanoTime();
                    next = due + period;
                    if (next <= after) {
                        next += ((after - next) / period + 1) * period; // skip the missed ticks
                    }
                    return Poll.ready(due);
                }

                @Override
                public void drop() {
                    if (sleep != null) {
                        sleep.drop();
                    }
                }
            };
        }

        /**
         * The ticks as a stream that never ends: each item is the scheduled time of a tick, as
         * {@link #tick()} gives it, and spends one unit of the cooperative budget. It shares this
         * interval's schedule with {@code tick()}: use one of them at a time. Dropping the
         * stream removes its timer.
         *
         * <pre>{@code
         * // Once a second, until the task is aborted.
         * PollFuture<Void> beat = Time.interval(Duration.ofSeconds(1)).ticks().forEach(t -> report());
         * }</pre>
         */
        public AsyncStream<Long> ticks() {
            return new AsyncStream<Long>() {
                private PollFuture<Long> next;

                @Override
                public Poll<Long> pollNext(Context cx) {
                    if (next == null) {
                        next = tick();
                    }
                    Poll<Long> p = next.poll(cx);
                    if (p.isReady()) {
                        next = null;
                    }
                    return p;
                }

                @Override
                public void drop() {
                    PollFuture<Long> f = next;
                    next = null;
                    if (f != null) {
                        f.drop();
                    }
                }

                @Override
                public String toString() {
                    return "ticks every " + Duration.ofNanos(period);
                }
            };
        }
    }

    private static long nonNegativeNanos(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2; // centuries: never, in practice
        }
    }

    private static TimeDriver driver() {
        RuntimeServices rt = CurrentRuntime.get();
        if (rt == null) {
            throw new IllegalStateException("time futures must be polled inside a Spindle runtime "
                    + "(a task, a blocking thread, or Spindle.blockOn)");
        }
        return rt.time();
    }

    /** Waits for a deadline: a duration from the first poll, or an absolute clock reading. */
    private static final class Sleep implements PollFuture<Void> {
        private final long amount;
        private final boolean absolute;
        private TimeDriver driver;
        private long deadline;
        private TimeDriver.Timer timer;
        private boolean done;

        Sleep(long amount, boolean absolute) {
            this.amount = amount;
            this.absolute = absolute;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (done) {
                return Poll.ready(null);
            }
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            Poll<Void> p = pollTimer(cx);
            if (p.isPending()) {
                cx.refundBudget();
            }
            return p;
        }

        /**
         * The check itself, budget aside: on the first call the deadline is fixed and, unless it
         * has passed, the timer armed; later calls see whether it fired.
         */
        Poll<Void> pollTimer(Context cx) {
            if (done) {
                return Poll.ready(null);
            }
            if (driver == null) {
                driver = driver();
                long now = driver.clock().nanoTime();
                deadline = absolute ? amount : saturatedAdd(now, amount);
            }
            if (timer != null) {
                // Waker first, then the flag: pairs with the firer's flag-then-waker.
                timer.updateWaker(cx.waker());
                if (timer.fired()) {
                    done = true;
                    return Poll.ready(null);
                }
                return Poll.pending();
            }
            if (driver.clock().nanoTime() - deadline >= 0) {
                done = true;
                return Poll.ready(null);
            }
            timer = driver.schedule(deadline, cx.waker());
            return Poll.pending();
        }

        /** Whether the deadline has passed by the clock (true once it was seen ready). */
        boolean expired() {
            return done || (driver != null && driver.clock().nanoTime() - deadline >= 0);
        }

        @Override
        public void drop() {
            if (timer != null && !done) {
                driver.cancel(timer);
            }
        }

        private static long saturatedAdd(long a, long b) {
            long r = a + b;
            return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
        }
    }

    /** A future raced against a deadline. */
    private static final class Timeout<T> implements PollFuture<T> {
        private final long nanos;
        private PollFuture<T> inner;
        private Sleep sleep;

        Timeout(PollFuture<T> inner, long nanos) {
            this.inner = inner;
            this.nanos = nanos;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (inner == null) {
                throw new IllegalStateException("timeout future polled after it finished");
            }
            Poll<T> p = inner.poll(cx);
            if (p.isReady()) {
                inner = null;
                if (sleep != null) {
                    sleep.drop();
                }
                return p;
            }
            if (sleep == null) {
                sleep = new Sleep(nanos, false);
            }
            // The deadline is checked, and the timer armed, whatever the budget says: a budget
            // spent by the inner future must not keep a timeout from ever starting.
            if (sleep.pollTimer(cx).isReady() || sleep.expired()) {
                PollFuture<T> lost = inner;
                inner = null;
                lost.drop();
                throw Time.<RuntimeException>sneaky(new TimeoutException("timed out after "
                        + Duration.ofNanos(nanos) + " waiting for " + lost));
            }
            return Poll.pending();
        }

        @Override
        public void drop() {
            PollFuture<T> f = inner;
            inner = null;
            if (f != null) {
                f.drop();
            }
            if (sleep != null) {
                sleep.drop();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
