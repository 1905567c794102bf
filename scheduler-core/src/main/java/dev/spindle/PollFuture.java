package dev.spindle;

/**
 * A lazy, poll-driven computation: the unit of work a {@link Spindle} runs as a task.
 *
 * <p>Nothing happens until the future is polled. Each call to {@link #poll(Context)} either
 * finishes with {@link Poll#ready(Object)} or returns {@link Poll#pending()}; before returning
 * pending, the future must arrange for {@code cx.waker()} to be woken when progress is
 * possible, otherwise the task is never polled again. After a future has returned ready it
 * is never polled again by the runtime.
 *
 * <p>A future that throws from {@code poll} fails its task with that exception instance; one
 * that throws {@link java.util.concurrent.CancellationException} cancels its task instead, so
 * the task's {@link JoinHandle} and its {@code CompletableFuture} report a cancellation.
 *
 * <p>The {@link Context} is only valid for the duration of the call: keep the {@link Waker}
 * it hands out, never the context itself.
 *
 * @param <T> the type of the value the future produces
 */
@FunctionalInterface
public interface PollFuture<T> {

    /**
     * Tries to make progress.
     *
     * @param cx the task's context for this poll: its waker and its cooperative budget
     * @return ready with the output, or pending after arranging a wake-up
     */
    Poll<T> poll(Context cx);

    /**
     * Tells the future that it will never be polled again although it has not returned ready:
     * its task was aborted or cancelled at shutdown, or a combinator discarded it. A future
     * that started work on someone else's behalf cancels it here (a
     * {@code CompletionStage} bridge cancels its stage) and forgets its wake-up registrations.
     *
     * <p>The runtime calls this at most once, never while {@code poll} runs and never after
     * {@code poll} returned ready; an exception it throws is ignored. A future that wraps
     * others passes the call on to the ones it has not finished. The default does nothing,
     * which is right for futures that hold nothing; a {@link JoinHandle} dropped this way
     * leaves its task running.
     */
    default void drop() {
    }
}
