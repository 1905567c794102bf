package dev.spindle.internal.task;

/** What a task needs from the runtime that owns it. */
public interface TaskScheduler {

    /**
     * Queues a task that the caller has just moved to NOTIFIED from idle (a wake or an abort).
     * Must accept it: a task handed here is never dropped.
     */
    void schedule(TaskCell<?> task);

    /**
     * If the calling thread is polling {@code task} right now, notes that the task must run
     * again after this poll and returns true; the state word is left alone. Otherwise false.
     */
    default boolean wakeWhilePolling(TaskCell<?> task) {
        return false;
    }
}
