package dev.spindle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.spindle.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@link java.util.concurrent.ExecutorService} contract as its javadoc states it, checked
 * on a Spindle the way the JSR-166 tests check the JDK's executors (these tests are our own,
 * written from the documented behaviour).
 */
class ExecutorServiceConformanceTest extends RuntimeTestBase {
    private final long timeoutMs = TestSupport.TIMEOUT.toMillis();

    @Test
    void submitCallableReturnsItsValue() throws Exception {
        Spindle rt = runtime(2);
        Future<String> f = rt.submit(() -> "value");
        assertEquals("value", f.get(timeoutMs, TimeUnit.MILLISECONDS));
        assertTrue(f.isDone());
        assertFalse(f.isCancelled());
    }

    @Test
    void submitRunnableCompletesWithNullOrTheGivenResult() throws Exception {
        Spindle rt = runtime(2);
        AtomicBoolean ran = new AtomicBoolean();
        assertNull(rt.submit(() -> ran.set(true)).get(timeoutMs, TimeUnit.MILLISECONDS));
        assertTrue(ran.get());
        assertEquals(7, rt.submit(() -> { }, 7).get(timeoutMs, TimeUnit.MILLISECONDS));
    }

    @Test
    void getThrowsExecutionExceptionWithTheTasksOwnException() {
        Spindle rt = runtime(2);
        IllegalStateException boom = new IllegalStateException("boom");
        Future<Object> f = rt.submit(() -> {
            throw boom;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(timeoutMs, TimeUnit.MILLISECONDS));
        assertSame(boom, e.getCause());
        Future<Object> checked = rt.submit((Callable<Object>) () -> {
            throw new java.io.IOException("io");
        });
        e = assertThrows(ExecutionException.class, () -> checked.get(timeoutMs, TimeUnit.MILLISECONDS));
        assertInstanceOf(java.io.IOException.class, e.getCause());
    }

    @Test
    void timedGetTimesOut() {
        Spindle rt = runtime(2);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> f = rt.submit(() -> {
            await(release, "release");
            return null;
        });
        assertThrows(TimeoutException.class, () -> f.get(10, TimeUnit.MILLISECONDS));
        release.countDown();
    }

    @Test
    void cancelWithInterruptInterruptsTheRunningTask() throws Exception {
        Spindle rt = runtime(2);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<?> f = rt.submit(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(); // blocks until interrupted
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        await(running, "task running");
        assertTrue(f.cancel(true));
        assertTrue(f.isCancelled());
        assertThrows(CancellationException.class, f::get);
        await(interrupted, "the running task to see the interrupt");
        // The worker went on: the interrupt did not leak into the next task.
        AtomicBoolean sawInterrupt = new AtomicBoolean(true);
        rt.submit(() -> sawInterrupt.set(Thread.currentThread().isInterrupted())).get(timeoutMs, TimeUnit.MILLISECONDS);
        assertFalse(sawInterrupt.get(), "an interrupt leaked into a later task");
    }

    @Test
    void cancelBeforeStartMeansItNeverRuns() throws Exception {
        Spindle rt = runtime(1);
        CountDownLatch blocker = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        rt.execute(() -> {
            running.countDown();
            await(blocker, "blocker");
        });
        await(running, "blocker running");
        AtomicBoolean ran = new AtomicBoolean();
        Future<?> f = rt.submit(() -> ran.set(true));
        assertTrue(f.cancel(false));
        blocker.countDown();
        rt.submit(() -> { }).get(timeoutMs, TimeUnit.MILLISECONDS);
        assertFalse(ran.get());
    }

    @Test
    void invokeAllReturnsEveryFutureDoneInOrder() throws Exception {
        Spindle rt = runtime(2);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int v = i;
            tasks.add(() -> v * v);
        }
        List<Future<Integer>> out = rt.invokeAll(tasks);
        assertEquals(100, out.size());
        for (int i = 0; i < 100; i++) {
            assertTrue(out.get(i).isDone());
            assertEquals(i * i, out.get(i).get());
        }
    }

    @Test
    void timedInvokeAllCancelsWhatIsNotDone() throws Exception {
        Spindle rt = runtime(2);
        CountDownLatch never = new CountDownLatch(1);
        List<Callable<String>> tasks = List.of(() -> "fast", () -> {
            never.await();
            return "slow";
        });
        List<Future<String>> out = rt.invokeAll(tasks, 50, TimeUnit.MILLISECONDS);
        assertEquals("fast", out.get(0).get());
        assertTrue(out.get(1).isCancelled(), "a task not done by the deadline is cancelled");
        never.countDown();
    }

    @Test
    void invokeAnyReturnsASuccessfulResultAndIgnoresFailures() throws Exception {
        Spindle rt = runtime(2);
        List<Callable<String>> tasks = List.of(() -> {
            throw new IllegalStateException("first fails");
        }, () -> "second");
        assertEquals("second", rt.invokeAny(tasks));
        assertEquals("second", rt.invokeAny(tasks, timeoutMs, TimeUnit.MILLISECONDS));
    }

    @Test
    void invokeAnyWithOnlyFailuresThrowsExecutionException() {
        Spindle rt = runtime(2);
        IllegalStateException boom = new IllegalStateException("all fail");
        List<Callable<String>> tasks = List.of(() -> {
            throw boom;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> rt.invokeAny(tasks));
        assertSame(boom, e.getCause());
    }

    @Test
    void timedInvokeAnyTimesOut() {
        Spindle rt = runtime(2);
        CountDownLatch never = new CountDownLatch(1);
        List<Callable<String>> tasks = List.of(() -> {
            never.await();
            return "late";
        });
        assertThrows(TimeoutException.class, () -> rt.invokeAny(tasks, 20, TimeUnit.MILLISECONDS));
        never.countDown();
    }

    @Test
    void invokeArgumentsAreChecked() {
        Spindle rt = runtime(1);
        assertThrows(NullPointerException.class, () -> rt.invokeAll(null));
        assertThrows(IllegalArgumentException.class, () -> rt.invokeAny(Collections.<Callable<String>>emptyList()));
        assertThrows(NullPointerException.class, () -> rt.submit((Callable<String>) null));
        assertThrows(NullPointerException.class, () -> rt.submit((Runnable) null));
    }

    @Test
    void shutdownRunsAcceptedTasksThenTerminates() throws Exception {
        Spindle rt = runtime(2);
        AtomicInteger ran = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            fs.add(rt.submit(ran::incrementAndGet));
        }
        rt.shutdown();
        assertTrue(rt.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> rt.submit(() -> 1));
        assertTrue(rt.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS));
        assertTrue(rt.isTerminated());
        assertEquals(10_000, ran.get());
        for (Future<?> f : fs) {
            assertTrue(f.isDone());
        }
        rt.shutdown(); // idempotent
        assertTrue(rt.isTerminated());
    }

    @Test
    void tasksRejectedAfterShutdownFromInsideATaskToo() throws Exception {
        Spindle rt = runtime(2);
        CountDownLatch shutDown = new CountDownLatch(1);
        Future<Throwable> f = rt.submit(() -> {
            await(shutDown, "shutdown");
            try {
                rt.execute(() -> { });
                return null;
            } catch (RejectedExecutionException e) {
                return e;
            }
        });
        rt.shutdown();
        shutDown.countDown();
        assertInstanceOf(RejectedExecutionException.class, f.get(timeoutMs, TimeUnit.MILLISECONDS));
    }

    @Test
    void awaitTerminationBeforeShutdownTimesOut() throws Exception {
        Spindle rt = runtime(1);
        assertFalse(rt.awaitTermination(5, TimeUnit.MILLISECONDS));
        assertFalse(rt.isTerminated());
        assertFalse(rt.isShutdown());
    }

    @Test
    void completableFutureAsyncChainsRunOnTheRuntime() throws Exception {
        Spindle rt = runtime(2);
        CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> 0, rt);
        for (int i = 0; i < 1_000; i++) {
            f = f.thenApplyAsync(v -> {
                assertTrue(Thread.currentThread().getName().startsWith("spindle-worker-"));
                return v + 1;
            }, rt);
        }
        assertEquals(1_000, f.get(timeoutMs, TimeUnit.MILLISECONDS));
    }
}
