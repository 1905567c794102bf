package dev.spindle;

/**
 * A lazy, poll-driven computation: the unit of work a {@link Runtime} runs as a task.
 *
 * <p>Nothing happens until the future is polled. Each call to {@link #poll(Context)} either
 * finishes with {@link Poll#ready(Object)} or returns {@link Poll#pending()}; before returning
 * pending, the future must arrange for {@code cx.waker()} to be woken when progress is
 * possible, otherwise the task is never polled again. After a future has returned ready it
 * is never polled again by the runtime.
 *
 * <p>A future that throws from {@code poll} fails its task with that exception instance.
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
}
