package dev.spindle.bench;

import dev.spindle.bench.baseline.Peers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Stresses the drop-in {@code Executor} path: a {@code CompletableFuture} chain of 1,000
 * {@code thenApplyAsync(f, executor)} stages after one {@code supplyAsync}, built and awaited.
 *
 * <p>The benchmark thread appends stages while the executor already runs the first ones, as
 * real callers do: a stage whose source is done by then is submitted from the benchmark
 * thread, any other one by the worker that completes its source.
 *
 * <p>There is no native {@value #SPINDLE} case: {@code CompletableFuture} only ever calls
 * {@code execute}, so native tasks could only measure a different workload, a chain of tasks
 * each spawning the next, which {@link ChainedSpawn} already measures.
 *
 * <p>ForkJoinPool takes {@code CompletableFuture}'s stages as they are (they are
 * {@code ForkJoinTask}s); every other executor wraps each one in its own task or queue node.
 */
public class CfChain extends BenchmarkBase {
    static final int STAGES = 1_000;

    /** This workload's executors; see {@link BenchmarkBase#executor}, the field code reads. */
    @Param({SPINDLE_EXEC, Peers.FJP, Peers.FJP_ASYNC, Peers.TPE, Peers.VTHREADS, Peers.KOTLIN, Peers.SERIAL})
    public String executor;

    /**
     * The value passed down the chain: one mutable counter per trial rather than boxed
     * integers, so the allocation shown is {@code CompletableFuture}'s and the executor's.
     * Each stage runs after the one before it has completed, so plain access is enough.
     */
    private static final class Counter {
        int stages;
    }

    private final Counter counter = new Counter();
    private final Supplier<Counter> first = () -> {
        counter.stages = 0;
        return counter;
    };
    private static final Function<Counter, Counter> STAGE = c -> {
        c.stages++;
        return c;
    };

    @Override
    protected void prepare() {
        if (nativeTasks) {
            throw new IllegalArgumentException("cf_chain has no native Spindle case; use " + SPINDLE_EXEC);
        }
    }

    @Benchmark
    @Override
    public void run() throws Exception {
        CompletableFuture<Counter> f = CompletableFuture.supplyAsync(first, pool);
        for (int i = 0; i < STAGES; i++) {
            f = f.thenApplyAsync(STAGE, pool);
        }
        drainSerial();
        int stages = f.get(opTimeoutNanos, TimeUnit.NANOSECONDS).stages;
        if (stages != STAGES) {
            throw new IllegalStateException("the chain ran " + stages + " stages, not " + STAGES);
        }
    }
}
