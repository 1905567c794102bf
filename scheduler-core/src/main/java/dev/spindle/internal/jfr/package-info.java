/**
 * JDK Flight Recorder events: what they record, where they are emitted, and how the runtime runs
 * without {@code jdk.jfr}.
 *
 * <h2>Two classes and the events</h2>
 * <pre>
 * Jfr          the only class the rest of the runtime calls: static methods with no jdk.jfr type
 *              in any signature, each of which returns at once when jdk.jfr is absent
 * Events       builds and commits the events; loaded only once Jfr has seen that jdk.jfr is
 *              there (its first call resolves it)
 * *Event       the event classes, one per event name (dev.spindle.Stall, dev.spindle.Steal, ...)
 * </pre>
 * The module reads {@code jdk.jfr} through {@code requires static}: an image made by jlink
 * without that module, or a JVM that lacks it, still runs the runtime. {@link
 * dev.spindle.internal.jfr.Jfr#AVAILABLE} asks the boot layer once, in a static final, so the
 * JIT folds every guard away; only when it is true does any code touch {@code Events} or an
 * event class, and the JVM resolves a class on first execution, so {@code jdk.jfr} is never
 * loaded when it is absent. (On a full JDK the module is in the boot layer on the class path and
 * on the module path alike: the system modules bound as services pull it in.)
 *
 * <h2>What recording costs, and what not recording costs</h2>
 * No event is emitted per task, per poll, per wake or per yield. The hot paths carry at most one
 * check per steal batch or per park: first {@link dev.spindle.internal.jfr.Jfr#recording()}, one
 * read of the JDK's own volatile flag that says Flight Recorder has started in this JVM; then,
 * only if it has, a fresh event whose {@code isEnabled()} is asked, which the JIT reduces to one
 * read of the flag JFR keeps for the event class (the event object does not escape, so it is
 * never allocated). Neither answer is cached here: a recording started later (by {@code jcmd})
 * sees events from a runtime built before it. Events that measure a span ({@code Park}) are
 * allocated only while a recording has them enabled.
 *
 * <p>Why the first check: in a JVM where Flight Recorder never started, the first touch of an
 * event class builds its metadata (170 ms on JDK 17, 220 ms on JDK 25, measured on the 2-core
 * machines here), on the thread that touched it. That was a worker's first park, and the worker
 * that parks keeps the timers: a user's first 20 ms timeout fired up to 133 ms late, and the
 * next ones 10 ms late (fired by the monitor's housekeeping instead).
 *
 * <h2>Who emits what</h2>
 * <pre>
 * dev.spindle.Stall              Monitor, when it reports a stall (its thread commits: the
 *                                stuck worker's thread and stack are fields)
 * dev.spindle.Steal              Worker.search, once per successful steal (a batch)
 * dev.spindle.Park               Worker.parkUntilWoken, from registering as a sleeper to waking
 * dev.spindle.ExtraWorkerStarted ExtraWorkers.start, with why
 * dev.spindle.ExtraWorkerRetired ExtraWorkers, when an extra leaves, with why
 * </pre>
 */
package dev.spindle.internal.jfr;
