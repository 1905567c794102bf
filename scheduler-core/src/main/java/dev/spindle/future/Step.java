package dev.spindle.future;

/**
 * What one iteration of {@link Futures#loop} decided: go on with a new state, or stop with a
 * result.
 *
 * @param <S> the loop's state
 * @param <R> the loop's result
 */
public final class Step<S, R> {
    private final boolean done;
    private final S state;
    private final R result;

    private Step(boolean done, S state, R result) {
        this.done = done;
        this.state = state;
        this.result = result;
    }

    /** Go on: the next iteration runs with {@code state} (which may be {@code null}). */
    public static <S, R> Step<S, R> next(S state) {
        return new Step<>(false, state, null);
    }

    /** Stop: the loop completes with {@code result} (which may be {@code null}). */
    public static <S, R> Step<S, R> done(R result) {
        return new Step<>(true, null, result);
    }

    /** True if the loop stops here. */
    public boolean isDone() {
        return done;
    }

    /** The next iteration's state; null for a {@code done} step. */
    public S state() {
        return state;
    }

    /** The loop's result; null for a {@code next} step. */
    public R result() {
        return result;
    }

    @Override
    public String toString() {
        return done ? "Step.done(" + result + ")" : "Step.next(" + state + ")";
    }
}
