package dev.spindle.future;

import java.util.Objects;

/**
 * The outcome of {@link Futures#select}: the output of whichever of the two futures finished
 * first, and which one it was. The value may be {@code null} when that future produced
 * {@code null}.
 *
 * @param <A> the first future's output type
 * @param <B> the second future's output type
 */
public final class Either<A, B> {
    private final boolean isFirst;
    private final Object value;

    private Either(boolean isFirst, Object value) {
        this.isFirst = isFirst;
        this.value = value;
    }

    /** An outcome in which the first future won with {@code value}. */
    public static <A, B> Either<A, B> ofFirst(A value) {
        return new Either<>(true, value);
    }

    /** An outcome in which the second future won with {@code value}. */
    public static <A, B> Either<A, B> ofSecond(B value) {
        return new Either<>(false, value);
    }

    /** True when the first future won. */
    public boolean isFirst() {
        return isFirst;
    }

    /** True when the second future won. */
    public boolean isSecond() {
        return !isFirst;
    }

    /**
     * The first future's output.
     *
     * @throws IllegalStateException if the second future won
     */
    @SuppressWarnings("unchecked")
    public A first() {
        if (!isFirst) {
            throw new IllegalStateException("Either.first() called on " + this);
        }
        return (A) value;
    }

    /**
     * The second future's output.
     *
     * @throws IllegalStateException if the first future won
     */
    @SuppressWarnings("unchecked")
    public B second() {
        if (isFirst) {
            throw new IllegalStateException("Either.second() called on " + this);
        }
        return (B) value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Either<?, ?> other && other.isFirst == isFirst && Objects.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value) * 31 + (isFirst ? 1 : 2);
    }

    @Override
    public String toString() {
        return (isFirst ? "First(" : "Second(") + value + ")";
    }
}
