package dev.spindle.internal.jfr;

import dev.spindle.metrics.StallReport;

/**
 * The runtime's one door to JDK Flight Recorder. Every method returns at once when the
 * {@code jdk.jfr} module is absent; none has a {@code jdk.jfr} type in its signature, so
 * callers load nothing of JFR. See the package notes for the costs.
 */
public final class Jfr {
    /** Whether {@code jdk.jfr} is in the boot layer: asked once, so the JIT folds every guard. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private Jfr() {
    }

    /** Worker {@code thief} stole {@code tasks} tasks in one go from worker {@code victim}. */
    public static void steal(String runtime, int thief, int victim, int tasks) {
        if (AVAILABLE) {
            Events.steal(runtime, thief, victim, tasks);
        }
    }

    /**
     * A stall the monitor reports: {@code thread} is the stuck worker's thread, {@code state}
     * its state when the stall was seen.
     */
    public static void stall(String runtime, StallReport report, Thread thread, Thread.State state) {
        if (AVAILABLE) {
            Events.stall(runtime, report, thread, state);
        }
    }

    /**
     * A worker is about to park. Returns what {@link #parkEnd} needs: null unless a recording
     * has the park event enabled (nothing is allocated then).
     */
    public static Object parkBegin() {
        return AVAILABLE ? Events.parkBegin() : null;
    }

    /** The worker that called {@link #parkBegin} is awake again. */
    public static void parkEnd(Object begun, String runtime, int worker) {
        if (begun != null) {
            Events.parkEnd(begun, runtime, worker);
        }
    }

    /** An extra worker starts, for {@code reason}. */
    public static void extraStarted(String runtime, int worker, String thread, int alive, String reason) {
        if (AVAILABLE) {
            Events.extraStarted(runtime, worker, thread, alive, reason);
        }
    }

    /** An extra worker leaves, for {@code reason}. */
    public static void extraRetired(String runtime, int worker, String thread, String reason) {
        if (AVAILABLE) {
            Events.extraRetired(runtime, worker, thread, reason);
        }
    }
}
