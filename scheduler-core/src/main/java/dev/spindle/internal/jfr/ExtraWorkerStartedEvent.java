package dev.spindle.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An extra worker started to compensate for blocked ones. */
@Name("dev.spindle.ExtraWorkerStarted")
@Label("Extra Worker Started")
@Category({"Spindle"})
@Description("An extra worker thread started while workers were blocked")
@StackTrace(false)
final class ExtraWorkerStartedEvent extends jdk.jfr.Event {
    @Label("Runtime")
    String runtime;

    @Label("Worker")
    @Description("The extra worker's index (after the core workers')")
    int worker;

    @Label("Thread Name")
    String threadName;

    @Label("Extra Workers Alive")
    @Description("Extra workers alive, this one included")
    int alive;

    @Label("Reason")
    String reason;
}
