package dev.spindle.bench.model;

import dev.spindle.Context;
import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.Tasks;
import dev.spindle.bench.JmhSettings;
import dev.spindle.future.Futures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;

/**
 * Divide and conquer with joins, {@code ForkJoinPool}'s textbook shape: the Fibonacci number
 * {@value #N}, split until {@value #CUTOFF} (then computed serially), each split running one half
 * as a new task and the other half in place, then adding both. That is {@value #SPLITS} tasks and
 * joins an operation. On Spindle it is written with the combinators, as the README shows them
 * ({@code Futures.join} of {@code Tasks.spawn} and the inline half, then {@code Futures.map});
 * the split is deferred into an {@code andThen} so that a task builds only its own level; and, as
 * the floor of what a Spindle user can write, by hand ({@code spindle-handwritten}: one
 * {@code PollFuture} per split that spawns, polls its inline half, then polls the handle). On
 * {@code ForkJoinPool} it is the {@code RecursiveTask} idiom: {@code fork} one half,
 * {@code compute} the other, {@code join}. The {@code execute} face has the same split written
 * with {@code CompletableFuture} on each pool as an {@code Executor} ({@code spindle-exec},
 * {@code fjp}): {@code supplyAsync} the half's future, compute the other half, then
 * {@code thenCombine}; nobody blocks but the benchmark thread. Both pools have one worker per
 * processor.
 *
 * <p>Unlike {@code fork_join_tree} in the runner (children report to a counter, nobody waits),
 * every task here waits for its child, so the figure includes what a join costs.
 */
public class RecursiveJoin extends JmhSettings {
    static final int N = 30;
    static final int CUTOFF = 10;
    /** fib(30). */
    static final long EXPECTED = 832_040L;
    /** Splits of fib(30) down to 10 (the leaves of that tree, fib(22), minus one). */
    static final int SPLITS = 17_710;

    /**
     * {@code spindle}: spawn, join and map; {@code spindle-handwritten}: the same split as a
     * hand-written future; {@code fjp-recursive}: RecursiveTask fork and join;
     * {@code spindle-exec} and {@code fjp}: the split as {@code CompletableFuture} stages on
     * the pool as an {@code Executor}.
     */
    @Param({"spindle", "spindle-handwritten", "spindle-exec", "fjp-recursive", "fjp"})
    public String impl;

    private Spindle rt;
    private ForkJoinPool fjp;

    @Setup
    public void start() {
        switch (impl) {
            case "spindle", "spindle-handwritten", "spindle-exec" -> rt = Pools.spindle();
            case "fjp-recursive", "fjp" -> fjp = Pools.forkJoin();
            default -> throw new IllegalArgumentException("impl must be spindle, spindle-handwritten,"
                    + " spindle-exec, fjp-recursive or fjp, was " + impl);
        }
    }

    @TearDown
    public void stop() {
        Pools.close(rt, fjp);
    }

    @Benchmark
    public long run() {
        long result = switch (impl) {
            case "spindle" -> rt.blockOn(fib(N));
            case "spindle-handwritten" -> rt.blockOn(new FibFuture(N));
            case "spindle-exec" -> fibStages(rt, N).join();
            case "fjp" -> fibStages(fjp, N).join();
            default -> fjp.invoke(new Fib(N));
        };
        if (result != EXPECTED) {
            throw new IllegalStateException("fib(" + N + ") gave " + result + ", expected " + EXPECTED);
        }
        return result;
    }

    /** The serial floor under the cutoff, the same on both pools. */
    static long serial(int n) {
        return n < 2 ? n : serial(n - 1) + serial(n - 2);
    }

    /** fib(n) as a Spindle future: one half spawned, the other polled in place, both joined. */
    static PollFuture<Long> fib(int n) {
        if (n <= CUTOFF) {
            return Futures.ready(serial(n));
        }
        return Futures.andThen(Futures.ready(n), k -> Futures.map(
                Futures.join(Tasks.spawn(fib(k - 1)), fib(k - 2)),
                both -> both.first() + both.second()));
    }

    /** fib(n) as the future a user writes by hand: spawn one half, poll the other, then the handle. */
    static final class FibFuture implements PollFuture<Long> {
        private final int n;
        private JoinHandle<Long> left;
        private PollFuture<Long> right;
        private long rightValue;

        FibFuture(int n) {
            this.n = n;
        }

        @Override
        public Poll<Long> poll(Context cx) {
            if (n <= CUTOFF) {
                return Poll.ready(serial(n));
            }
            if (left == null) {
                left = Tasks.spawn(new FibFuture(n - 1));
                right = new FibFuture(n - 2);
            }
            if (right != null) {
                Poll<Long> r = right.poll(cx);
                if (r.isPending()) {
                    return Poll.pending();
                }
                rightValue = r.value();
                right = null;
            }
            Poll<Long> l = left.poll(cx);
            return l.isPending() ? Poll.pending() : Poll.ready(l.value() + rightValue);
        }
    }

    /**
     * fib(n) as {@code CompletableFuture} stages on {@code pool}: one half's future built by a
     * task on the pool, the other built in place, combined when both are done.
     */
    static CompletableFuture<Long> fibStages(Executor pool, int n) {
        if (n <= CUTOFF) {
            return CompletableFuture.completedFuture(serial(n));
        }
        CompletableFuture<Long> left = CompletableFuture.supplyAsync(() -> fibStages(pool, n - 1), pool)
                .thenCompose(f -> f);
        return fibStages(pool, n - 2).thenCombine(left, Long::sum);
    }

    /** fib(n) as a ForkJoinPool task: fork one half, compute the other, join. */
    static final class Fib extends RecursiveTask<Long> {
        private final int n;

        Fib(int n) {
            this.n = n;
        }

        @Override
        protected Long compute() {
            if (n <= CUTOFF) {
                return serial(n);
            }
            Fib left = new Fib(n - 1);
            left.fork();
            long right = new Fib(n - 2).compute();
            return left.join() + right;
        }
    }
}
