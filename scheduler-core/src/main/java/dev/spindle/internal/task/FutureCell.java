package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

/** A task that drives a {@link PollFuture}. */
public final class FutureCell<T> extends TaskCell<T> {
    private PollFuture<T> future; // cleared on completion so the future can be collected

    /** @param home the spawning worker, or the scheduler when no worker is the task's home */
    public FutureCell(TaskHome home, PollFuture<T> future) {
        super(home);
        this.future = future;
    }

    @Override
    protected Poll<T> pollTask(Context cx) {
        Poll<T> p = future.poll(cx);
        if (p.isReady()) {
            future = null;
        }
        return p;
    }

    /** A future that gives up with CancellationException cancels its task (a cancelled stage it awaited). */
    @Override
    protected boolean cancelsOn(Throwable error) {
        return error instanceof java.util.concurrent.CancellationException;
    }

    @Override
    protected void dropBody() {
        PollFuture<T> f = future;
        future = null;
        if (f != null) {
            try {
                f.drop();
            } catch (Throwable ignored) {
                // PollFuture.drop: an exception from it is ignored; the task is cancelled anyway.
            }
        }
    }

    @Override
    protected Object bodyOrNull() {
        return future;
    }

    @Override
    public Object body() {
        PollFuture<T> f = future;
        return f == null ? "completed future" : f;
    }
}
