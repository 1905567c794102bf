package dev.spindle.internal.worker;

import dev.spindle.metrics.StallReport;
import dev.spindle.time.Clock;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The default stall handler (used when the builder has no {@code onStall} hook): what a user
 * sees in the log. Called on the monitor thread only, so its fields need no synchronisation.
 *
 * <ul>
 *   <li>A <em>blocked</em> worker (a JDK wait inside a task: {@code future.get()}, a lock, a
 *       sleep) has been compensated for with another thread: the drop-in contract working. One
 *       line with the stack at {@code DEBUG}, nothing at {@code WARNING}.</li>
 *   <li>A <em>running</em> poll past the threshold (CPU-bound code) holds a core: one
 *       {@code WARNING} line, without the stack, at most once per {@link #WARNING_INTERVAL_NANOS}
 *       by the runtime's clock; stalls within the interval are counted, and the next warning
 *       says how many were left out. Every running stall's stack goes to {@code DEBUG}.</li>
 * </ul>
 */
final class StallLog implements Consumer<StallReport> {
    /** Current behaviour: at most one warning per 10 s. */
    static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final System.Logger logger;
    private final Clock clock;
    private boolean warned;
    private long lastWarning;
    private long suppressed;

    StallLog(System.Logger logger, Clock clock) {
        this.logger = logger;
        this.clock = clock;
    }

    @Override
    public void accept(StallReport r) {
        if (r.blocked()) {
            if (logger.isLoggable(System.Logger.Level.DEBUG)) {
                logger.log(System.Logger.Level.DEBUG, r + " (compensated: other threads ran its queued work)",
                        r.asThrowable());
            }
            return;
        }
        long now = clock.nanoTime();
        if (warned && now - lastWarning < WARNING_INTERVAL_NANOS) {
            suppressed++;
        } else {
            String left = suppressed == 0 ? ""
                    : "; " + suppressed + " more such stall" + (suppressed == 1 ? "" : "s") + " since the last warning";
            logger.log(System.Logger.Level.WARNING, r + " (CPU-bound code belongs in spawnBlocking, or should yield"
                    + " now and then" + left + "; stacks at level DEBUG of logger dev.spindle)");
            warned = true;
            lastWarning = now;
            suppressed = 0;
        }
        if (logger.isLoggable(System.Logger.Level.DEBUG)) {
            logger.log(System.Logger.Level.DEBUG, r.toString(), r.asThrowable());
        }
    }
}
