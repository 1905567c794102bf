package dev.spindle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.spindle.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Blocking inside tasks, as existing Future code does: {@code future.get()} and
 * {@code join()} on work queued behind the blocked task must not deadlock the runtime, and
 * {@link Tasks#blockInPlace} hands a worker's queue to others before it blocks.
 */
class BlockingInTasksTest extends RuntimeTestBase {
    private final long timeoutMs = TestSupport.TIMEOUT.toMillis();

    @Test
    void everyWorkerBlockedOnFutureGetOfWorkQueuedBehindIt() throws Exception {
        Spindle rt = runtime(2);
        int outers = 6; // more blocked tasks than workers
        CountDownLatch allBlocked = new CountDownLatch(2);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < outers; i++) {
            int id = i;
            results.add(rt.submit(() -> {
                // Submitted from a worker: queued on this very worker, behind this task.
                Future<Integer> inner = rt.submit(() -> id * 10);
                allBlocked.countDown();
                return inner.get() + 1;
            }));
        }
        for (int i = 0; i < outers; i++) {
            assertEquals(i * 10 + 1, results.get(i).get(timeoutMs, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * A worker blocked on a monitor lock ({@code synchronized}, thread state BLOCKED) is still
     * compensated for, though the monitor counts contention only once it lasts two ticks: the
     * task queued behind it runs while the lock stays held.
     */
    @Test
    void theOnlyWorkerBlockedOnAMonitorLockLetsTheTaskBehindItRun() throws Exception {
        Spindle rt = runtime(1);
        Object lock = new Object();
        CountDownLatch behindRan = new CountDownLatch(1);
        CountDownLatch contending = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        Future<?> blocked;
        synchronized (lock) {
            blocked = rt.submit(() -> {
                worker.set(Thread.currentThread());
                rt.execute(behindRan::countDown); // queued on this worker, behind this task
                contending.countDown();
                synchronized (lock) {
                    return null;
                }
            });
            TestSupport.await(contending, "the task about to take the lock");
            TestSupport.awaitTrue(() -> worker.get().getState() == Thread.State.BLOCKED, "the worker blocked on the lock");
            TestSupport.await(behindRan, "the task queued behind the blocked one");
            assertFalse(blocked.isDone(), "the lock is still held");
        }
        blocked.get(TestSupport.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS); // the blocked task, once the lock is free
    }

    @Test
    void completableFutureJoinInsideTasksWithNestedDependencies() {
        Spindle rt = runtime(2);
        int depth = 12; // each level blocks a thread on the next one
        CompletableFuture<Integer> top = CompletableFuture.supplyAsync(() -> nested(rt, depth), rt);
        assertEquals(depth, TestSupport.await(top, "nested joins"));
    }

    private static int nested(Spindle rt, int level) {
        if (level == 0) {
            return 0;
        }
        return CompletableFuture.supplyAsync(() -> nested(rt, level - 1), rt).join() + 1;
    }

    @Test
    void blockInPlaceOnTheOnlyWorkerLetsItsQueuedAndNewTasksRun() throws Exception {
        Spindle rt = runtime(1);
        int n = 50;
        CountDownLatch queued = new CountDownLatch(n);
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        Future<Thread> outer = rt.submit(() -> {
            for (int i = 0; i < n; i++) {
                rt.execute(() -> {
                    ranOn.add(Thread.currentThread());
                    queued.countDown();
                });
            }
            return Tasks.blockInPlace(() -> {
                queued.await(); // the tasks queued behind us, run by somebody else
                // Work started from inside the blocking section runs elsewhere too.
                CountDownLatch inner = new CountDownLatch(1);
                Tasks.spawn(cx -> {
                    inner.countDown();
                    return Poll.ready(null);
                });
                inner.await();
                return Thread.currentThread();
            });
        });
        Thread blocker = outer.get(timeoutMs, TimeUnit.MILLISECONDS);
        assertFalse(ranOn.contains(blocker), "queued tasks ran on the blocked thread");
    }

    /**
     * blockInPlace adds a thread only when fewer threads than configured workers would still
     * run: a worker blocking while as many others run leaves its queues to them, where a thread
     * per call used to pile up (200 threads in a CompletableFuture workload on 2 workers).
     */
    @Test
    void blockInPlaceAddsNoThreadWhileEnoughOthersRun() throws Exception {
        Spindle rt = runtime(1);
        CountDownLatch firstBlock = new CountDownLatch(1);
        CountDownLatch secondBlock = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean firstRunning = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean secondGo = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch secondBlocked = new CountDownLatch(1);
        try {
            rt.submit(() -> {
                Tasks.blockInPlace(() -> firstBlock.await(timeoutMs, TimeUnit.MILLISECONDS)); // the only worker: one extra
                firstRunning.set(true);
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
                return null;
            });
            TestSupport.awaitTrue(() -> rt.scheduler().extraWorkersStarted() == 1, "an extra for the only worker blocking in place");
            CountDownLatch secondStarted = new CountDownLatch(1);
            rt.submit(() -> { // on the extra
                secondStarted.countDown();
                while (!secondGo.get()) {
                    Thread.onSpinWait();
                }
                return Tasks.blockInPlace(() -> {
                    secondBlocked.countDown();
                    return secondBlock.await(timeoutMs, TimeUnit.MILLISECONDS);
                });
            });
            await(secondStarted, "second task running on the extra");
            firstBlock.countDown();
            TestSupport.awaitTrue(firstRunning::get, "the worker running again");
            secondGo.set(true); // blocks in place while the worker runs: as many run as configured
            await(secondBlocked, "second task blocked in place");
            assertEquals(1, rt.scheduler().extraWorkersStarted(), "threads added while enough others ran"); // (counted at the start)
        } finally {
            stop.set(true);
            firstBlock.countDown();
            secondBlock.countDown();
            secondGo.set(true);
        }
    }

    @Test
    void blockInPlacePassesValuesAndExceptionsThrough() throws Exception {
        assertEquals(3, Tasks.blockInPlace(() -> 3)); // outside a runtime: just runs
        java.io.IOException io = new java.io.IOException("io");
        assertSame(io, assertThrows(java.io.IOException.class, () -> Tasks.<Void, java.io.IOException>blockInPlace(() -> {
            throw io;
        })));
        Spindle rt = runtime(2);
        IllegalStateException boom = new IllegalStateException("boom");
        Future<Object> f = rt.submit(() -> Tasks.blockInPlace(() -> {
            throw boom;
        }));
        assertSame(boom, assertThrows(java.util.concurrent.ExecutionException.class,
                () -> f.get(timeoutMs, TimeUnit.MILLISECONDS)).getCause());
        // Nested sections and blockOn inside one are fine.
        assertEquals(7, rt.submit(() -> Tasks.blockInPlace(() -> Tasks.blockInPlace(
                () -> rt.blockOn(cx -> Poll.ready(7))))).get(timeoutMs, TimeUnit.MILLISECONDS));
        assertThrows(NullPointerException.class, () -> Tasks.blockInPlace((Tasks.Blocking<Object, RuntimeException>) null));
    }

    @Test
    void threadHooksRunOnEveryThreadTheRuntimeStarts() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger stopped = new AtomicInteger();
        Set<String> names = ConcurrentHashMap.newKeySet();
        Spindle rt = RuntimeTestBase.quiet().workers(2).threadNamePrefix("hooked-")
                .onThreadStart(() -> {
                    started.incrementAndGet();
                    names.add(Thread.currentThread().getName());
                })
                .onThreadStop(stopped::incrementAndGet)
                .build();
        // Both workers blocked on work behind them: an extra worker starts, with the hooks.
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            fs.add(rt.submit(() -> rt.submit(() -> 1).get()));
        }
        for (Future<Integer> f : fs) {
            assertEquals(1, f.get(timeoutMs, TimeUnit.MILLISECONDS));
        }
        TestSupport.closeWithin(rt);
        assertTrue(names.contains("hooked-0") && names.contains("hooked-1"), names.toString());
        assertTrue(started.get() >= 2);
        assertEquals(started.get(), stopped.get(), "every started thread stopped");
    }
}
