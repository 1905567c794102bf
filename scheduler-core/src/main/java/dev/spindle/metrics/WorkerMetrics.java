package dev.spindle.metrics;

import java.time.Duration;

/**
 * One worker's counters at the moment of a {@link RuntimeMetrics} snapshot. Counters only grow
 * over the runtime's life; depths are instantaneous. Each value is read without stopping the
 * worker, so values taken together may be a few operations apart.
 *
 * @param index the worker's index, 0 to workers - 1
 * @param polls task polls started
 * @param localSchedules tasks the worker queued onto itself: spawns and wake-ups on its own
 *     thread, and tasks requeued after yielding
 * @param remoteSchedules tasks the worker took from its inbox (woken by other threads) or from
 *     the shared injector (submitted from outside, or overflowed)
 * @param steals successful steal operations from peers
 * @param stolenTasks tasks taken by those steals
 * @param parks times the worker parked with nothing to do
 * @param unparks times the worker woke from parking to run tasks
 * @param overflows times the local queue was full and half of it moved to the injector
 * @param localQueueDepth tasks in the local queue now
 * @param inboxDepth tasks in the inbox now
 * @param budgetForcedYields polls that ended because the cooperative budget ran out
 * @param busyTime time spent awake (running tasks or looking for them), not parked
 * @param stalls polls reported as stalls
 */
public record WorkerMetrics(
        int index,
        long polls,
        long localSchedules,
        long remoteSchedules,
        long steals,
        long stolenTasks,
        long parks,
        long unparks,
        long overflows,
        int localQueueDepth,
        int inboxDepth,
        long budgetForcedYields,
        Duration busyTime,
        long stalls) {
}
