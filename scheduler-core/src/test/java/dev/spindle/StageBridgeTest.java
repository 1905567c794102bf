package dev.spindle;

import dev.spindle.future.Futures;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.spindle.TestSupport.await;
import static dev.spindle.TestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/** {@link Futures#fromStage}: a CompletionStage awaited by a task, cancellation both ways. */
class StageBridgeTest extends RuntimeTestBase {
    private final long timeoutMs = TestSupport.TIMEOUT.toMillis();

    /** Counts the polls of the future it wraps, and passes drop on as a wrapper must. */
    private static <T> PollFuture<T> counting(PollFuture<T> f, AtomicInteger polls) {
        return new PollFuture<T>() {
            @Override
            public Poll<T> poll(Context cx) {
                polls.incrementAndGet();
                return f.poll(cx);
            }

            @Override
            public void drop() {
                f.drop();
            }
        };
    }

    @Test
    void aTaskWakesWhenTheStageCompletesAndIsNotPolledMeanwhile() throws Exception {
        Spindle rt = runtime(2);
        CompletableFuture<String> stage = new CompletableFuture<>();
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger pending = new AtomicInteger();
        PollFuture<String> counted = counting(Futures.fromStage(stage), polls);
        JoinHandle<String> h = rt.spawn(cx -> {
            Poll<String> p = counted.poll(cx);
            if (!p.isReady()) {
                pending.incrementAndGet();
            }
            return p;
        });
        // Until the first poll has returned: a poll still running when the stage completes would
        // find it complete and be the only one.
        awaitTrue(() -> pending.get() == 1, "first poll returned pending");
        for (int i = 0; i < 100; i++) { // both workers run other tasks meanwhile
            rt.submit(() -> { }).get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        assertEquals(1, polls.get(), "a pending stage must not be polled again until it completes");
        stage.complete("done");
        assertEquals("done", h.toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS));
        assertEquals(2, polls.get());
    }

    @Test
    void aCompletedStageIsReadyOnTheFirstPoll() {
        Spindle rt = runtime(1);
        AtomicInteger polls = new AtomicInteger();
        assertEquals(5, rt.blockOn(counting(Futures.fromStage(CompletableFuture.completedFuture(5)), polls)));
        assertEquals(1, polls.get());
    }

    @Test
    void aFailedStageFailsTheTaskWithTheSameExceptionInstance() {
        Spindle rt = runtime(2);
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        JoinHandle<Integer> direct = rt.spawn(Futures.fromStage(stage));
        // A dependent stage wraps the failure in CompletionException: the bridge unwraps it.
        JoinHandle<Integer> dependent = rt.spawn(Futures.fromStage(stage.thenApply(x -> x + 1)));
        stage.completeExceptionally(boom);
        for (JoinHandle<Integer> h : java.util.List.of(direct, dependent)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> h.toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS));
            assertSame(boom, e.getCause());
            assertFalse(h.isCancelled());
        }
        assertSame(boom, assertThrows(IllegalStateException.class, () -> rt.blockOn(Futures.fromStage(stage))));
    }

    @Test
    void aCancelledStageCancelsTheTask() throws Exception {
        Spindle rt = runtime(2);
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        JoinHandle<Integer> h = rt.spawn(Futures.fromStage(stage));
        JoinHandle<Integer> dependent = rt.spawn(Futures.fromStage(stage.thenApply(x -> x)));
        CompletableFuture<Integer> hf = h.toCompletableFuture();
        stage.cancel(false);
        assertThrows(CancellationException.class, () -> hf.get(timeoutMs, TimeUnit.MILLISECONDS));
        assertTrue(h.isCancelled());
        assertTrue(hf.isCancelled());
        awaitTrue(dependent::isFinished, "dependent task finished");
        assertTrue(dependent.isCancelled());
        // The task that awaited it sees the cancellation as an exception it may catch.
        assertThrows(CancellationException.class, () -> rt.blockOn(Futures.fromStage(stage)));
    }

    @Test
    void abortingTheTaskCancelsTheStage() {
        Spindle rt = runtime(2);
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        AtomicInteger polls = new AtomicInteger();
        JoinHandle<Integer> h = rt.spawn(counting(Futures.fromStage(stage), polls));
        awaitTrue(() -> polls.get() == 1, "first poll");
        assertTrue(h.abort());
        awaitTrue(stage::isCancelled, "stage cancelled by the abort");
        awaitTrue(h::isCancelled, "task cancelled");
        // Completing the stage afterwards is harmless: the task is gone.
        assertFalse(stage.complete(1));
    }

    @Test
    void cancellingTheTasksCompletableFutureReachesTheStage() {
        Spindle rt = runtime(2);
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        JoinHandle<Integer> h = rt.spawn(Futures.fromStage(stage));
        assertTrue(h.toCompletableFuture().cancel(true));
        awaitTrue(stage::isCancelled, "stage cancelled through the task's future");
    }

    @Test
    void closeCancelsAStageNobodyWillComplete() {
        Spindle rt = RuntimeTestBase.quiet().workers(2).build();
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        AtomicInteger polls = new AtomicInteger();
        JoinHandle<Integer> h = rt.spawn(counting(Futures.fromStage(stage), polls));
        awaitTrue(() -> polls.get() == 1, "first poll");
        TestSupport.closeWithin(rt);
        assertTrue(h.isCancelled());
        assertTrue(stage.isCancelled());
    }

    @Test
    void stagesCompletedFromManyThreadsWakeEveryTask() {
        Spindle rt = runtime(2);
        int n = 2_000;
        java.util.List<CompletableFuture<Integer>> stages = new java.util.ArrayList<>();
        java.util.List<JoinHandle<Integer>> handles = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<Integer> s = new CompletableFuture<>();
            stages.add(s);
            handles.add(rt.spawn(Futures.fromStage(s)));
        }
        Thread a = TestSupport.start("completer-even", () -> { for (int i = 0; i < n; i += 2) stages.get(i).complete(i); });
        Thread b = TestSupport.start("completer-odd", () -> { for (int i = 1; i < n; i += 2) stages.get(i).complete(i); });
        TestSupport.join(a);
        TestSupport.join(b);
        for (int i = 0; i < n; i++) {
            assertEquals(i, await(handles.get(i).toCompletableFuture(), "task " + i));
        }
    }

    /** A future that is pending forever and counts its drops. */
    private static final class Dropped implements PollFuture<Integer> {
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger drops = new AtomicInteger();
        final boolean finish;

        Dropped(boolean finish) {
            this.finish = finish;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            polls.incrementAndGet();
            cx.waker(); // escapes: the task waits for a wake that never comes
            return finish ? Poll.ready(1) : Poll.pending();
        }

        @Override
        public void drop() {
            drops.incrementAndGet();
        }
    }

    @Test
    void dropIsCalledOnceForACancelledTaskAndNeverForAFinishedOne() {
        Spindle rt = runtime(2);
        Dropped waiting = new Dropped(false);
        Dropped finishing = new Dropped(true);
        JoinHandle<Integer> w = rt.spawn(waiting);
        JoinHandle<Integer> f = rt.spawn(finishing);
        assertEquals(1, await(f.toCompletableFuture(), "finishing task"));
        awaitTrue(() -> waiting.polls.get() == 1, "first poll");
        w.abort();
        w.abort();
        awaitTrue(w::isCancelled, "cancelled");
        assertEquals(1, waiting.drops.get());
        assertEquals(0, finishing.drops.get());
        // Cancelled at shutdownNow, from a queue or from waiting: dropped once each.
        Spindle other = RuntimeTestBase.quiet().workers(1).build();
        Dropped idle = new Dropped(false);
        other.spawn(idle);
        awaitTrue(() -> idle.polls.get() == 1, "first poll");
        other.shutdownNow();
        TestSupport.awaitTermination(other);
        assertEquals(1, idle.drops.get());
    }

    @Test
    void badInput() {
        assertThrows(NullPointerException.class, () -> Futures.fromStage(null));
    }
}
