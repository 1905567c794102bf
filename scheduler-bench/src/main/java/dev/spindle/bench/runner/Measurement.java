package dev.spindle.bench.runner;

/**
 * One workload on one executor, as JMH measured it.
 *
 * @param workload the workload's name, as in BENCHMARKS.md
 * @param row the report row it belongs to: the workload name, with its extra parameter if any
 * @param executor the executor's name
 * @param score mean time per operation
 * @param error half the 99.9% confidence interval JMH gives, or NaN with too few samples
 * @param unit the unit of {@code score} and {@code error}, e.g. {@code us/op}
 * @param allocBytesPerOp bytes allocated per operation ({@code gc.alloc.rate.norm}), or NaN
 *        when the GC profiler was not on
 */
public record Measurement(String workload, String row, String executor, double score, double error,
                          String unit, double allocBytesPerOp) {
}
