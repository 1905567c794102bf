package dev.spindle.bench;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import org.openjdk.jmh.annotations.Benchmark;

/** Stresses the yield path and FIFO rotation: 200 tasks, spawned from outside, yield 1,000 times each. */
public class YieldMany extends BenchmarkBase {
    static final int TASKS = 200;
    static final int YIELDS = 1_000;

    // Allocated once per trial and rearmed per operation, so the allocation shown is the executor's.
    private NativeYielder[] nativeYielders;
    private RunnableYielder[] runnableYielders;

    @Override
    protected void prepare() {
        nativeYielders = new NativeYielder[TASKS];
        runnableYielders = new RunnableYielder[TASKS];
        for (int i = 0; i < TASKS; i++) {
            nativeYielders[i] = new NativeYielder();
            runnableYielders[i] = new RunnableYielder();
        }
    }

    @Benchmark
    @Override
    public void run() throws Exception {
        done.arm(TASKS);
        if (nativeTasks) {
            for (NativeYielder y : nativeYielders) {
                y.left = YIELDS;
                runtime.spawn(y);
            }
        } else {
            for (RunnableYielder y : runnableYielders) {
                y.left = YIELDS;
                pool.execute(y);
            }
        }
        awaitDone();
    }

    /** Yields with {@link Tasks#yieldPending} until its yields are spent. */
    private final class NativeYielder implements PollFuture<Void> {
        int left;

        @Override
        public Poll<Void> poll(Context cx) {
            if (left > 0) {
                left--;
                return Tasks.yieldPending(cx);
            }
            done.countDown();
            return Poll.ready(null);
        }
    }

    /** Yields by submitting itself again until its yields are spent. */
    private final class RunnableYielder implements Runnable {
        int left;

        @Override
        public void run() {
            if (left > 0) {
                left--;
                pool.execute(this);
                return;
            }
            done.countDown();
        }
    }
}
