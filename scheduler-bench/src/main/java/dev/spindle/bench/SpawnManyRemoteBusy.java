package dev.spindle.bench;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Stresses injector fairness: an outside thread spawns 10,000 tasks while 2 × workers busy
 * tasks loop a 10 µs spin and a yield, so remote tasks compete with local work that never runs
 * out.
 *
 * <p>The busy tasks start first and stop once all 10,000 spawned tasks have run; the operation
 * ends when they have stopped too. A scheduler that runs its local work dry before it looks at
 * outside submissions would never get there: ForkJoinPool's workers keep popping the busy
 * tasks they resubmit. So each busy task also gives up after {@value #MAX_ROUNDS} rounds
 * (about 10 ms of spinning), and such starvation shows as time rather than a hang. On the
 * serial floor each busy task spins once before the spawned tasks run (they queue behind it),
 * then sees them done.
 */
public class SpawnManyRemoteBusy extends BenchmarkBase {
    static final int TASKS = 10_000;
    static final long SPIN_NANOS = 10_000;
    static final int MAX_ROUNDS = 1_000;

    private int busyTasks;
    private NativeBusy[] nativeBusy;
    private RunnableBusy[] runnableBusy;

    // One shared body per kind, so the allocation per operation is the executor's own.
    private final PollFuture<Void> child = cx -> {
        done.countDown();
        return Poll.ready(null);
    };
    private final Runnable childRunnable = done::countDown;
    /** Counted down by each busy task as it stops; awaited after {@link #done}. */
    private final Countdown busyStopped = new Countdown();

    @Override
    protected void prepare() {
        busyTasks = 2 * threads;
        nativeBusy = new NativeBusy[busyTasks];
        runnableBusy = new RunnableBusy[busyTasks];
        for (int i = 0; i < busyTasks; i++) {
            nativeBusy[i] = new NativeBusy();
            runnableBusy[i] = new RunnableBusy();
        }
    }

    @Benchmark
    @Override
    public void run() throws Exception {
        done.arm(TASKS);
        busyStopped.arm(busyTasks);
        if (nativeTasks) {
            for (NativeBusy b : nativeBusy) {
                b.rounds = 0;
                runtime.spawn(b);
            }
            for (int i = 0; i < TASKS; i++) {
                runtime.spawn(child);
            }
        } else {
            for (RunnableBusy b : runnableBusy) {
                b.rounds = 0;
                pool.execute(b);
            }
            for (int i = 0; i < TASKS; i++) {
                pool.execute(childRunnable);
            }
        }
        awaitDone();
        busyStopped.await(opTimeoutNanos);
    }

    /** True when a busy task that has run {@code rounds} rounds should stop. */
    private boolean busyMayStop(int rounds) {
        return done.remaining() == 0 || rounds >= MAX_ROUNDS;
    }

    private static void spin() {
        long end = System.nanoTime() + SPIN_NANOS;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /** Spins and yields with {@link Tasks#yieldPending} until the spawned tasks have all run. */
    private final class NativeBusy implements PollFuture<Void> {
        /** Rounds spun this operation; only this task touches it while it runs. */
        int rounds;

        @Override
        public Poll<Void> poll(Context cx) {
            if (busyMayStop(rounds++)) {
                busyStopped.countDown();
                return Poll.ready(null);
            }
            spin();
            return Tasks.yieldPending(cx);
        }
    }

    /** Spins and resubmits itself until the spawned tasks have all run. */
    private final class RunnableBusy implements Runnable {
        /** Rounds spun this operation; only this task touches it while it runs. */
        int rounds;

        @Override
        public void run() {
            if (busyMayStop(rounds++)) {
                busyStopped.countDown();
                return;
            }
            spin();
            pool.execute(this);
        }
    }
}
