package dev.spindle.future;

/**
 * The outputs of two futures joined by {@link Futures#join}: {@code first} from the first
 * argument, {@code second} from the second. Either may be {@code null} when that future
 * produced {@code null}.
 *
 * @param first the first future's output
 * @param second the second future's output
 * @param <A> the first future's output type
 * @param <B> the second future's output type
 */
public record Pair<A, B>(A first, B second) {
}
