package dev.spindle.stream;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A poll-driven sequence of items: the stream counterpart of {@link PollFuture}. Each call to
 * {@link #pollNext(Context)} answers one of three things:
 * <ul>
 *   <li>{@code Poll.ready(item)}: the next item, which is never {@code null};</li>
 *   <li>{@code Poll.ready(null)}: the end of the stream (no allocation, as a channel's
 *       {@code receive()} completes with {@code null} at its end);</li>
 *   <li>{@link Poll#pending()}: no item yet; as for a future, the stream has arranged for
 *       {@code cx.waker()} to be woken when there may be one.</li>
 * </ul>
 * A stream that threw from {@code pollNext} has finished, as one that answered its end has:
 * polling either again throws {@link IllegalStateException} ("polled after its end").
 *
 * <p><b>Budget.</b> A source (a channel, a socket, a timer) spends one unit of the cooperative
 * budget per item it hands out, and answers pending when the budget is spent (see
 * {@link Context}). The operators here ({@link #map}, {@link #filter}, {@link #take}) spend
 * nothing of their own, and {@link #forEach}, {@link #forEachAsync} and {@link #collect} take
 * items until the stream answers pending or ends, so the budget bounds each of their polls: a
 * stream that always has an item still lets its task yield. A stream written by hand that can
 * hand out items without end must spend budget the same way.
 *
 * <p><b>Dropping.</b> {@link #drop()} tells a stream it will not be polled again although it has
 * not ended: it forgets its wake-up registrations. A future built by {@code forEach},
 * {@code forEachAsync} or {@code collect} that is dropped (its task aborted, a {@code select}
 * lost) drops its stream; {@link #take} drops its source as soon as it has its items.
 *
 * <p>Streams are not thread-safe: one task polls a stream (and the futures built on it) at a
 * time. Any number of items runs in constant stack, and so does a chain of any number of
 * {@code map}, {@code filter} and {@code take} operators: the chain runs as one stream that
 * passes each item through the operators in a loop. An operator applied to such a chain takes
 * it over, so the chain it was applied to must not be polled again (that throws
 * {@link IllegalStateException}) or dropped (that does nothing).
 *
 * @param <T> the type of the items, never null
 */
@FunctionalInterface
public interface AsyncStream<T> {

    /**
     * Tries to get the next item.
     *
     * @param cx the task's context for this poll: its waker and its cooperative budget
     * @return ready with the next item, ready with {@code null} at the end, or pending after
     *     arranging a wake-up
     * @throws IllegalStateException if the stream has ended, failed, or was dropped before
     *     (sources that are handles, such as a channel's receiver, say what they allow)
     */
    Poll<T> pollNext(Context cx);

    /**
     * Tells the stream it will never be polled again although it has not ended: it forgets its
     * wake-up registrations and releases what it holds on the caller's behalf. Called at most
     * once, never while {@code pollNext} runs and never after the stream ended or threw; an
     * exception it throws is ignored by the runtime. The default does nothing.
     *
     * <p>A source does not own the resource it reads: dropping a socket's lines or a listener's
     * connections does not close the socket or the listener.
     */
    default void drop() {
    }

    /**
     * A stream of {@code mapper} applied to each item, in order.
     *
     * <p>If {@code mapper} throws, or returns {@code null} (a {@link NullPointerException}:
     * items are never null), the poll throws that same exception and this stream is dropped.
     *
     * @throws NullPointerException if mapper is null
     */
    default <R> AsyncStream<R> map(Function<? super T, ? extends R> mapper) {
        Objects.requireNonNull(mapper, "mapper");
        return Operators.map(this, mapper);
    }

    /**
     * A stream of the items for which {@code predicate} is true, in order. Rejected items are
     * passed over within the same poll; the budget each of them spent at its source bounds how
     * many one poll passes over.
     *
     * <p>If {@code predicate} throws, the poll throws that same exception and this stream is
     * dropped.
     *
     * @throws NullPointerException if predicate is null
     */
    default AsyncStream<T> filter(Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return Operators.filter(this, predicate);
    }

    /**
     * A stream of the first {@code n} items (fewer if this stream ends first). This stream is
     * dropped in the poll that hands out the {@code n}th item, so whatever it holds is released
     * without waiting for the next poll; {@code take(0)} ends at its first poll, dropping this
     * stream then. Like every operator, {@code take} does nothing until it is polled.
     *
     * @throws IllegalArgumentException if n is negative
     */
    default AsyncStream<T> take(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("take(n) needs n >= 0, was " + n);
        }
        return Operators.take(this, n);
    }

    /**
     * A future that runs {@code action} on each item, in order, and is ready with {@code null}
     * at the end of the stream. Items that are ready are taken in the same poll, until the
     * stream answers pending (as it does when the budget is spent).
     *
     * <p>If {@code action} throws, the future fails with that same exception and this stream is
     * dropped; if the stream throws, the future fails with its exception. Dropping the future
     * drops this stream.
     *
     * @throws NullPointerException if action is null
     */
    default PollFuture<Void> forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        return new Operators.ForEach<>(this, action);
    }

    /**
     * A future that, for each item in order, builds a future with {@code body} and polls it to
     * completion before taking the next item; it is ready with {@code null} at the end of the
     * stream. For work that waits per item, such as a server writing the reply to each line:
     *
     * <pre>{@code
     * stream.lines(8192).forEachAsync(line -> stream.writeAll(ByteBuffer.wrap(reply(line))))
     * }</pre>
     *
     * <p>If {@code body} throws or returns {@code null} (a {@link NullPointerException}), or
     * the future it built fails, the future fails with that same exception and this stream is
     * dropped. Dropping the future drops the body's running future and this stream.
     *
     * @throws NullPointerException if body is null
     */
    default PollFuture<Void> forEachAsync(Function<? super T, ? extends PollFuture<?>> body) {
        Objects.requireNonNull(body, "body");
        return new Operators.ForEachAsync<>(this, body);
    }

    /**
     * A future of every item, in order, as an unmodifiable list, ready at the end of the stream.
     * Meant for finite streams: {@code take} bounds one that is not. If the stream throws, the
     * future fails with its exception. Dropping the future drops this stream.
     */
    default PollFuture<List<T>> collect() {
        return new Operators.Collect<>(this);
    }
}
