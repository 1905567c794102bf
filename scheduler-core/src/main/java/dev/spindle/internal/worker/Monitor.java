package dev.spindle.internal.worker;

import dev.spindle.internal.jfr.Jfr;
import dev.spindle.metrics.StallReport;
import dev.spindle.time.Clock;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The runtime's watcher: one daemon thread that looks at every worker each tick, and touches
 * nothing on the workers' hot paths (it reads their poll counters).
 *
 * <p>A worker whose poll counter has not moved while it is inside a poll is stuck in that one
 * poll. The monitor then
 * <ol>
 *   <li>reports the stall once the runtime's clock says it has lasted the threshold (to the
 *       builder's hook, by default a warning through {@link System.Logger}), with the task and
 *       its stack;</li>
 *   <li>wakes a sleeping peer while the stuck worker has queued work, so peers steal it;</li>
 *   <li>starts an extra worker when work is queued, no worker polled anything for a whole
 *       tick, and a stuck worker's thread is blocked (waiting on a lock, a future, a sleep):
 *       the compensation that keeps {@code future.get()} inside tasks from deadlocking the
 *       runtime. A worker that is stuck computing (its thread is runnable) is not compensated
 *       for: more threads than cores would only slow it down.</li>
 * </ol>
 */
final class Monitor implements Runnable {
    /** Ticks while workers are awake. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Ticks stretch up to this while every worker sleeps. */
    private static final long IDLE_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Scheduler scheduler;
    private final Clock clock;
    private final long thresholdNanos;
    private final Consumer<StallReport> onStall;
    private final long tickNanos;
    /** Ticks completed (timers fired, workers looked at); written by the monitor thread only. */
    volatile long ticks;
    /** What the last tick saw of each worker; monitor thread only. */
    private final Map<Worker, Watch> watches = new IdentityHashMap<>();
    /** Stalls reported per core worker; written by the monitor thread, read by metrics. */
    private final AtomicLongArray stalls;

    /** One worker as the monitor last saw it. */
    private static final class Watch {
        long polls = -1;
        /** Clock reading when this poll was first seen. */
        long since;
        boolean reported;
    }

    Monitor(Scheduler scheduler, Clock clock, long thresholdNanos, Consumer<StallReport> onStall) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.thresholdNanos = thresholdNanos;
        this.onStall = onStall;
        this.stalls = new AtomicLongArray(scheduler.workerCount());
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(TICK_NANOS, thresholdNanos / 4));
    }

    @Override
    public void run() {
        long sleep = tickNanos;
        while (scheduler.lifecycle.runState() != Lifecycle.TERMINATED) {
            LockSupport.parkNanos(this, sleep);
            scheduler.time.fireExpired(); // a clock that jumps (a manual one) is seen here too
            scheduler.keeper.pollNow(); // events are seen even while every worker is busy
            boolean awake = tick() || scheduler.time.pendingTimers() > 0;
            ticks++;
            sleep = awake ? tickNanos : Math.min(IDLE_TICK_NANOS, sleep * 2);
        }
    }

    /** One look at every worker. Returns false if every worker was asleep. */
    boolean tick() {
        long now = clock.nanoTime();
        Worker[] all = scheduler.extras.all();
        boolean progress = false;
        boolean awake = false;
        boolean queued = !scheduler.injector.isEmpty();
        boolean blocked = false;
        for (Worker w : all) {
            Watch watch = watches.computeIfAbsent(w, k -> new Watch());
            long polls = w.cx.pollsOpaque();
            Object body = w.cx.bodyRacy();
            if (!w.sleeping) {
                awake = true;
            }
            if (polls != watch.polls) {
                progress |= watch.polls >= 0;
                watch.polls = polls;
                watch.since = now;
                watch.reported = false;
                continue;
            }
            if (body == null || w.sleeping) {
                watch.since = now; // between polls: idle, not stuck
                continue;
            }
            // Inside the same poll as last tick.
            if (!w.blockedInPlace && !watch.reported && now - watch.since >= thresholdNanos) {
                watch.reported = true;
                report(w, body, now - watch.since);
            }
            if (w.queues.hasWork()) {
                queued = true;
            }
            blocked |= w.blockedInPlace || isBlocked(w.thread);
        }
        if (watches.size() > all.length) {
            watches.keySet().retainAll(java.util.Arrays.asList(all)); // extras that left
        }
        if (queued && !scheduler.notifyParkedOrSearching() && !progress && blocked) {
            scheduler.extras.start();
        }
        return awake;
    }

    private static boolean isBlocked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }

    /** Stalls reported so far for core worker {@code index}; any thread. */
    long stalls(int index) {
        return stalls.get(index);
    }

    private void report(Worker w, Object body, long stalledNanos) {
        if (!w.extra) {
            stalls.incrementAndGet(w.index); // extras are not in the metrics
        }
        StallReport r = new StallReport(w.index, w.thread.getName(), String.valueOf(body),
                Duration.ofNanos(stalledNanos), w.thread.getStackTrace());
        Jfr.stall(scheduler.name, r, w.thread, w.thread.getState()); // dev.spindle.Stall, when recorded
        if (onStall == null) {
            System.getLogger("dev.spindle").log(System.Logger.Level.WARNING,
                    r + " (blocking code belongs in spawnBlocking or Tasks.blockInPlace)", r.asThrowable());
            return;
        }
        try {
            onStall.accept(r);
        } catch (Throwable ignored) {
            // A throwing hook must not stop the monitor.
        }
    }
}
