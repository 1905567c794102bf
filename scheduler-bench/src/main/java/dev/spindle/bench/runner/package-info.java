/**
 * The comparative runner behind {@code benchmarks.jar}: parses its options
 * ({@link dev.spindle.bench.runner.RunOptions}), drives JMH one workload and executor at a time
 * ({@link dev.spindle.bench.runner.ComparativeRun}), and turns the figures into a text table
 * and a self-contained HTML page ({@link dev.spindle.bench.runner.Report}).
 */
package dev.spindle.bench.runner;
