package dev.spindle.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A worker held in one poll past the stall threshold. The monitor thread commits it, so JFR's
 * own stack trace would be the monitor's: it is off, and the stuck thread and its stack are
 * fields instead.
 */
@Name("dev.spindle.Stall")
@Label("Worker Stall")
@Category({"Spindle"})
@Description("A worker thread stayed in one poll of one task past the runtime's stall threshold")
@StackTrace(false)
final class StallEvent extends jdk.jfr.Event {
    @Label("Runtime")
    String runtime;

    @Label("Worker")
    @Description("The stuck worker's index")
    int worker;

    @Label("Worker Thread")
    @Description("The thread stuck in the poll")
    Thread workerThread;

    @Label("Task")
    @Description("The task being polled, as its toString describes it")
    String task;

    @Label("Stalled For")
    @Description("How long the poll had lasted when it was reported (by the runtime's clock)")
    @Timespan(Timespan.NANOSECONDS)
    long stalledFor;

    @Label("Thread State")
    @Description("The stuck thread's state: RUNNABLE when it computes, WAITING, TIMED_WAITING or BLOCKED when it blocks")
    String threadState;

    @Label("Stack")
    @Description("Where the stuck thread was, innermost frame first")
    String stack;
}
