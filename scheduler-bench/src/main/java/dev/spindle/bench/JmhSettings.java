package dev.spindle.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The JMH settings every benchmark in this module runs with, written once: average time in
 * microseconds, 2 forks with a fixed heap, 5 warm-up and 8 measured iterations of 1 s. JMH
 * reads them from the superclass, so the runner's workloads ({@link BenchmarkBase}), the model
 * benchmarks and the socket benchmarks extend this class; one whose figures read better in
 * another unit declares its own {@code @OutputTimeUnit}. The comparative runner overrides the
 * iteration counts from its command line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {JmhSettings.HEAP_MIN, JmhSettings.HEAP_MAX})
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 8, time = 1, timeUnit = TimeUnit.SECONDS)
public abstract class JmhSettings {
    /** The forked JVM's initial heap; fixed, with {@link #HEAP_MAX}, so GC sizing does not drift. */
    public static final String HEAP_MIN = "-Xms1g";
    /** The forked JVM's maximum heap. */
    public static final String HEAP_MAX = "-Xmx1g";
}
