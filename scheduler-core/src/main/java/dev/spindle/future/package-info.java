/**
 * Composing {@link dev.spindle.PollFuture}s, and bridges between them and
 * {@link java.util.concurrent.CompletionStage}: {@link dev.spindle.future.Futures}.
 *
 * <p>The other direction, a task's output as a {@code CompletableFuture}, is
 * {@link dev.spindle.JoinHandle#toCompletableFuture()}.
 */
package dev.spindle.future;
