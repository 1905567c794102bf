package dev.spindle.internal.task;

/**
 * What the poll protocol ({@link TaskCell#run}) asks of the thread that runs tasks: a worker,
 * or the model checker's harness. Called only on that thread, during {@code run}.
 */
public interface TaskRunner {

    /** True once the runtime stops ({@code shutdownNow}): a dequeued future is cancelled, not polled. */
    boolean stopping();

    /** A task failed and nobody waits for its outcome (or it was a runnable): report it. */
    void reportUncaught(TaskCell<?> task, Throwable error);
}
