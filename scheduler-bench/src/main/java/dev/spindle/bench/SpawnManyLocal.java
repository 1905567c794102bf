package dev.spindle.bench;

import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import org.openjdk.jmh.annotations.Benchmark;

import java.util.concurrent.ExecutorService;

/** Stresses local push, local-queue overflow and stealing: one task spawns 10,000 no-op tasks. */
public class SpawnManyLocal extends BenchmarkBase {
    static final int TASKS = 10_000;

    // One shared body per kind, so the allocation per operation is the executor's own.
    private final PollFuture<Void> child = cx -> {
        done.countDown();
        return Poll.ready(null);
    };
    private final PollFuture<Void> root = cx -> {
        for (int i = 0; i < TASKS; i++) {
            Tasks.spawn(child);
        }
        return Poll.ready(null);
    };
    private final Runnable childRunnable = done::countDown;
    private final Runnable rootRunnable = () -> {
        ExecutorService p = pool;
        for (int i = 0; i < TASKS; i++) {
            p.execute(childRunnable);
        }
    };

    @Benchmark
    @Override
    public void run() throws Exception {
        done.arm(TASKS);
        if (nativeTasks) {
            runtime.spawn(root);
        } else {
            pool.execute(rootRunnable);
        }
        awaitDone();
    }
}
