package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Poll;

/**
 * A task that runs a {@link Runnable} once: what {@code execute} submits. Nobody holds a handle
 * to it, it never sees a waker, and it is never pending, so no other thread ever reads or writes
 * its state word: it runs, and is counted, with no atomic operation on the cell at all (a
 * dequeue is exclusive, even against {@code shutdownNow}'s drain; after STOP it still runs,
 * since it is not among the runnables {@code shutdownNow} returned).
 */
public final class RunnableCell extends TaskCell<Void> {
    private final Runnable runnable;

    public RunnableCell(TaskScheduler scheduler, Object home, Runnable runnable) {
        super(scheduler, home);
        this.runnable = runnable;
    }

    @Override
    public RunOutcome run(PollContext cx) {
        cx.enter(this, false); // for the monitor's stall checks
        try {
            runnable.run();
        } catch (Throwable e) {
            cx.runner().reportUncaught(this, e);
        }
        cx.exit();
        return RunOutcome.COMPLETED;
    }

    @Override
    protected Poll<Void> pollTask(Context cx) {
        throw new AssertionError("runnables are run by run(), never polled: " + this);
    }

    @Override
    Runnable neverStartedRunnable() {
        return runnable;
    }

    @Override
    public Object body() {
        return runnable;
    }
}
