package dev.spindle.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One steal: a batch of tasks an idle worker took from a peer (the event's thread is the thief's). */
@Name("dev.spindle.Steal")
@Label("Steal")
@Category({"Spindle"})
@Description("An idle worker took a batch of tasks from a peer's queues")
@StackTrace(false)
final class StealEvent extends jdk.jfr.Event {
    @Label("Runtime")
    String runtime;

    @Label("Thief")
    @Description("The index of the worker that stole")
    int thief;

    @Label("Victim")
    @Description("The index of the worker stolen from")
    int victim;

    @Label("Tasks")
    @Description("Tasks taken in this one steal")
    int tasks;
}
