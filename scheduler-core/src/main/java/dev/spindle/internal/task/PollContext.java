package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Waker;

/**
 * The context a worker passes to each poll of a task: one per worker, reused for every poll,
 * touched only by its worker's thread. It carries the two things the poll tells the worker
 * without touching the task's state word: that the task woke itself ({@link #wokeItself}), and
 * that it handed its waker out ({@link #claimed}; see the package notes on unclaimed polls).
 */
public final class PollContext extends Context {
    private TaskCell<?> task;
    private int budget;
    /** The task woke itself during this poll (a yield, a spent budget). */
    public boolean wokeItself;
    /** This poll holds RUNNING: it started claimed, or the task asked for its waker. */
    public boolean claimed;
    /** Polls that ended because the budget ran out (a counter for metrics). */
    public long forcedYields;

    public void enter(TaskCell<?> t, int budget, boolean claimed) {
        this.task = t;
        this.budget = budget;
        this.wokeItself = false;
        this.claimed = claimed;
    }

    public void exit() {
        this.task = null;
    }

    /** The task in its poll, or null; read by other threads racily (a monitor's hint). */
    public TaskCell<?> taskRacy() {
        return task;
    }

    /** On the polling thread: if {@code t} is the task being polled, note its self-wake. */
    public boolean noteSelfWake(TaskCell<?> t) {
        if (task == t) {
            wokeItself = true;
            return true;
        }
        return false;
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
        forcedYields++;
        wokeItself = true; // run again after this poll, from the back of the queue
        return false;
    }

    @Override
    public int remainingBudget() {
        return budget;
    }
}
