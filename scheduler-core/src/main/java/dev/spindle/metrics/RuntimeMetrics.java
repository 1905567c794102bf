package dev.spindle.metrics;

import java.util.List;

/**
 * A snapshot of a runtime's counters, from {@code Spindle.metrics()}. Taking one does not stop
 * the runtime: values are read one by one while it runs.
 *
 * @param workers the number of core worker threads
 * @param aliveTasks tasks accepted and not finished (spawned, submitted, and blocking work)
 * @param injectorDepth tasks waiting in the shared injector queue
 * @param extraWorkers extra workers running now, started while workers were blocked
 * @param blockingThreads threads of the blocking pool alive now
 * @param idleBlockingThreads of those, the ones waiting for work
 * @param blockingQueueDepth blocking work waiting for a thread
 * @param pendingTimers timers scheduled that have neither fired nor been cancelled
 * @param perWorker one entry per core worker, by index
 */
public record RuntimeMetrics(
        int workers,
        long aliveTasks,
        int injectorDepth,
        int extraWorkers,
        int blockingThreads,
        int idleBlockingThreads,
        int blockingQueueDepth,
        long pendingTimers,
        List<WorkerMetrics> perWorker) {

    /** A snapshot; the list is copied. */
    public RuntimeMetrics {
        perWorker = List.copyOf(perWorker);
    }

    /** The sum of every worker's polls. */
    public long totalPolls() {
        return perWorker.stream().mapToLong(WorkerMetrics::polls).sum();
    }

    /** The sum of every worker's steal operations. */
    public long totalSteals() {
        return perWorker.stream().mapToLong(WorkerMetrics::steals).sum();
    }
}
