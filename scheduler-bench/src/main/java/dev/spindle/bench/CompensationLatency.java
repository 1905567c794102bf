package dev.spindle.bench;

import dev.spindle.Spindle;
import dev.spindle.bench.baseline.Peers;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measures compensation latency: the time from a task starting to wait in
 * {@code CompletableFuture.get()} to the moment the task queued behind it (on the same
 * executor, the only thing that can complete the future) starts running elsewhere. Every worker
 * of the executor blocks this way at once, so nothing but compensation can run the queued task.
 * Prints the distribution per executor and worker count. Not a JMH benchmark: each sample is
 * one blocking episode, and the distribution, not a mean, is the figure.
 *
 * <pre>{@code java -cp scheduler-bench/target/benchmarks.jar dev.spindle.bench.CompensationLatency [episodes]}</pre>
 */
public final class CompensationLatency {
    private CompensationLatency() {
    }

    public static void main(String[] args) throws Exception {
        int episodes = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        System.out.println("compensation latency, " + episodes + " episodes each, Java "
                + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.println("executor      workers     p50 us     p90 us     p99 us     max us");
        for (int workers : new int[] {1, 2}) {
            for (String name : new String[] {BenchmarkBase.SPINDLE_EXEC, Peers.FJP}) {
                ExecutorService pool = BenchmarkBase.SPINDLE_EXEC.equals(name)
                        ? Spindle.builder().workers(workers).daemon(true).onStall(r -> { }).build()
                        : Peers.start(name, workers);
                try {
                    measure(pool, workers, episodes / 10); // warm-up
                    long[] lat = measure(pool, workers, episodes);
                    Arrays.sort(lat);
                    System.out.printf(Locale.ROOT, "%-12s %8d %10.1f %10.1f %10.1f %10.1f%n", name, workers,
                            at(lat, 0.50), at(lat, 0.90), at(lat, 0.99), lat[lat.length - 1] / 1e3);
                } catch (TimeoutException e) {
                    System.out.printf(Locale.ROOT, "%-12s %8d   deadlocked: an episode waited over 1 s%n", name, workers);
                } finally {
                    pool.shutdownNow();
                    pool.awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e3;
    }

    /** {@code episodes} rounds; in each, every worker blocks on a future only a task queued behind it completes. */
    private static long[] measure(ExecutorService pool, int workers, int episodes) throws Exception {
        long[] out = new long[episodes * workers];
        int k = 0;
        @SuppressWarnings({"unchecked", "rawtypes"})
        Future<Long>[] round = new Future[workers];
        for (int e = 0; e < episodes; e++) {
            for (int w = 0; w < workers; w++) {
                round[w] = pool.submit(() -> {
                    CompletableFuture<Long> queuedRan = new CompletableFuture<>();
                    pool.execute(() -> queuedRan.complete(System.nanoTime())); // behind this task
                    long blocked = System.nanoTime();
                    return queuedRan.get() - blocked;
                });
            }
            for (int w = 0; w < workers; w++) {
                out[k++] = round[w].get(1, TimeUnit.SECONDS);
            }
        }
        return out;
    }
}
