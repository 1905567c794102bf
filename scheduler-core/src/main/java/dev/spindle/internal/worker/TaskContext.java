package dev.spindle.internal.worker;

import dev.spindle.Context;
import dev.spindle.Waker;
import dev.spindle.internal.task.TaskCell;

/** The context a worker passes to each poll; one per worker, reused for every poll. */
final class TaskContext extends Context {
    private final Worker worker;
    private TaskCell<?> task;
    private int budget;

    TaskContext(Worker worker) {
        this.worker = worker;
    }

    void enter(TaskCell<?> t, int budget) {
        this.task = t;
        this.budget = budget;
    }

    void exit() {
        this.task = null;
    }

    @Override
    public Waker waker() {
        return task;
    }

    @Override
    public boolean consumeBudget() {
        if (budget > 0) {
            budget--;
            return true;
        }
        worker.forcedYields++;
        task.wake(); // the task is RUNNING: this only marks it to run again after this poll
        return false;
    }

    @Override
    public int remainingBudget() {
        return budget;
    }
}
