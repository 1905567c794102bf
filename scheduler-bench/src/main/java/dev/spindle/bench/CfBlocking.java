package dev.spindle.bench;

import dev.spindle.bench.baseline.Peers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stresses compensation for drop-in code that blocks inside tasks: 1,000 {@code CompletableFuture}
 * pipelines ({@code supplyAsync} → {@code thenCompose} → {@code thenApplyAsync}) joined with
 * {@code allOf}; in the last stage every 10th pipeline blocks in {@code get()} on a nested future
 * submitted to the same executor (queued behind it), and every 50th on one that a slow remote
 * call completes 2 ms later ({@code CompletableFuture.delayedExecutor}, completed on its
 * delayer thread).
 *
 * <p>The nested waits are bounded ({@link #DEADLOCK_BOUND_MS}): an executor that cannot run
 * the nested future while its threads block on it (a fixed pool of 2 threads, {@value Peers#TPE},
 * whose both threads wait on futures queued behind them) fails the operation with a
 * {@code TimeoutException} instead of hanging, and the runner reports the case as deadlocking.
 * The bound is far above any operation's time on an executor that does not deadlock.
 *
 * <p>No native {@value #SPINDLE} case: the workload is the {@code Executor} face by definition.
 */
public class CfBlocking extends BenchmarkBase {
    static final int PIPELINES = 1_000;
    /** How long a nested {@code get()} waits before the operation counts as deadlocked. */
    public static final long DEADLOCK_BOUND_MS = 2_000;
    /** The message of the failure a deadlocked operation ends with; the runner looks for it. */
    public static final String DEADLOCKED = "deadlocked: a task blocked in get() on a future queued behind it";

    /** This workload's executors; see {@link BenchmarkBase#executor}, the field code reads. */
    @Param({SPINDLE_EXEC, Peers.FJP, Peers.FJP_ASYNC, Peers.TPE, Peers.VTHREADS, Peers.KOTLIN})
    public String executor;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private final CompletableFuture<Integer>[] pipelines = new CompletableFuture[PIPELINES];
    private Executor remote;

    @Override
    protected void prepare() {
        if (nativeTasks) {
            throw new IllegalArgumentException("cf_blocking has no native Spindle case; use " + SPINDLE_EXEC);
        }
        // The slow remote call: completed 2 ms later on CompletableFuture's own delayer thread.
        remote = CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS, Runnable::run);
    }

    @Override
    protected void release() {
        // Told once per trial, like Spindle's stall count: the bound the issue sets is 64.
        System.err.println("# cf_blocking on " + super.executor + ": at most "
                + java.lang.management.ManagementFactory.getThreadMXBean().getPeakThreadCount()
                + " threads alive at once in this JVM");
        // A deadlocked operation may have left threads blocked until their bound: let them go.
        if (pool != null && !(pool instanceof dev.spindle.Spindle)) {
            pool.shutdownNow();
        }
    }

    @Benchmark
    @Override
    public void run() throws Exception {
        // Fails the operation at the first bounded wait that ran out; later blocking stages skip theirs.
        CompletableFuture<Void> failed = new CompletableFuture<>();
        for (int i = 0; i < PIPELINES; i++) {
            int id = i;
            pipelines[i] = CompletableFuture.supplyAsync(() -> id, pool)
                    .thenCompose(v -> CompletableFuture.supplyAsync(() -> v + 1, pool))
                    .thenApplyAsync(v -> last(id, v, failed), pool);
        }
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(pipelines), failed)
                    .get(opTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (failed.isCompletedExceptionally()) {
                throw new IllegalStateException(DEADLOCKED + " (on " + super.executor + ")", e.getCause());
            }
            throw e;
        }
        long sum = 0;
        for (CompletableFuture<Integer> p : pipelines) {
            sum += p.join();
        }
        long expected = (long) PIPELINES * (PIPELINES + 1) / 2; // each pipeline yields id + 1
        if (sum != expected) {
            throw new IllegalStateException("the pipelines summed to " + sum + ", not " + expected);
        }
    }

    /** The last stage: every 50th blocks on a slow remote call, every other 10th on a nested task. */
    private int last(int id, int v, CompletableFuture<Void> deadlock) {
        if (id % 10 != 0 || deadlock.isDone()) {
            return v; // (once deadlocked, the operation has failed: let the rest drain)
        }
        CompletableFuture<Integer> nested = id % 50 == 0
                ? CompletableFuture.supplyAsync(() -> v, remote)
                : CompletableFuture.supplyAsync(() -> v, pool);
        try {
            return nested.get(DEADLOCK_BOUND_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            deadlock.completeExceptionally(e);
            return v;
        } catch (ExecutionException e) {
            throw new java.util.concurrent.CompletionException(e.getCause());
        }
    }
}
