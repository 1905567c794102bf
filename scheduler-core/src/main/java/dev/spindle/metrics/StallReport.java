package dev.spindle.metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * A worker thread stuck in one poll of one task for longer than the runtime's stall threshold:
 * typically a task that blocks (a lock, I/O, {@code Future.get()}) or computes for a long time
 * without yielding. Each stalled poll is reported once. Meanwhile the work queued on that
 * worker is taken by its peers; for a {@linkplain #blocked() blocked} worker the runtime has
 * added a thread in its place, so blocking there is the drop-in contract working, while a
 * running one holds a core.
 */
public final class StallReport {
    private final int worker;
    private final String threadName;
    private final String task;
    private final Duration stalledFor;
    private final StackTraceElement[] stackTrace;
    private final boolean blocked;

    /** For the runtime; users receive reports. As the six-argument form, with a running thread. */
    public StallReport(int worker, String threadName, String task, Duration stalledFor, StackTraceElement[] stackTrace) {
        this(worker, threadName, task, stalledFor, stackTrace, false);
    }

    /** For the runtime; users receive reports. */
    public StallReport(int worker, String threadName, String task, Duration stalledFor, StackTraceElement[] stackTrace,
            boolean blocked) {
        this.blocked = blocked;
        this.worker = worker;
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.task = Objects.requireNonNull(task, "task");
        this.stalledFor = Objects.requireNonNull(stalledFor, "stalledFor");
        this.stackTrace = stackTrace.clone();
    }

    /** The stalled worker's index. */
    public int worker() {
        return worker;
    }

    /** The name of the thread stuck in the poll. */
    public String threadName() {
        return threadName;
    }

    /** The task being polled, as its {@code toString} describes it. */
    public String task() {
        return task;
    }

    /** How long the poll had been running when it was reported (by the runtime's clock). */
    public Duration stalledFor() {
        return stalledFor;
    }

    /** Where the stuck thread was when it was reported. */
    public StackTraceElement[] stackTrace() {
        return stackTrace.clone();
    }

    /**
     * True if the thread was blocked (waiting on a lock, a future, a sleep) when reported: the
     * runtime compensates for such a worker with another thread. False if it was running, which
     * is CPU-bound code holding a core (better in {@code spawnBlocking}, or yielding now and then).
     */
    public boolean blocked() {
        return blocked;
    }

    /** The report as a throwable whose stack trace is the stuck thread's, for loggers. */
    public Throwable asThrowable() {
        Throwable t = new Throwable("stack of " + threadName + ", stuck in one poll for " + stalledFor.toMillis() + " ms") {
            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        };
        t.setStackTrace(stackTrace);
        return t;
    }

    @Override
    public String toString() {
        return "worker " + worker + " (" + threadName + ") " + (blocked ? "blocked" : "running") + " in one poll of "
                + task + " for " + stalledFor.toMillis() + " ms";
    }
}
