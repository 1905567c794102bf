package dev.spindle.bench;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import org.openjdk.jmh.annotations.Benchmark;

/** Stresses spawn latency and the LIFO slot: each task spawns the next, 1,000 deep. */
public class ChainedSpawn extends BenchmarkBase {
    static final int DEPTH = 1_000;

    /**
     * Spawns still to make in this chain. Only the link running now touches it, and it does so
     * before spawning the next link, so the spawn publishes it.
     */
    private int left;
    // One link object per kind, spawned again and again: the allocation shown is the executor's.
    private final NativeLink nativeLink = new NativeLink();
    private final RunnableLink runnableLink = new RunnableLink();

    @Benchmark
    @Override
    public void run() throws Exception {
        done.arm(1);
        left = DEPTH;
        if (nativeTasks) {
            runtime.spawn(nativeLink);
        } else {
            pool.execute(runnableLink);
        }
        awaitDone();
    }

    private final class NativeLink implements PollFuture<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            if (left > 0) {
                left--;
                Tasks.spawn(this);
            } else {
                done.countDown();
            }
            return Poll.ready(null);
        }
    }

    private final class RunnableLink implements Runnable {
        @Override
        public void run() {
            if (left > 0) {
                left--;
                pool.execute(this);
            } else {
                done.countDown();
            }
        }
    }
}
