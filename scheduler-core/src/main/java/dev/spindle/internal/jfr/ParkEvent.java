package dev.spindle.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** A worker asleep with nothing to do, from registering as a sleeper to waking; long ones only. */
@Name("dev.spindle.Park")
@Label("Worker Park")
@Category({"Spindle"})
@Description("A core worker slept with nothing to do (only sleeps longer than the threshold are recorded)")
@StackTrace(false)
@Threshold("20 ms")
final class ParkEvent extends jdk.jfr.Event {
    @Label("Runtime")
    String runtime;

    @Label("Worker")
    @Description("The index of the worker that slept")
    int worker;
}
