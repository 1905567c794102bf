package dev.spindle.internal.task;

/** What a task needs from the runtime that owns it. */
public interface TaskScheduler {

    /**
     * Queues a task that the caller has just moved from idle to queued (a wake or an abort).
     * Must accept it: a task handed here is never dropped.
     */
    void schedule(TaskCell<?> task);
}
