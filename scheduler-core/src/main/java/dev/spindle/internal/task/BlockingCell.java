package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Poll;

import java.util.concurrent.Callable;

/**
 * A task that runs blocking code once on a blocking-pool thread: what {@code spawnBlocking}
 * submits. It is never polled and never idle (NOTIFIED while queued, RUNNING while it runs), so
 * an abort never has to queue it: an abort while queued makes it complete as cancelled when a
 * pool thread takes it; an abort while it runs lets it finish.
 */
public final class BlockingCell<T> extends TaskCell<T> {
    private Callable<T> body; // cleared once run, so the callable can be collected

    /** @param scheduler the runtime's scheduler, the home of every blocking task (none has a worker) */
    public BlockingCell(TaskHome scheduler, Callable<T> body) {
        super(scheduler);
        this.body = body;
    }

    /**
     * Runs the body on the calling pool thread and completes the task.
     *
     * @return the body's exception if nobody was waiting for the outcome (to report), else null
     */
    public Throwable runBlocking() {
        if (transitionToRunning() == ToRunning.CANCEL) {
            completeCancelled();
            return null;
        }
        Callable<T> b = body;
        body = null;
        T value;
        try {
            value = b.call();
        } catch (Throwable e) {
            return completeExceptionally(e) ? null : e;
        }
        completeWith(value);
        return null;
    }

    @Override
    protected void dropBody() {
        body = null;
    }

    @Override
    protected Poll<T> pollTask(Context cx) {
        throw new AssertionError("blocking tasks are run by the blocking pool, never polled: " + this);
    }

    @Override
    public Object body() {
        Callable<T> b = body;
        return b == null ? "blocking task" : b;
    }
}
