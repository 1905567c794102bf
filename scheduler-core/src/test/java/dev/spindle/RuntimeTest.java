package dev.spindle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.spindle.TestSupport.await;
import static dev.spindle.TestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/** The public API's behaviour: spawn, join, failures, abort, wakes, and bad input. */
class RuntimeTest extends RuntimeTestBase {
    @Test
    void spawnedFutureRunsAndJoins() {
        Spindle rt = runtime(2);
        JoinHandle<String> h = rt.spawn(cx -> Poll.ready("hello"));
        assertEquals("hello", rt.blockOn(h));
        assertTrue(h.isFinished());
        assertFalse(h.isCancelled());
        assertEquals("hello", await(h.toCompletableFuture(), "completable"));
    }

    @Test
    void nullOutputIsAValue() {
        Spindle rt = runtime(1);
        assertNull(rt.blockOn(rt.spawn(cx -> Poll.ready(null))));
    }

    @Test
    void executeRunsRunnable() {
        Spindle rt = runtime(2);
        CountDownLatch ran = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            rt.execute(ran::countDown);
        }
        await(ran, "1000 runnables");
    }

    @Test
    void tasksSpawnedInsideTasksRunOnTheSameRuntime() {
        Spindle rt = runtime(2);
        JoinHandle<Integer> outer = rt.spawn(new PollFuture<>() {
            JoinHandle<Integer> inner;

            @Override
            public Poll<Integer> poll(Context cx) {
                if (inner == null) {
                    assertSame(rt, Spindle.current());
                    inner = Tasks.spawn(c -> Poll.ready(41));
                }
                return inner.poll(cx).map(v -> v + 1);
            }
        });
        assertEquals(42, rt.blockOn(outer));
    }

    @Test
    void failureCompletesHandleWithTheSameInstanceAndWorkerLivesOn() throws Exception {
        Spindle rt = runtime(1);
        IllegalStateException boom = new IllegalStateException("boom");
        JoinHandle<Object> h = rt.spawn(cx -> {
            throw boom;
        });
        CompletableFuture<Object> cf = h.toCompletableFuture();
        ExecutionException ee = assertThrows(ExecutionException.class,
                () -> cf.get(TestSupport.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        assertSame(boom, ee.getCause());
        IllegalStateException viaPoll = assertThrows(IllegalStateException.class, () -> rt.blockOn(h));
        assertSame(boom, viaPoll);
        // The single worker survived.
        assertEquals(7, (int) rt.blockOn(rt.spawn(cx -> Poll.<Integer>ready(7))));
    }

    @Test
    void aCheckedFailureReachesBlockOnWrappedWithItsInstance() {
        Spindle rt = runtime(1);
        java.io.IOException io = new java.io.IOException("disk");
        JoinHandle<Object> h = rt.spawn(cx -> {
            throw sneaky(io);
        });
        CompletionException thrown = assertThrows(CompletionException.class, () -> rt.blockOn(h));
        assertSame(io, thrown.getCause(), "blockOn wraps a checked failure, keeping its instance");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void uncaughtHookSeesFailuresNobodyJoins() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch reported = new CountDownLatch(2);
        Spindle rt = RuntimeTestBase.quiet().workers(1).uncaughtExceptionHandler((t, e) -> {
            seen.set(e);
            reported.countDown();
        }).build();
        manage(rt);
        RuntimeException fromExecute = new RuntimeException("execute");
        rt.execute(() -> {
            throw fromExecute;
        });
        RuntimeException fromSpawn = new RuntimeException("spawn");
        rt.spawn(cx -> {
            throw fromSpawn;
        });
        await(reported, "two uncaught reports");
        assertSame(fromSpawn, seen.get());
        // A joined failure is not reported.
        AtomicInteger extra = new AtomicInteger();
        Spindle rt2 = manage(RuntimeTestBase.quiet().workers(1).uncaughtExceptionHandler((t, e) -> extra.incrementAndGet()).build());
        TestSupport.Parked<Void> gate = new TestSupport.Parked<>(null);
        JoinHandle<Object> joined = rt2.spawn(new PollFuture<>() {
            @Override
            public Poll<Object> poll(Context cx) {
                if (gate.poll(cx).isPending()) {
                    return Poll.pending();
                }
                throw new RuntimeException("joined");
            }
        });
        CompletableFuture<Object> cf = joined.toCompletableFuture();
        awaitTrue(gate::isWaiting, "task waiting");
        gate.release();
        assertThrows(ExecutionException.class, () -> cf.get());
        assertEquals(0, extra.get());
    }

    @Test
    void wakeDuringPollCausesExactlyOneMorePoll() {
        Spindle rt = runtime(2);
        AtomicInteger polls = new AtomicInteger();
        CountDownLatch secondPollSeen = new CountDownLatch(1);
        JoinHandle<Integer> h = rt.spawn(cx -> {
            int n = polls.incrementAndGet();
            if (n == 1) {
                // Three wakes while running: still one more poll, not three.
                cx.waker().wake();
                cx.waker().wake();
                cx.waker().wake();
                return Poll.pending();
            }
            secondPollSeen.countDown();
            return Poll.ready(n);
        });
        assertEquals(2, rt.blockOn(h));
        assertEquals(2, polls.get());
    }

    @Test
    void wakeFromAnotherThreadResumesTask() {
        Spindle rt = runtime(2);
        TestSupport.Parked<String> p = new TestSupport.Parked<>("done");
        JoinHandle<String> h = rt.spawn(p);
        awaitTrue(p::isWaiting, "task parked");
        assertFalse(h.isFinished());
        Thread waker = TestSupport.start("waker", p::release);
        assertEquals("done", rt.blockOn(h));
        TestSupport.join(waker);
        assertEquals(2, p.polls);
    }

    @Test
    void wakeAfterCompletionDoesNothing() {
        Spindle rt = runtime(1);
        AtomicReference<Waker> w = new AtomicReference<>();
        AtomicInteger polls = new AtomicInteger();
        JoinHandle<Integer> h = rt.spawn(cx -> {
            w.set(cx.waker());
            return Poll.ready(polls.incrementAndGet());
        });
        assertEquals(1, rt.blockOn(h));
        w.get().wake();
        w.get().wake();
        assertEquals(5, (int) rt.blockOn(rt.spawn(cx -> Poll.<Integer>ready(5))));
        assertEquals(1, polls.get(), "a completed task is never polled again");
    }

    @Test
    void willWakeComparesTasks() {
        Spindle rt = runtime(1);
        AtomicReference<Waker> first = new AtomicReference<>();
        AtomicReference<Boolean> same = new AtomicReference<>();
        AtomicReference<Boolean> other = new AtomicReference<>();
        JoinHandle<Void> a = rt.spawn(new PollFuture<>() {
            int polls;

            @Override
            public Poll<Void> poll(Context cx) {
                if (polls++ == 0) {
                    first.set(cx.waker());
                    cx.waker().wake();
                    return Poll.pending();
                }
                same.set(cx.waker().willWake(first.get()));
                return Poll.ready(null);
            }
        });
        rt.blockOn(a);
        rt.blockOn(rt.spawn(cx -> {
            other.set(cx.waker().willWake(first.get()));
            return Poll.ready(null);
        }));
        assertTrue(same.get(), "two polls of one task hand out wakers that wake the same task");
        assertFalse(other.get(), "another task's waker does not");
        assertFalse(first.get().willWake(Waker.noop()));
    }

    @Test
    void abortOfWaitingTaskCancelsItAndItIsNeverPolledAgain() {
        Spindle rt = runtime(2);
        TestSupport.Parked<String> p = new TestSupport.Parked<>("never");
        JoinHandle<String> h = rt.spawn(p);
        awaitTrue(p::isWaiting, "task parked");
        assertTrue(h.abort());
        assertFalse(h.abort(), "second abort is too late");
        assertThrows(CancellationException.class, () -> rt.blockOn(h));
        assertTrue(h.isCancelled());
        assertTrue(h.toCompletableFuture().isCancelled());
        p.release(); // a wake after cancellation does nothing
        assertEquals(1, (int) rt.blockOn(rt.spawn(cx -> Poll.<Integer>ready(1))));
        assertEquals(1, p.polls, "aborted task polled again");
    }

    @Test
    void abortDuringPollLetsThatPollFinishThenCancels() {
        Spindle rt = runtime(2);
        CountDownLatch inPoll = new CountDownLatch(1);
        CountDownLatch aborted = new CountDownLatch(1);
        AtomicInteger polls = new AtomicInteger();
        JoinHandle<String> h = rt.spawn(cx -> {
            polls.incrementAndGet();
            inPoll.countDown();
            await(aborted, "abort");
            cx.waker().wake(); // asks for another poll, which must not happen
            return Poll.pending();
        });
        await(inPoll, "first poll");
        assertTrue(h.abort());
        aborted.countDown();
        assertThrows(CancellationException.class, () -> rt.blockOn(h));
        assertEquals(1, polls.get());
    }

    @Test
    void abortOfFinishedTaskIsTooLate() {
        Spindle rt = runtime(1);
        JoinHandle<Integer> h = rt.spawn(cx -> Poll.ready(3));
        assertEquals(3, rt.blockOn(h));
        assertFalse(h.abort());
        assertFalse(h.isCancelled());
    }

    @Test
    void cancellingTheCompletableFutureAbortsTheTask() {
        Spindle rt = runtime(2);
        TestSupport.Parked<String> p = new TestSupport.Parked<>("x");
        JoinHandle<String> h = rt.spawn(p);
        awaitTrue(p::isWaiting, "task parked");
        assertTrue(h.toCompletableFuture().cancel(false));
        awaitTrue(h::isFinished, "task finished");
        assertTrue(h.isCancelled());
    }

    @Test
    void joinHandleAwaitedFromAnotherTask() {
        Spindle rt = runtime(2);
        TestSupport.Parked<Integer> p = new TestSupport.Parked<>(10);
        JoinHandle<Integer> inner = rt.spawn(p);
        JoinHandle<Integer> outer = rt.spawn(cx -> inner.poll(cx).map(v -> v * 2));
        awaitTrue(p::isWaiting, "inner parked");
        p.release();
        assertEquals(20, rt.blockOn(outer));
    }

    @Test
    void badInputFailsAtTheCall() {
        assertThrows(IllegalArgumentException.class, () -> Spindle.builder().workers(0));
        assertThrows(IllegalArgumentException.class, () -> Spindle.builder().workers(-3));
        assertThrows(IllegalArgumentException.class, () -> Spindle.builder().localQueueCapacity(1));
        Spindle rt = runtime(1);
        NullPointerException npe = assertThrows(NullPointerException.class, () -> rt.spawn(null));
        assertEquals("future", npe.getMessage());
        npe = assertThrows(NullPointerException.class, () -> rt.execute(null));
        assertEquals("command", npe.getMessage());
        npe = assertThrows(NullPointerException.class, () -> rt.blockOn(null));
        assertEquals("future", npe.getMessage());
        assertThrows(IllegalStateException.class, () -> Tasks.spawn(cx -> Poll.ready(1)),
                "spawn outside any runtime");
    }

    @Test
    void blockOnFromAWorkerThreadIsRefused() {
        Spindle rt = runtime(1);
        JoinHandle<Throwable> h = rt.spawn(cx -> {
            try {
                rt.blockOn(c -> Poll.ready(1));
                return Poll.ready(null);
            } catch (IllegalStateException e) {
                return Poll.ready(e);
            }
        });
        Throwable e = rt.blockOn(h);
        assertNotNull(e, "blockOn on a worker must throw");
        assertTrue(e.getMessage().contains("worker thread"), e.getMessage());
        JoinHandle<Throwable> c = rt.spawn(cx -> {
            try {
                rt.close();
                return Poll.ready(null);
            } catch (IllegalStateException ex) {
                return Poll.ready(ex);
            }
        });
        assertNotNull(rt.blockOn(c), "close on a worker must throw");
    }

    @Test
    void blockOnParksUntilWoken() {
        Spindle rt = runtime(1);
        TestSupport.Parked<String> p = new TestSupport.Parked<>("woken");
        Thread t = TestSupport.start("late-waker", () -> {
            awaitTrue(p::isWaiting, "blockOn parked");
            p.release();
        });
        assertEquals("woken", rt.blockOn(p));
        TestSupport.join(t);
    }

    @Test
    void rejectsAfterShutdownWithMessage() {
        Spindle rt = runtime(1);
        rt.shutdown();
        assertTrue(rt.isShutdown());
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> rt.execute(() -> { }));
        assertTrue(e.getMessage().contains("shut down"));
        assertThrows(RejectedExecutionException.class, () -> rt.spawn(cx -> Poll.ready(1)));
        TestSupport.awaitTermination(rt);
    }

    @Test
    void shutdownLetsAcceptedTasksFinish() {
        Spindle rt = runtime(2);
        TestSupport.Parked<String> p = new TestSupport.Parked<>("late");
        JoinHandle<String> h = rt.spawn(p);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            rt.execute(ran::incrementAndGet);
        }
        awaitTrue(p::isWaiting, "parked");
        rt.shutdown();
        assertFalse(rt.isTerminated(), "a waiting task keeps the runtime alive");
        p.release();
        TestSupport.awaitTermination(rt);
        assertEquals(1000, ran.get());
        assertEquals("late", await(h.toCompletableFuture(), "parked task"));
    }

    @Test
    void closeRunsQueuedWorkAndCancelsWaitingTasks() {
        Spindle rt = RuntimeTestBase.quiet().workers(2).build();
        List<TestSupport.Parked<Integer>> parked = new ArrayList<>();
        List<JoinHandle<Integer>> handles = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            TestSupport.Parked<Integer> p = new TestSupport.Parked<>(i);
            parked.add(p);
            handles.add(rt.spawn(p));
        }
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            rt.execute(ran::incrementAndGet);
        }
        for (TestSupport.Parked<Integer> p : parked) {
            awaitTrue(p::isWaiting, "parked");
        }
        TestSupport.closeWithin(rt);
        assertTrue(rt.isTerminated());
        assertEquals(1000, ran.get(), "queued runnables run before close returns");
        for (JoinHandle<Integer> h : handles) {
            assertTrue(h.isCancelled(), "a task still waiting at close is cancelled");
        }
        assertThrows(RejectedExecutionException.class, () -> rt.execute(() -> { }));
    }

    @Test
    void shutdownNowReturnsRunnablesThatNeverStarted() throws Exception {
        Spindle rt = RuntimeTestBase.quiet().workers(1).build();
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        rt.execute(() -> {
            blocking.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await(blocking, "blocker running");
        AtomicInteger ran = new AtomicInteger();
        List<Runnable> submitted = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Runnable r = ran::incrementAndGet;
            submitted.add(r);
            rt.execute(r);
        }
        List<Runnable> never = rt.shutdownNow();
        TestSupport.awaitTermination(rt);
        assertEquals(100, never.size() + ran.get());
        assertEquals(0, ran.get(), "the only worker was blocked, then interrupted");
        assertTrue(submitted.containsAll(never));
    }
}
