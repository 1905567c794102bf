package dev.spindle.internal.jfr;

import dev.spindle.metrics.StallReport;

/**
 * The runtime's one door to JDK Flight Recorder. Every method returns at once when the
 * {@code jdk.jfr} module is absent or Flight Recorder has not started ({@link #recording()});
 * none has a {@code jdk.jfr} type in its signature, so callers load nothing of JFR. See the
 * package notes for the costs.
 */
public final class Jfr {
    /** Whether {@code jdk.jfr} is in the boot layer: asked once, so the JIT folds every guard. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private Jfr() {
    }

    /**
     * Whether a recording may want events: {@code jdk.jfr} is present and Flight Recorder has
     * started in this JVM (at launch, through {@code jcmd JFR.start}, or by a {@code Recording}
     * in code). Until then no event class is touched: the first touch of one in a JVM where
     * Flight Recorder never started builds its metadata, which took 170-220 ms here, on whatever
     * thread came first (a worker's first park, which may be keeping the timers). One volatile
     * read once the first call has loaded the flag's class; the runtime's constructor makes that
     * first call.
     */
    public static boolean recording() {
        return AVAILABLE && Events.recorderStarted();
    }

    /** Worker {@code thief} stole {@code tasks} tasks in one go from worker {@code victim}. */
    public static void steal(String runtime, int thief, int victim, int tasks) {
        if (recording()) {
            Events.steal(runtime, thief, victim, tasks);
        }
    }

    /**
     * A stall the monitor reports: {@code thread} is the stuck worker's thread, {@code state}
     * its state when the stall was seen.
     */
    public static void stall(String runtime, StallReport report, Thread thread, Thread.State state) {
        if (recording()) {
            Events.stall(runtime, report, thread, state);
        }
    }

    /**
     * A worker is about to park. Returns what {@link #parkEnd} needs: null unless a recording
     * has the park event enabled (nothing is allocated then).
     */
    public static Object parkBegin() {
        return recording() ? Events.parkBegin() : null;
    }

    /** The worker that called {@link #parkBegin} is awake again. */
    public static void parkEnd(Object begun, String runtime, int worker) {
        if (begun != null) {
            Events.parkEnd(begun, runtime, worker);
        }
    }

    /** An extra worker starts, for {@code reason}. */
    public static void extraStarted(String runtime, int worker, String thread, int alive, String reason) {
        if (recording()) {
            Events.extraStarted(runtime, worker, thread, alive, reason);
        }
    }

    /** An extra worker leaves, for {@code reason}. */
    public static void extraRetired(String runtime, int worker, String thread, String reason) {
        if (recording()) {
            Events.extraRetired(runtime, worker, thread, reason);
        }
    }
}
