package dev.spindle.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An extra worker left. */
@Name("dev.spindle.ExtraWorkerRetired")
@Label("Extra Worker Retired")
@Category({"Spindle"})
@Description("An extra worker thread left: it found no work for a while, or the runtime terminated")
@StackTrace(false)
final class ExtraWorkerRetiredEvent extends jdk.jfr.Event {
    @Label("Runtime")
    String runtime;

    @Label("Worker")
    int worker;

    @Label("Thread Name")
    String threadName;

    @Label("Reason")
    String reason;
}
