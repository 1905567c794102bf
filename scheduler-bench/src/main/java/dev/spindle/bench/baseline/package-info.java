/**
 * What Spindle is measured against: the JDK's executors, virtual threads and Kotlin's default
 * dispatcher ({@link dev.spindle.bench.baseline.Peers}), and the floor beside them,
 * {@link dev.spindle.bench.baseline.SerialExecutor}: the same work on one thread with an
 * {@code ArrayDeque} and no synchronisation.
 */
package dev.spindle.bench.baseline;
