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

    /** A task that waits forever, woken now and then: it notes each poll and the thread it ran on. */
    private static final class Waiter implements PollFuture<Void> {
        final java.util.concurrent.atomic.AtomicReference<Waker> waker = new java.util.concurrent.atomic.AtomicReference<>();
        final Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final AtomicInteger polls = new AtomicInteger();

        @Override
        public Poll<Void> poll(Context cx) {
            threads.add(Thread.currentThread().getName());
            waker.set(cx.waker());
            polls.incrementAndGet();
            return Poll.pending();
        }

        void wake() {
            waker.get().wake();
        }
    }

    /**
     * Tasks that move between workers while they wait (each wake comes from a task on a worker,
     * which takes the woken task along) are cancelled by close all the same: each worker's idle
     * log lists the tasks whose home it is, and a task whose home moved is listed by its new one.
     * A task no log lists keeps close waiting for it (a run without the listing on a move timed
     * out here: the old log dropped the task at a compaction).
     */
    @Test
    void closeCancelsEveryWaitingTaskWhereverItLastWaited() {
        Spindle rt = RuntimeTestBase.quiet().workers(2).build();
        int n = 2_000;
        Waiter[] waiters = new Waiter[n];
        List<JoinHandle<Void>> handles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waiters[i] = new Waiter();
            handles.add(rt.spawn(waiters[i]));
        }
        for (int round = 1; round <= 6; round++) {
            int polled = round;
            TestSupport.awaitTrue(() -> java.util.Arrays.stream(waiters).allMatch(w -> w.polls.get() == polled),
                    "every task waiting after poll " + round);
            // 40 waking tasks, each for 50 waiting ones: whichever worker runs a waking task takes those along.
            List<JoinHandle<Void>> wakers = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                int from = k * 50;
                wakers.add(rt.spawn(cx -> {
                    for (int i = from; i < from + 50; i++) {
                        waiters[i].wake();
                    }
                    return Poll.ready(null);
                }));
            }
            for (JoinHandle<Void> w : wakers) {
                rt.blockOn(w);
            }
        }
        TestSupport.awaitTrue(() -> java.util.Arrays.stream(waiters).allMatch(w -> w.polls.get() == 7),
                "every task waiting after its last poll");
        long moved = java.util.Arrays.stream(waiters).filter(w -> w.threads.size() > 1).count();
        assertTrue(moved > 0, "no task moved between workers: the test tests nothing");
        // Then many short waits on both workers: the logs fill up and compact, which drops what
        // a log lists but no longer has its home there.
        Waiter[] brief = new Waiter[20_000];
        List<JoinHandle<Void>> briefHandles = new ArrayList<>();
        for (int i = 0; i < brief.length; i++) {
            brief[i] = new Waiter();
            briefHandles.add(rt.spawn(brief[i]));
        }
        TestSupport.awaitTrue(() -> java.util.Arrays.stream(brief).allMatch(w -> w.polls.get() == 1), "brief waits");
        for (Waiter w : brief) {
            w.wake();
        }
        TestSupport.awaitTrue(() -> java.util.Arrays.stream(brief).allMatch(w -> w.polls.get() == 2), "brief waits woken");
        TestSupport.closeWithin(rt);
        for (int i = 0; i < n; i++) {
            assertTrue(handles.get(i).isCancelled(), "waiting task " + i + " (polled on " + waiters[i].threads
                    + ") was not cancelled by close: no idle log listed it");
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
