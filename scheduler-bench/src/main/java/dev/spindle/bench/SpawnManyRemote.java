package dev.spindle.bench;

import dev.spindle.Poll;
import dev.spindle.PollFuture;
import org.openjdk.jmh.annotations.Benchmark;

/** Stresses the injector and the waking of idle workers: an outside thread spawns 10,000 tasks. */
public class SpawnManyRemote extends BenchmarkBase {
    static final int TASKS = 10_000;

    // One shared body per kind, so the allocation per operation is the executor's own.
    private final PollFuture<Void> child = cx -> {
        done.countDown();
        return Poll.ready(null);
    };
    private final Runnable childRunnable = done::countDown;

    @Benchmark
    @Override
    public void run() throws Exception {
        done.arm(TASKS);
        if (nativeTasks) {
            for (int i = 0; i < TASKS; i++) {
                runtime.spawn(child);
            }
        } else {
            for (int i = 0; i < TASKS; i++) {
                pool.execute(childRunnable);
            }
        }
        awaitDone();
    }
}
