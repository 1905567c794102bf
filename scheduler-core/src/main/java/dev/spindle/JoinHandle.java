package dev.spindle;

import java.util.concurrent.CompletableFuture;

/**
 * The owner's side of a spawned task: a {@link PollFuture} for its output, and control over it.
 *
 * <p>Polling a handle returns the task's output when it has finished. If the task failed,
 * {@code poll} rethrows the task's own exception instance; if it was aborted or cancelled at
 * shutdown, {@code poll} throws {@link java.util.concurrent.CancellationException}. A poll that
 * returns the outcome spends one unit of the caller's cooperative budget; a pending one gives it
 * back.
 *
 * <p>One task at a time should await a handle by polling it (a later poller's waker replaces
 * an earlier one); any number of callers may use {@link #toCompletableFuture()}.
 *
 * <p>Memory: a spawned task costs one 24-byte object (with the default 4-byte references). The
 * first poll of its handle before the task finished adds a 24-byte record that keeps the
 * waiter, and {@code toCompletableFuture()} adds that record and the future; a handle polled
 * only once its task has finished adds nothing.
 *
 * @param <T> the type of the task's output
 */
public interface JoinHandle<T> extends PollFuture<T> {

    /**
     * Asks the task to stop. A task that has not started or is waiting is never polled again
     * and its handle reports cancellation; a task being polled right now finishes that poll
     * first and is then cancelled, unless that poll completed it. Aborting a finished task
     * does nothing.
     *
     * @return true if this call requested the cancellation; false if the task had already
     *     finished or was already aborted
     */
    boolean abort();

    /** True once the task has completed, failed, or been cancelled. */
    boolean isFinished();

    /** True once the task has finished by cancellation. */
    boolean isCancelled();

    /**
     * A {@link CompletableFuture} that completes with the task's output, completes
     * exceptionally with the task's own exception instance, or is cancelled when the task is.
     * Cancelling the returned future aborts the task. Repeated calls return the same future.
     */
    CompletableFuture<T> toCompletableFuture();
}
