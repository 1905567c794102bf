package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

/** A task that drives a {@link PollFuture}. */
public final class FutureCell<T> extends TaskCell<T> {
    private PollFuture<T> future; // cleared on completion so the future can be collected

    public FutureCell(TaskScheduler scheduler, Object home, PollFuture<T> future) {
        super(scheduler, home);
        this.future = future;
    }

    @Override
    public Poll<T> pollTask(Context cx) {
        Poll<T> p = future.poll(cx);
        if (p.isReady()) {
            future = null;
        }
        return p;
    }

    @Override
    public Object body() {
        PollFuture<T> f = future;
        return f == null ? "completed future" : f;
    }
}
