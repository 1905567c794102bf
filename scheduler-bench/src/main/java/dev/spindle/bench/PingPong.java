package dev.spindle.bench;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import org.openjdk.jmh.annotations.Benchmark;

import java.util.concurrent.ExecutorService;

/**
 * Stresses wakers and the LIFO slot: 1,000 task pairs, each one round trip through two
 * one-shots (runnable executors bounce by resubmission instead).
 */
public class PingPong extends BenchmarkBase {
    static final int PAIRS = 1_000;

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
        nativePairs = new NativePair[PAIRS];
        runnablePairs = new RunnablePair[PAIRS];
        for (int i = 0; i < PAIRS; i++) {
            nativePairs[i] = new NativePair();
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
                p.pinged = false;
            }
            pool.execute(runnableRoot);
        }
        awaitDone();
    }

    /** The pinger spawns the ponger, pings, and waits for the pong; the ponger answers the ping. */
    private final class NativePair {
        final OneShot ping = new OneShot();
        final OneShot pong = new OneShot();
        /** The pinger's own state: it has spawned the ponger and pinged. */
        boolean pinged;
        final PollFuture<Void> pinger = this::pollPinger;
        final PollFuture<Void> ponger = this::pollPonger;

        void reset() {
            ping.reset();
            pong.reset();
            pinged = false;
        }

        Poll<Void> pollPinger(Context cx) {
            if (!pinged) {
                pinged = true;
                Tasks.spawn(ponger);
                ping.send();
            }
            if (!pong.poll(cx)) {
                return Poll.pending();
            }
            done.countDown();
            return Poll.ready(null);
        }

        Poll<Void> pollPonger(Context cx) {
            if (!ping.poll(cx)) {
                return Poll.pending();
            }
            pong.send();
            return Poll.ready(null);
        }
    }

    /** The pinger's first run submits the ponger (the ping); the ponger submits the pinger back (the pong). */
    private final class RunnablePair {
        boolean pinged;
        final Runnable pinger = this::runPinger;
        final Runnable ponger = this::runPonger;

        void runPinger() {
            if (!pinged) {
                pinged = true;
                pool.execute(ponger);
            } else {
                done.countDown();
            }
        }

        void runPonger() {
            pool.execute(pinger);
        }
    }
}
