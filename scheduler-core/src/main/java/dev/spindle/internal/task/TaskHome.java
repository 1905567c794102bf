package dev.spindle.internal.task;

/**
 * Where a task lives between polls, and through which its wakes reach its scheduler: a core
 * worker, or the scheduler itself for a task that has no worker (spawned from outside, or on a
 * guest worker). A task cell keeps only this reference, never a separate one to its scheduler,
 * which keeps a native spawn's cell at 24 bytes.
 */
public interface TaskHome {
    /** The scheduler that queues the task when it is woken. */
    TaskScheduler scheduler();
}
