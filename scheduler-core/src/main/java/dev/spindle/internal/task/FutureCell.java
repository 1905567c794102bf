package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

/** A task that drives a {@link PollFuture}, kept as the cell's body until the task completes. */
public final class FutureCell<T> extends TaskCell<T> {

    /** @param home the spawning worker, or the scheduler when no worker is the task's home */
    public FutureCell(TaskHome home, PollFuture<T> future) {
        super(home, future);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Poll<T> pollTask(Context cx) {
        return ((PollFuture<T>) body0()).poll(cx); // a ready poll's outcome then replaces the future
    }

    /** A future that gives up with CancellationException cancels its task (a cancelled stage it awaited). */
    @Override
    protected boolean cancelsOn(Throwable error) {
        return error instanceof java.util.concurrent.CancellationException;
    }

    @Override
    protected void dropBody() {
        Object f = body0();
        clearBody();
        if (f != null) {
            try {
                ((PollFuture<?>) f).drop();
            } catch (Throwable ignored) {
                // PollFuture.drop: an exception from it is ignored; the task is cancelled anyway.
            }
        }
    }

    @Override
    public Object body() {
        Object f = body0();
        return f == null || isFinished() ? "completed future" : f;
    }
}
