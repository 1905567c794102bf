package dev.spindle.internal.task;

/**
 * What the poll protocol ({@link TaskCell#run}) asks of the thread that runs tasks: a worker,
 * or the model checker's harness. Called only on that thread, during {@code run}.
 */
public interface TaskRunner {

    /** True once the runtime stops ({@code shutdownNow}): a dequeued future is cancelled, not polled. */
    boolean stopping();

    /** A task failed and nobody waits for its outcome: report it; {@code body} names it (its future). */
    void reportUncaught(Object body, Throwable error);
}
