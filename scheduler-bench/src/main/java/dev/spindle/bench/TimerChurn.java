package dev.spindle.bench;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import dev.spindle.time.Time;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Stresses timer insertion and removal: one task schedules and cancels 1,000,000 timers per
 * operation, in rounds of 1,000 that are all scheduled before any is cancelled, with deadlines
 * spread over 1 to 1,000 ms. The score is per timer (one schedule and its cancel).
 *
 * <p>{@value #SPINDLE}: a native task makes {@code Time.sleep(d)} futures, polls each once (the
 * poll that files its timer in the runtime's wheel) and then drops them, which is how a
 * {@code select} or a {@code timeout} abandons a sleep and removes its timer. Each poll spends
 * a unit of the task's cooperative budget, so the task yields whenever the budget runs out,
 * as any task that makes many timers would.
 *
 * <p>Peers: a {@code ScheduledThreadPoolExecutor} with the same number of threads runs the
 * same loop as one of its own tasks, with {@code schedule(noop, d, MILLISECONDS)} and
 * {@code cancel(false)}. {@value #STPE_REMOVE} sets {@code setRemoveOnCancelPolicy(true)}, so a
 * cancel takes the task out of the queue at once; {@value #STPE_KEEP} keeps the default policy,
 * where cancelled tasks stay queued until their deadline and a worker then discards them
 * (its queue holds about half a second of cancelled timers, and those are in its figures).
 *
 * <p>A round of 1,000 takes well under the shortest deadline (1 ms) on a warm JVM, so timers
 * almost never fire; one that does wakes the Spindle task once more or runs a no-op on the
 * peer.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerChurn extends BenchmarkBase {
    static final int TIMERS = 1_000_000;
    static final int BATCH = 1_000;
    /** {@code ScheduledThreadPoolExecutor} removing cancelled tasks from its queue at once. */
    static final String STPE_REMOVE = "stpe-remove";
    /** {@code ScheduledThreadPoolExecutor} with the default policy: cancelled tasks stay queued. */
    static final String STPE_KEEP = "stpe-keep";
    /** The deadlines, 1 to {@value #SPREAD_MS} ms, taken in a scattered order. */
    private static final int SPREAD_MS = 1_000;
    /** Coprime to {@value #SPREAD_MS}: timer j of a round waits 1 + (j * STRIDE) % 1000 ms. */
    private static final int STRIDE = 389;

    /** This workload's executors; see {@link BenchmarkBase#executor}, the field code reads. */
    @Param({SPINDLE, STPE_REMOVE, STPE_KEEP})
    public String executor;

    /** Rounds of {@value #BATCH} timers per operation; tests make it smaller. */
    int rounds = TIMERS / BATCH;

    /** Durations built once, so the loop allocates only what the timer API does. */
    private static final Duration[] DELAYS = new Duration[SPREAD_MS];

    static {
        for (int i = 0; i < SPREAD_MS; i++) {
            DELAYS[i] = Duration.ofMillis(1 + i);
        }
    }

    private ScheduledThreadPoolExecutor timers;
    private NativeChurn nativeChurn;
    private PeerChurn peerChurn;
    /** Timers scheduled by the last operation; written by its task before the count-down. */
    private long scheduled;

    @Override
    protected ExecutorService startPeer(String name, int workers) {
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(workers, daemonThreads());
        if (STPE_REMOVE.equals(name)) {
            stpe.setRemoveOnCancelPolicy(true);
        } else if (!STPE_KEEP.equals(name)) {
            throw new IllegalArgumentException("unknown timer peer: " + name);
        }
        timers = stpe;
        return stpe;
    }

    @Override
    protected void prepare() {
        nativeChurn = new NativeChurn();
        peerChurn = new PeerChurn();
    }

    @Benchmark
    @OperationsPerInvocation(TIMERS)
    @Override
    public void run() throws Exception {
        done.arm(1);
        if (nativeTasks) {
            nativeChurn.reset();
            runtime.spawn(nativeChurn);
        } else {
            pool.execute(peerChurn);
        }
        awaitDone();
        long expected = (long) rounds * BATCH;
        if (scheduled != expected) {
            throw new IllegalStateException(scheduled + " timers scheduled, not " + expected);
        }
    }

    /**
     * For tests: with the remove-on-cancel policy, nothing is left in the peer's queue. (A
     * Spindle runtime does not show its timers; its test is that the operation finished.)
     */
    @Override
    void checkResult(int operations) {
        if (timers != null && timers.getRemoveOnCancelPolicy() && !timers.getQueue().isEmpty()) {
            throw new IllegalStateException(timers.getQueue().size() + " cancelled timers still queued");
        }
    }

    private static Duration delay(int j) {
        return DELAYS[(j * STRIDE) % SPREAD_MS];
    }

    /**
     * One task doing every round: files a round's sleeps, one poll each, then drops them all.
     * Its state survives the yields between polls.
     */
    private final class NativeChurn implements PollFuture<Void> {
        private final PollFuture<?>[] batch = new PollFuture<?>[BATCH];
        private int round;
        private int filed;
        private long count;

        void reset() {
            round = 0;
            filed = 0;
            count = 0;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (round < rounds) {
                while (filed < BATCH) {
                    if (cx.remainingBudget() == 0) {
                        return Tasks.yieldPending(cx); // the sleep's poll would answer pending unfiled
                    }
                    PollFuture<Void> sleep = Time.sleep(delay(filed));
                    if (sleep.poll(cx).isReady()) {
                        throw new IllegalStateException("a sleep of at least 1 ms was ready at its first poll");
                    }
                    batch[filed++] = sleep;
                }
                for (int i = 0; i < BATCH; i++) {
                    batch[i].drop();
                    batch[i] = null;
                }
                count += BATCH;
                filed = 0;
                round++;
            }
            scheduled = count;
            done.countDown();
            return Poll.ready(null);
        }
    }

    /** The same rounds on the timer peer, as one of its own tasks. */
    private final class PeerChurn implements Runnable {
        private final ScheduledFuture<?>[] batch = new ScheduledFuture<?>[BATCH];
        private final Runnable noop = () -> { };

        @Override
        public void run() {
            ScheduledThreadPoolExecutor t = timers;
            long count = 0;
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < BATCH; j++) {
                    batch[j] = t.schedule(noop, delay(j).toMillis(), TimeUnit.MILLISECONDS);
                }
                for (int j = 0; j < BATCH; j++) {
                    batch[j].cancel(false);
                    batch[j] = null;
                }
                count += BATCH;
            }
            scheduled = count;
            done.countDown();
        }
    }

    /** Daemon threads, as every other benchmark executor has, so a failed trial cannot hang the fork. */
    private static ThreadFactory daemonThreads() {
        ThreadFactory defaults = Executors.defaultThreadFactory();
        return r -> {
            Thread t = defaults.newThread(r);
            t.setDaemon(true);
            return t;
        };
    }
}
