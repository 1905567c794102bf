package dev.spindle;

import dev.spindle.metrics.WorkerMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static dev.spindle.TestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Where a woken task runs: a wake made inside a task on a core worker queues the woken task on
 * that worker unless its home sleeps, so two tasks that wake each other stay on one core.
 */
class WakePlacementTest extends RuntimeTestBase {

    @Test
    void aTaskWokenFromAnotherWorkerWhileItsHomeIsBusyRunsOnTheWakersWorker() throws Exception {
        Spindle rt = runtime(2);
        // 1. The woken task goes pending once, on the worker that becomes its home.
        AtomicReference<Waker> waker = new AtomicReference<>();
        AtomicReference<Thread> home = new AtomicReference<>();
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        rt.spawn(cx -> {
            if (waker.get() == null) {
                home.set(Thread.currentThread());
                waker.set(cx.waker());
                return Poll.pending();
            }
            ranOn.complete(Thread.currentThread());
            return Poll.ready(null);
        });
        awaitTrue(() -> waker.get() != null, "the task to wake is pending");

        // 2. Its home is held in one poll that spins (busy, not asleep, nothing to compensate).
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch holding = new CountDownLatch(1);
        try {
            runOnceOn(rt, t -> t == home.get(), () -> {
                holding.countDown();
                while (!release.get()) {
                    Thread.onSpinWait();
                }
            }, () -> holding.getCount() == 0);

            // 3. A task on the other worker wakes it. Counted from inside that task: whatever
            // brought the task itself here (an injector take) is already in the counters.
            AtomicLong remoteOrStolenBefore = new AtomicLong(-1);
            AtomicReference<Thread> waking = new AtomicReference<>();
            runOnceOn(rt, t -> t != home.get(), () -> {
                remoteOrStolenBefore.set(remoteOrStolen(rt));
                waking.set(Thread.currentThread());
                waker.get().wake();
            }, () -> waking.get() != null);

            Thread ran = TestSupport.await(ranOn, "the woken task");
            assertSame(waking.get(), ran, "the woken task ran on the waker's worker, its home being busy");
            assertEquals(remoteOrStolenBefore.get(), remoteOrStolen(rt),
                    "it reached that worker through none of the inbox, the injector or a steal");
        } finally {
            release.set(true);
        }
    }

    /**
     * Spawns {@code body} from this thread until one copy runs on a thread that {@code where}
     * accepts (copies that land elsewhere end at once), and waits until {@code ran} holds.
     */
    private static void runOnceOn(Spindle rt, Predicate<Thread> where, Runnable body, BooleanSupplier ran) {
        awaitTrue(() -> {
            JoinHandle<Void> h = rt.spawn(cx -> {
                if (where.test(Thread.currentThread())) {
                    body.run();
                }
                return Poll.ready(null);
            });
            long deadline = System.nanoTime() + 50_000_000L;
            while (!ran.getAsBoolean() && !h.isFinished() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            return ran.getAsBoolean();
        }, "a task on the wanted worker");
    }

    private static long remoteOrStolen(Spindle rt) {
        List<WorkerMetrics> ws = rt.metrics().perWorker();
        long n = 0;
        for (WorkerMetrics w : ws) {
            n += w.remoteSchedules() + w.steals();
        }
        return n;
    }
}
