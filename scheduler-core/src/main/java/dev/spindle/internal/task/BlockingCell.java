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
    /** @param scheduler the runtime's scheduler, the home of every blocking task (none has a worker) */
    public BlockingCell(TaskHome scheduler, Callable<T> body) {
        super(scheduler, body);
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
        @SuppressWarnings("unchecked")
        Callable<T> b = (Callable<T>) body0();
        clearBody(); // so the callable can be collected while it runs; reports say "blocking task"
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
        clearBody();
    }

    @Override
    protected Poll<T> pollTask(Context cx) {
        throw new AssertionError("blocking tasks are run by the blocking pool, never polled: " + this);
    }

    @Override
    public Object body() {
        Object b = body0();
        return b == null || isFinished() ? "blocking task" : b;
    }
}
