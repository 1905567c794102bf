package dev.spindle.bench;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import dev.spindle.bench.baseline.Peers;
import dev.spindle.sync.Oneshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.ExecutorService;

/**
 * Stresses wakers through the public {@link Oneshot}: 1,000 task pairs, each one round trip
 * through two {@code Oneshot} channels made for that round (runnable executors bounce by
 * resubmission instead, as in {@link PingPong}).
 *
 * <p>The shape is {@link PingPong}'s: the pinger spawns the ponger, sends the ping and waits
 * for the pong; the ponger waits for the ping and sends the pong. {@link PingPong} signals
 * through a reusable stand-in, so its allocation is the runtime's alone; here each round
 * makes the two channels a user would make, so {@code gc.alloc.rate.norm} also holds two
 * {@code Oneshot}s per pair (each with its sender, receiver and {@code AtomicWaker}). The
 * runnable peers do the same work as in {@link PingPong}, so their figures are its figures.
 */
public class OneshotPingPong extends BenchmarkBase {
    static final int PAIRS = 1_000;

    /** This workload's executors; see {@link BenchmarkBase#executor}, the field code reads. */
    @Param({SPINDLE, SPINDLE_EXEC, Peers.FJP, Peers.TPE})
    public String executor;

    // The pair objects are allocated once per trial and reset per operation; the channels are not.
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
                p.pinged = false;
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

    /**
     * The pinger makes this round's two channels, spawns the ponger, pings and waits for the
     * pong; the ponger waits for the ping and answers it. The channel fields are written by
     * the pinger before it spawns the ponger, so the spawn publishes them.
     */
    private final class NativePair {
        Oneshot<Void> ping;
        Oneshot<Void> pong;
        /** The pinger's own state: it has spawned the ponger and pinged. */
        boolean pinged;
        final PollFuture<Void> pinger = this::pollPinger;
        final PollFuture<Void> ponger = this::pollPonger;

        Poll<Void> pollPinger(Context cx) {
            if (!pinged) {
                pinged = true;
                ping = Oneshot.channel();
                pong = Oneshot.channel();
                Tasks.spawn(ponger);
                if (!ping.sender().send(null)) {
                    throw new IllegalStateException("the ponger closed its ping receiver");
                }
            }
            if (pong.receiver().poll(cx).isPending()) {
                return Poll.pending();
            }
            done.countDown();
            return Poll.ready(null);
        }

        Poll<Void> pollPonger(Context cx) {
            if (ping.receiver().poll(cx).isPending()) {
                return Poll.pending();
            }
            if (!pong.sender().send(null)) {
                throw new IllegalStateException("the pinger closed its pong receiver");
            }
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
