package dev.spindle.bench;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.ExecutorService;

/**
 * Stresses wakers and the LIFO slot: 1,000 task pairs, each {@code rounds} round trips through
 * one-shots (runnable executors bounce by resubmission instead).
 *
 * <p>One round trip is Tokio's shape: the spawn of the ponger dominates it. Ten show the
 * steady state, where a hop (a wake, or a resubmission) is most of the cost.
 */
public class PingPong extends BenchmarkBase {
    static final int PAIRS = 1_000;

    /** Round trips per pair: 1 (Tokio's shape) or 10 (the steady state). */
    @Param({"1", "10"})
    public int rounds;

    // Allocated once per trial and reset per operation, so the allocation shown is the executor's.
    private NativePair[] nativePairs;
    private RunnablePair[] runnablePairs;

    private final PollFuture<Void> nativeRoot = cx -> {
        for (NativePair p : nativePairs) {
            Tasks.spawn(p.pinger);
        }
        return Poll.ready(null);
    };
    private final Runnable runnableRoot = () -> {
        ExecutorService p = pool;
        for (RunnablePair pair : runnablePairs) {
            p.execute(pair.pinger);
        }
    };

    @Override
    protected void prepare() {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1: " + rounds);
        }
        nativePairs = new NativePair[PAIRS];
        runnablePairs = new RunnablePair[PAIRS];
        for (int i = 0; i < PAIRS; i++) {
            nativePairs[i] = new NativePair(rounds);
            runnablePairs[i] = new RunnablePair();
        }
    }

    @Benchmark
    @Override
    public void run() throws Exception {
        done.arm(PAIRS);
        if (nativeTasks) {
            for (NativePair p : nativePairs) {
                p.reset();
            }
            runtime.spawn(nativeRoot);
        } else {
            for (RunnablePair p : runnablePairs) {
                p.trips = 0;
                p.pinged = false;
            }
            pool.execute(runnableRoot);
        }
        awaitDone();
    }

    /** Every pair made all its round trips in every operation. */
    @Override
    void checkResult(int operations) {
        for (int i = 0; i < PAIRS; i++) {
            int trips = nativeTasks ? nativePairs[i].pingerRound : runnablePairs[i].trips;
            if (trips != rounds) {
                throw new IllegalStateException("pair " + i + " made " + trips + " round trips, not " + rounds);
            }
        }
    }

    /**
     * The pinger spawns the ponger, then for each round pings and waits for the pong; the
     * ponger answers each ping. One pair of one-shots per round.
     */
    private final class NativePair {
        final OneShot[] ping;
        final OneShot[] pong;
        /** The pinger's own state: the round it is in, and whether it has pinged in it. */
        int pingerRound;
        boolean pinged;
        boolean spawned;
        /** The ponger's own state: the round it answers next. */
        int pongerRound;
        final PollFuture<Void> pinger = this::pollPinger;
        final PollFuture<Void> ponger = this::pollPonger;

        NativePair(int rounds) {
            ping = new OneShot[rounds];
            pong = new OneShot[rounds];
            for (int r = 0; r < rounds; r++) {
                ping[r] = new OneShot();
                pong[r] = new OneShot();
            }
        }

        void reset() {
            for (int r = 0; r < ping.length; r++) {
                ping[r].reset();
                pong[r].reset();
            }
            pingerRound = 0;
            pongerRound = 0;
            pinged = false;
            spawned = false;
        }

        Poll<Void> pollPinger(Context cx) {
            if (!spawned) {
                spawned = true;
                Tasks.spawn(ponger);
            }
            for (;;) {
                if (!pinged) {
                    pinged = true;
                    ping[pingerRound].send();
                }
                if (!pong[pingerRound].poll(cx)) {
                    return Poll.pending();
                }
                pinged = false;
                if (++pingerRound == ping.length) {
                    done.countDown();
                    return Poll.ready(null);
                }
            }
        }

        /**
         * Writes its round before each pong, and nothing after the last: the pinger may end
         * the operation the moment it hears the last pong, and the next one resets the pair.
         */
        Poll<Void> pollPonger(Context cx) {
            for (;;) {
                int r = pongerRound;
                if (!ping[r].poll(cx)) {
                    return Poll.pending();
                }
                if (r + 1 == ping.length) {
                    pong[r].send();
                    return Poll.ready(null);
                }
                pongerRound = r + 1;
                pong[r].send();
            }
        }
    }

    /**
     * The pinger's run submits the ponger (the ping); the ponger submits the pinger back (the
     * pong), {@code rounds} times.
     */
    private final class RunnablePair {
        /** Round trips completed; only the pair's runnables touch it, one at a time. */
        int trips;
        boolean pinged;
        final Runnable pinger = this::runPinger;
        final Runnable ponger = this::runPonger;

        void runPinger() {
            if (pinged && ++trips == rounds) {
                done.countDown();
                return;
            }
            pinged = true;
            pool.execute(ponger);
        }

        void runPonger() {
            pool.execute(pinger);
        }
    }
}
