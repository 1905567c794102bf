package dev.spindle.internal.jfr;

import dev.spindle.metrics.StallReport;
import jdk.jfr.FlightRecorder;

/**
 * Builds and commits the events. Only {@link Jfr} calls it, and only when {@code jdk.jfr} is
 * present. Each method asks a fresh event whether it is enabled before filling it: the JIT
 * removes the object when it is not, and nothing is cached, so a recording started later is seen.
 */
final class Events {
    /** Frames of a stuck thread's stack kept in a stall event. */
    private static final int STALL_FRAMES = 64;

    private Events() {
    }

    /** Flight Recorder has started in this JVM; a read of the JDK's own volatile flag. */
    static boolean recorderStarted() {
        return FlightRecorder.isInitialized();
    }

    static void steal(String runtime, int thief, int victim, int tasks) {
        StealEvent e = new StealEvent();
        if (e.isEnabled()) {
            e.runtime = runtime;
            e.thief = thief;
            e.victim = victim;
            e.tasks = tasks;
            e.commit();
        }
    }

    static void stall(String runtime, StallReport r, Thread thread, Thread.State state) {
        StallEvent e = new StallEvent();
        if (e.isEnabled()) {
            e.runtime = runtime;
            e.worker = r.worker();
            e.workerThread = thread;
            e.task = r.task();
            e.stalledFor = r.stalledFor().toNanos();
            e.threadState = state.name();
            e.stack = frames(r.stackTrace());
            e.commit();
        }
    }

    private static String frames(StackTraceElement[] stack) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(stack.length, STALL_FRAMES);
        for (int i = 0; i < n; i++) {
            b.append("at ").append(stack[i]).append('\n');
        }
        if (stack.length > n) {
            b.append("... ").append(stack.length - n).append(" more\n");
        }
        return b.toString();
    }

    static Object parkBegin() {
        ParkEvent e = new ParkEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    static void parkEnd(Object begun, String runtime, int worker) {
        ParkEvent e = (ParkEvent) begun;
        e.end();
        if (e.shouldCommit()) {
            e.runtime = runtime;
            e.worker = worker;
            e.commit();
        }
    }

    static void extraStarted(String runtime, int worker, String thread, int alive, String reason) {
        ExtraWorkerStartedEvent e = new ExtraWorkerStartedEvent();
        if (e.isEnabled()) {
            e.runtime = runtime;
            e.worker = worker;
            e.threadName = thread;
            e.alive = alive;
            e.reason = reason;
            e.commit();
        }
    }

    static void extraRetired(String runtime, int worker, String thread, String reason) {
        ExtraWorkerRetiredEvent e = new ExtraWorkerRetiredEvent();
        if (e.isEnabled()) {
            e.runtime = runtime;
            e.worker = worker;
            e.threadName = thread;
            e.reason = reason;
            e.commit();
        }
    }
}
