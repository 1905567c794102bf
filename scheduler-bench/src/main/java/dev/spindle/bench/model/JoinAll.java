package dev.spindle.bench.model;

import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.Spindle;
import dev.spindle.bench.JmhSettings;
import dev.spindle.future.Futures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Waiting for many tasks at once: an outside thread starts {@value #TASKS} tasks that each
 * return their index, then waits for all of them and sums the outputs. On Spindle that is
 * {@code rt.spawn} for each and {@code rt.blockOn(Futures.joinAll(handles))}; on
 * {@code ForkJoinPool} (the common way in Java) {@code CompletableFuture.supplyAsync} for each
 * and {@code CompletableFuture.allOf(...).join()}. Both pools have one worker per processor.
 */
public class JoinAll extends JmhSettings {
    static final int TASKS = 10_000;
    static final long SUM = (long) TASKS * (TASKS - 1) / 2;

    /** {@code spindle}: spawn and joinAll; {@code fjp-allOf}: supplyAsync and allOf on ForkJoinPool. */
    @Param({"spindle", "fjp-allOf"})
    public String impl;

    private Spindle rt;
    private ForkJoinPool fjp;

    @Setup
    public void start() {
        if ("spindle".equals(impl)) {
            rt = Pools.spindle();
        } else if ("fjp-allOf".equals(impl)) {
            fjp = Pools.forkJoin();
        } else {
            throw new IllegalArgumentException("impl must be spindle or fjp-allOf, was " + impl);
        }
    }

    @TearDown
    public void stop() {
        Pools.close(rt, fjp);
    }

    @Benchmark
    public long run() {
        long sum = 0;
        if (rt != null) {
            List<JoinHandle<Integer>> handles = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                Integer value = i;
                handles.add(rt.spawn(cx -> Poll.ready(value)));
            }
            for (int v : rt.blockOn(Futures.joinAll(handles))) {
                sum += v;
            }
        } else {
            List<CompletableFuture<Integer>> futures = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                Integer value = i;
                futures.add(CompletableFuture.supplyAsync(() -> value, fjp));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
            for (CompletableFuture<Integer> f : futures) {
                sum += f.join();
            }
        }
        if (sum != SUM) {
            throw new IllegalStateException("sum " + sum + ", expected " + SUM);
        }
        return sum;
    }
}
