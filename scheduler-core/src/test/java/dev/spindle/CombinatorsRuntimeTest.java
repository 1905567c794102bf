package dev.spindle;

import dev.spindle.future.Either;
import dev.spindle.future.Futures;
import dev.spindle.future.Pair;
import dev.spindle.sync.AtomicWaker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.spindle.TestSupport.await;
import static dev.spindle.TestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/** {@link Futures}' combinators run by a real runtime, over join handles and stage bridges. */
class CombinatorsRuntimeTest extends RuntimeTestBase {
    private final long timeoutMs = TestSupport.TIMEOUT.toMillis();

    @Test
    void aJoinOfTwoTasksHandlesWaitsForBoth() {
        Spindle rt = runtime(2);
        TestSupport.Parked<String> parked = new TestSupport.Parked<>("b");
        JoinHandle<Integer> h1 = rt.spawn(Futures.map(Futures.ready(20), x -> x + 1));
        JoinHandle<String> h2 = rt.spawn(parked);
        JoinHandle<Pair<Integer, String>> both = rt.spawn(Futures.join(h1, h2));
        awaitTrue(parked::isWaiting, "second task waiting");
        assertFalse(both.isFinished());
        parked.release();
        assertEquals(new Pair<>(21, "b"), await(both.toCompletableFuture(), "join"));

        assertEquals(new Pair<>(1, 2),
                rt.blockOn(Futures.join(rt.spawn(Futures.ready(1)), rt.spawn(Futures.ready(2)))));
    }

    @Test
    void joinAllOfManyTasksKeepsTheirOrder() {
        Spindle rt = runtime(4);
        int n = 1_000; // more handles than one poll's budget: the join needs several polls
        List<JoinHandle<Integer>> handles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int v = i;
            handles.add(rt.spawn(Futures.map(Tasks.yieldNow(), x -> v)));
        }
        List<Integer> values = rt.blockOn(Futures.joinAll(handles));
        for (int i = 0; i < n; i++) {
            assertEquals(i, values.get(i));
        }
    }

    @Test
    void aJoinFailsWithTheTasksExceptionAndCancelsTheStageItStillWaitedFor() {
        Spindle rt = runtime(2);
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        JoinHandle<Integer> failing = rt.spawn(cx -> { throw boom; });
        assertSame(boom, assertThrows(IllegalStateException.class,
                () -> rt.blockOn(Futures.join(Futures.fromStage(stage), failing))));
        assertTrue(stage.isCancelled(), "the unfinished stage bridge was dropped");
    }

    @Test
    void aHandleThatFinishesFirstWinsTheSelectAndTheStageIsCancelled() {
        Spindle rt = runtime(2);
        CompletableFuture<String> stage = new CompletableFuture<>();
        JoinHandle<Integer> h = rt.spawn(Futures.ready(7));
        awaitTrue(h::isFinished, "task finished");
        Either<String, Integer> e = rt.blockOn(Futures.select(Futures.fromStage(stage), h));
        assertTrue(e.isSecond());
        assertEquals(7, e.second());
        assertTrue(stage.isCancelled(), "the losing stage bridge was dropped");
    }

    @Test
    void aStageThatCompletesFirstWinsTheSelectAndTheTaskKeepsRunning() throws Exception {
        Spindle rt = runtime(2);
        CompletableFuture<String> stage = new CompletableFuture<>();
        TestSupport.Parked<Integer> parked = new TestSupport.Parked<>(9);
        JoinHandle<Integer> h = rt.spawn(parked);
        JoinHandle<Either<String, Integer>> sel = rt.spawn(Futures.select(Futures.fromStage(stage), h));
        awaitTrue(parked::isWaiting, "task waiting");
        stage.complete("stage");
        Either<String, Integer> e = await(sel.toCompletableFuture(), "select");
        assertTrue(e.isFirst());
        assertEquals("stage", e.first());
        // A dropped JoinHandle leaves its task running.
        assertFalse(h.isFinished());
        parked.release();
        assertEquals(9, h.toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS));
    }

    /** Counts the polls, ready answers and drops of the future it wraps, passing both on. */
    private static final class Watched<T> implements PollFuture<T> {
        final PollFuture<T> inner;
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger drops = new AtomicInteger();
        final AtomicInteger readies = new AtomicInteger();

        Watched(PollFuture<T> inner) {
            this.inner = inner;
        }

        @Override
        public Poll<T> poll(Context cx) {
            polls.incrementAndGet();
            Poll<T> p = inner.poll(cx);
            if (p.isReady()) {
                readies.incrementAndGet();
            }
            return p;
        }

        @Override
        public void drop() {
            drops.incrementAndGet();
            inner.drop();
        }
    }

    @Test
    void abortingATaskDropsEveryUnfinishedBranchOfItsSelectAndJoinOnce() {
        Spindle rt = runtime(2);
        CompletableFuture<Integer> s1 = new CompletableFuture<>();
        CompletableFuture<Integer> s2 = new CompletableFuture<>();
        CompletableFuture<Integer> s3 = new CompletableFuture<>();
        Watched<Integer> w1 = new Watched<>(Futures.fromStage(s1));
        Watched<Integer> w2 = new Watched<>(Futures.fromStage(s2));
        Watched<Integer> w3 = new Watched<>(Futures.fromStage(s3));
        JoinHandle<Either<Integer, List<Integer>>> h =
                rt.spawn(Futures.select(w1, Futures.joinAll(List.of(w2, w3))));
        awaitTrue(() -> w2.polls.get() == 1, "first poll");
        s2.complete(2); // w2 finishes inside the join, in this poll or after the wake
        awaitTrue(() -> w2.readies.get() == 1, "w2 ready");
        assertTrue(h.abort());
        awaitTrue(h::isCancelled, "task cancelled");
        assertEquals(1, w1.drops.get());
        assertEquals(0, w2.drops.get(), "a finished branch is never dropped");
        assertEquals(1, w3.drops.get());
        assertTrue(s1.isCancelled() && s3.isCancelled(), "unfinished stages cancelled by the drops");
    }

    @Test
    void andThenSpawnsAndAwaitsTheNextStepInsideTheRuntime() {
        Spindle rt = runtime(2);
        int r = rt.blockOn(Futures.andThen(rt.spawn(Futures.ready(2)),
                x -> Tasks.spawn(Futures.map(Tasks.yieldNow(), y -> x * 10))));
        assertEquals(20, r);
        assertEquals(5, rt.blockOn(Futures.race(List.of(Futures.fromStage(new CompletableFuture<Integer>()),
                Futures.map(Tasks.yieldNow(), y -> 5)))));
    }

    /**
     * Ready once it has been pinged {@code needed} times; waits as a resource does (registers its
     * waker, then checks). Records in {@code violation} a poll that overlaps another poll of it,
     * that comes after it finished or was dropped, or that hands it another waker than the first.
     * It registers a wrapper of that first waker which counts its wakes.
     */
    private static final class Pinged implements PollFuture<Integer> {
        final int index;
        final int needed;
        final AtomicReference<String> violation;
        final AtomicInteger pings = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger drops = new AtomicInteger();
        private final AtomicWaker waiter = new AtomicWaker();
        private final AtomicInteger inPoll = new AtomicInteger();
        private volatile boolean finished;
        private Waker given;
        final AtomicInteger wakes = new AtomicInteger();
        private final Waker counted = () -> {
            wakes.incrementAndGet();
            given.wake();
        };

        Pinged(int index, int needed, AtomicReference<String> violation) {
            this.index = index;
            this.needed = needed;
            this.violation = violation;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            if (inPoll.incrementAndGet() != 1 || finished || drops.get() != 0) {
                violation.compareAndSet(null, "child " + index + " polled concurrently, after it finished or dropped");
            }
            polls.incrementAndGet();
            if (given == null) {
                given = cx.waker();
            } else if (given != cx.waker()) {
                violation.compareAndSet(null, "child " + index + " was handed another waker");
            }
            waiter.register(counted);
            boolean ready = pings.get() >= needed;
            finished = ready;
            inPoll.decrementAndGet();
            return ready ? Poll.ready(index) : Poll.pending();
        }

        void ping() {
            pings.incrementAndGet();
            waiter.wake();
        }

        @Override
        public void drop() {
            drops.incrementAndGet();
        }
    }

    /** Two threads ping every child {@code times} times each, in a random order, then are joined. */
    private static void pingFromTwoThreads(List<Pinged> children, int times) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable pinger = () -> {
            try {
                List<Pinged> order = new ArrayList<>();
                for (int k = 0; k < times; k++) {
                    order.addAll(children);
                }
                java.util.Collections.shuffle(order, ThreadLocalRandom.current());
                for (Pinged c : order) {
                    c.ping();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread a = TestSupport.start("pinger-a", pinger);
        Thread b = TestSupport.start("pinger-b", pinger);
        TestSupport.join(a);
        TestSupport.join(b);
        if (failure.get() != null) {
            throw new AssertionError("a pinger failed", failure.get());
        }
    }

    /**
     * Bounded stress: children woken from two threads while workers poll the join or race. No
     * wake is lost (the combinator completes), no child is polled concurrently with itself or
     * after it finished or was dropped, each keeps one waker, and each is polled at most once
     * per wake of that waker, plus its first poll. (Wakes may outnumber pings: a register that
     * meets a wake in progress wakes its own waker, by AtomicWaker's design, and on a loaded
     * machine a pinger preempted inside a wake makes that happen on every poll for a while.)
     */
    @Test
    void wakesFromSeveralThreadsReachEveryChildOfAJoinAndARace() {
        Spindle rt = runtime(2);
        int n = 200;
        int times = 10;
        for (int round = 0; round < 10; round++) {
            AtomicReference<String> violation = new AtomicReference<>();
            List<Pinged> children = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                children.add(new Pinged(i, 2 * times, violation));
            }
            JoinHandle<List<Integer>> join = rt.spawn(Futures.joinAll(children));
            pingFromTwoThreads(children, times);
            List<Integer> values = await(join.toCompletableFuture(), "the join of pinged children");
            assertNull(violation.get());
            for (int i = 0; i < n; i++) {
                assertEquals(i, values.get(i));
                Pinged c = children.get(i);
                assertTrue(c.polls.get() <= 1 + c.wakes.get(),
                        "child " + i + " polled " + c.polls.get() + " times for " + c.wakes.get() + " wakes");
            }

            List<Pinged> racers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                racers.add(new Pinged(i, 2 * times, violation));
            }
            JoinHandle<Integer> race = rt.spawn(Futures.race(racers));
            pingFromTwoThreads(racers, times);
            int winner = await(race.toCompletableFuture(), "the race of pinged children");
            assertNull(violation.get());
            for (Pinged r : racers) {
                assertEquals(r.index == winner ? 0 : 1, r.drops.get(), "child " + r.index + "'s drops");
            }
        }
    }
}
