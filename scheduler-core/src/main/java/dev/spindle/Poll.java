package dev.spindle;

import java.util.Objects;

/**
 * The answer of one {@link PollFuture#poll(Context)}: either ready with a value, or pending.
 *
 * <p>A pending answer is a promise by the future that it has arranged for the context's
 * {@link Waker} to be woken once progress is possible. {@code Poll.ready(null)} and
 * {@code Poll.pending()} never allocate.
 *
 * @param <T> the type of the value when ready
 */
public final class Poll<T> {
    private static final Poll<?> PENDING = new Poll<>(null, false);
    private static final Poll<?> READY_NULL = new Poll<>(null, true);

    private final T value;
    private final boolean ready;

    private Poll(T value, boolean ready) {
        this.value = value;
        this.ready = ready;
    }

    /** A ready answer carrying {@code value}, which may be {@code null}. */
    @SuppressWarnings("unchecked")
    public static <T> Poll<T> ready(T value) {
        return value == null ? (Poll<T>) READY_NULL : new Poll<>(value, true);
    }

    /** The pending answer: the future will wake the task when it can make progress. */
    @SuppressWarnings("unchecked")
    public static <T> Poll<T> pending() {
        return (Poll<T>) PENDING;
    }

    /** True when this answer carries a value. */
    public boolean isReady() {
        return ready;
    }

    /** True when the future could not complete yet. */
    public boolean isPending() {
        return !ready;
    }

    /**
     * The value of a ready answer.
     *
     * @throws IllegalStateException if this answer is pending
     */
    public T value() {
        if (!ready) {
            throw new IllegalStateException("Poll.value() called on a pending poll");
        }
        return value;
    }

    /** Applies {@code f} to a ready value; a pending answer stays pending. */
    @SuppressWarnings("unchecked")
    public <R> Poll<R> map(java.util.function.Function<? super T, ? extends R> f) {
        Objects.requireNonNull(f, "f");
        return ready ? Poll.ready(f.apply(value)) : (Poll<R>) this;
    }

    @Override
    public String toString() {
        return ready ? "Ready(" + value + ")" : "Pending";
    }
}
