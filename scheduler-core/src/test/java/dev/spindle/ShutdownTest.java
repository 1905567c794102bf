package dev.spindle;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.spindle.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

/** Shutdown races: close with waiting tasks, shutdownNow under load, hostile wakers. */
class ShutdownTest {

    /**
     * A waiting task whose home is the last worker to fall asleep: that worker aborts the task
     * into its own LIFO slot while going to sleep, and must notice it instead of parking.
     */
    @RepeatedTest(5)
    void closeCancelsTheOnlyWaitingTaskWhileWorkersWereBusy() {
        for (int workers : new int[] {1, 2}) {
            Spindle rt = RuntimeTestBase.quiet().workers(workers).build();
            java.util.concurrent.atomic.AtomicBoolean waiting = new java.util.concurrent.atomic.AtomicBoolean();
            JoinHandle<Object> forever = rt.spawn(cx -> {
                waiting.set(true);
                return Poll.pending();
            });
            TestSupport.awaitTrue(waiting::get, "task waiting");
            CountDownLatch busy = new CountDownLatch(workers);
            CountDownLatch release = new CountDownLatch(1);
            for (int k = 0; k < workers; k++) {
                rt.execute(() -> {
                    busy.countDown();
                    await(release, "release");
                });
            }
            await(busy, "workers busy");
            Thread releaser = TestSupport.start("releaser", () -> {
                // Let close() start while every worker is still busy.
                TestSupport.awaitTrue(rt::isShutdown, "close started");
                release.countDown();
            });
            TestSupport.closeWithin(rt);
            TestSupport.join(releaser);
            assertTrue(forever.isCancelled());
        }
    }

    /**
     * shutdownNow while 4 threads submit: every accepted runnable either ran or was returned,
     * never both, and none ran after being returned.
     */
    @RepeatedTest(3)
    void shutdownNowUnderLoadAccountsForEveryAcceptedRunnable() {
        Spindle rt = RuntimeTestBase.quiet().workers(2).build();
        int perThread = 25_000;
        AtomicInteger accepted = new AtomicInteger();
        List<Tracked> all = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch halfway = new CountDownLatch(4);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(TestSupport.start("submitter-" + t, () -> {
                for (int i = 0; i < perThread; i++) {
                    if (i == perThread / 2) {
                        halfway.countDown();
                    }
                    Tracked r = new Tracked();
                    try {
                        rt.execute(r);
                        accepted.incrementAndGet();
                        all.add(r);
                    } catch (RejectedExecutionException e) {
                        return;
                    }
                }
            }));
        }
        await(halfway, "submitters halfway");
        List<Runnable> returned = rt.shutdownNow();
        for (Thread t : threads) {
            TestSupport.join(t);
        }
        TestSupport.awaitTermination(rt);
        Set<Runnable> returnedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        returnedSet.addAll(returned);
        assertEquals(returned.size(), returnedSet.size(), "a runnable returned twice");
        int ran = 0;
        for (Tracked r : all) {
            int runs = r.runs.get();
            assertTrue(runs <= 1, "ran twice");
            if (returnedSet.contains(r)) {
                assertEquals(0, runs, "a returned runnable ran");
            } else {
                assertEquals(1, runs, "an accepted runnable neither ran nor was returned");
                ran++;
            }
        }
        assertEquals(accepted.get(), ran + returned.size());
    }

    static final class Tracked implements Runnable {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public void run() {
            runs.incrementAndGet();
        }
    }

    @Test
    void aThrowingJoinWakerDoesNotKillTheWorker() {
        try (Spindle rt = RuntimeTestBase.quiet().workers(1).build()) {
            TestSupport.Parked<Integer> p = new TestSupport.Parked<>(1);
            JoinHandle<Integer> h = rt.spawn(p);
            Waker hostile = () -> {
                throw new IllegalStateException("hostile waker");
            };
            assertTrue(h.poll(Context.of(hostile, 1)).isPending());
            TestSupport.awaitTrue(p::isWaiting, "parked");
            p.release();
            TestSupport.awaitTrue(h::isFinished, "finished");
            assertEquals(2, (int) rt.blockOn(rt.spawn(cx -> Poll.<Integer>ready(2))), "worker alive");
        }
    }

    @Test
    void awaitTerminationTimesOutWhileATaskWaits() throws Exception {
        Spindle rt = RuntimeTestBase.quiet().workers(1).build();
        TestSupport.Parked<Integer> p = new TestSupport.Parked<>(1);
        rt.spawn(p);
        TestSupport.awaitTrue(p::isWaiting, "parked");
        rt.shutdown();
        assertFalse(rt.awaitTermination(20, java.util.concurrent.TimeUnit.MILLISECONDS));
        assertFalse(rt.isTerminated());
        p.release();
        TestSupport.awaitTermination(rt);
    }
}
