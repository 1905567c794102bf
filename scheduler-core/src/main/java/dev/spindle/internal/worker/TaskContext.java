package dev.spindle.internal.worker;

import dev.spindle.Context;
import dev.spindle.Waker;
import dev.spindle.internal.task.TaskCell;

/** The context a worker passes to each poll; one per worker, reused for every poll. */
final class TaskContext extends Context {
    private final Worker worker;
    private TaskCell<?> task;
    private int budget;
    /** The task woke itself during this poll (owner-only; see TaskCell.transitionToIdle). */
    boolean wokeItself;
    /** This poll holds RUNNING: it started claimed, or the task asked for its waker. */
    boolean claimed;

    TaskContext(Worker worker) {
        this.worker = worker;
    }

    void enter(TaskCell<?> t, int budget, boolean claimed) {
        this.task = t;
        this.budget = budget;
        this.wokeItself = false;
        this.claimed = claimed;
    }

    /** On the worker's own thread: if {@code t} is being polled here, note its self-wake. */
    boolean noteSelfWake(TaskCell<?> t) {
        if (task == t) {
            wokeItself = true;
            return true;
        }
        return false;
    }

    void exit() {
        this.task = null;
    }

    /** Handing the waker out is what makes a wake during this poll possible: claim first. */
    @Override
    public Waker waker() {
        if (!claimed) {
            claimed = true;
            task.claimForWaker();
        }
        return task;
    }

    @Override
    public boolean consumeBudget() {
        if (budget > 0) {
            budget--;
            return true;
        }
        worker.forcedYields++;
        wokeItself = true; // run again after this poll, from the back of the queue
        return false;
    }

    @Override
    public int remainingBudget() {
        return budget;
    }
}
