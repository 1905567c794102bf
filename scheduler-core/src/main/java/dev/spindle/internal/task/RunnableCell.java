package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Poll;

/** A task that runs a {@link Runnable} once: what {@code execute} submits. */
public final class RunnableCell extends TaskCell<Void> {
    private final Runnable runnable;

    public RunnableCell(TaskScheduler scheduler, Object home, Runnable runnable) {
        super(scheduler, home);
        this.runnable = runnable;
    }

    @Override
    public Poll<Void> pollTask(Context cx) {
        runnable.run();
        return Poll.ready(null);
    }

    /** The submitted runnable, as {@code shutdownNow} returns it. */
    public Runnable runnable() {
        return runnable;
    }

    @Override
    public Object body() {
        return runnable;
    }
}
