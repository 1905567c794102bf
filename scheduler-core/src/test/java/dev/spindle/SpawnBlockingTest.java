package dev.spindle;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.spindle.TestSupport.await;
import static dev.spindle.TestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/** {@link Spindle#spawnBlocking}: the elastic pool for blocking work, seen through the runtime. */
class SpawnBlockingTest extends RuntimeTestBase {
    private final long timeoutMs = TestSupport.TIMEOUT.toMillis();

    @Test
    void runsOnABlockingThreadAndReturnsItsValueOrItsOwnException() throws Exception {
        Spindle rt = runtime(2);
        JoinHandle<String> h = rt.spawnBlocking(() -> Thread.currentThread().getName());
        assertTrue(await(h.toCompletableFuture(), "name").startsWith("spindle-worker-blocking-"));
        java.io.IOException io = new java.io.IOException("io");
        JoinHandle<Object> failed = rt.spawnBlocking(() -> {
            throw io;
        });
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> failed.toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS));
        assertSame(io, e.getCause());
    }

    @Test
    void aTaskAwaitingBlockingWorkIsWokenAndCloseWaitsForIt() {
        Spindle rt = RuntimeTestBase.quiet().workers(2).build();
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Integer> blocking = rt.spawnBlocking(() -> {
            release.await();
            return 41;
        });
        JoinHandle<Integer> waiter = rt.spawn(new PollFuture<Integer>() {
            @Override
            public Poll<Integer> poll(Context cx) {
                Poll<Integer> p = blocking.poll(cx);
                return p.isReady() ? Poll.ready(p.value() + 1) : Poll.pending();
            }
        });
        // close() while every worker sleeps: the waiter must not be cancelled, the blocking
        // work can still wake it.
        Thread closer = TestSupport.start("closer", rt::close);
        awaitTrue(rt::isShutdown, "shut down");
        assertFalse(waiter.isFinished());
        release.countDown();
        TestSupport.join(closer);
        assertEquals(42, await(waiter.toCompletableFuture(), "waiter"));
        assertTrue(rt.isTerminated());
    }

    @Test
    void atMostMaxThreadsRunTheRestWaitsInLine() {
        Spindle rt = manage(RuntimeTestBase.quiet().workers(1).maxBlockingThreads(2).build());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<JoinHandle<Void>> hs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            hs.add(rt.spawnBlocking(() -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                release.await();
                running.decrementAndGet();
                return null;
            }));
        }
        awaitTrue(() -> running.get() == 2, "two running");
        awaitTrue(() -> rt.metrics().blockingQueueDepth() == 4, "four waiting");
        assertEquals(2, rt.metrics().blockingThreads());
        release.countDown();
        for (JoinHandle<Void> h : hs) {
            await(h.toCompletableFuture(), "blocking job");
        }
        assertEquals(2, maxRunning.get());
    }

    @Test
    void idleBlockingThreadsLeaveAfterTheKeepAlive() {
        Spindle rt = manage(RuntimeTestBase.quiet().workers(1).blockingKeepAlive(Duration.ofMillis(20)).build());
        await(rt.spawnBlocking(() -> 1).toCompletableFuture(), "job");
        awaitTrue(() -> rt.metrics().blockingThreads() == 0, "the idle thread left");
    }

    @Test
    void abortBeforeItStartsMeansItNeverRuns() {
        Spindle rt = manage(RuntimeTestBase.quiet().workers(1).maxBlockingThreads(1).build());
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Void> first = rt.spawnBlocking(() -> {
            release.await();
            return null;
        });
        AtomicBoolean ran = new AtomicBoolean();
        JoinHandle<Void> second = rt.spawnBlocking(() -> {
            ran.set(true);
            return null;
        });
        assertTrue(second.abort());
        release.countDown();
        await(first.toCompletableFuture(), "first");
        assertThrows(CancellationException.class, () -> second.toCompletableFuture().join());
        assertTrue(second.isCancelled());
        assertFalse(ran.get());
    }

    @Test
    void shutdownNowCancelsWaitingWorkAndInterruptsRunningWork() {
        Spindle rt = RuntimeTestBase.quiet().workers(1).maxBlockingThreads(1).build();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        JoinHandle<Void> running = rt.spawnBlocking(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(TestSupport.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return null;
        });
        JoinHandle<Void> waiting = rt.spawnBlocking(() -> null);
        await(started, "running");
        rt.shutdownNow();
        TestSupport.awaitTermination(rt);
        assertTrue(interrupted.get());
        assertTrue(running.isFinished() && !running.isCancelled());
        assertTrue(waiting.isCancelled());
        TestSupport.closeWithin(rt);
    }

    @Test
    void blockingCodeCanSpawnTasksAndBlockOnThem() {
        Spindle rt = runtime(2);
        JoinHandle<Integer> h = rt.spawnBlocking(() -> rt.blockOn(Tasks.spawn(cx -> Poll.ready(5))) + 1);
        assertEquals(6, await(h.toCompletableFuture(), "spawned from a blocking thread"));
        JoinHandle<Void> closing = rt.spawnBlocking(() -> {
            rt.close(); // would wait for its own thread
            return null;
        });
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> closing.toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void badInput() {
        Spindle rt = runtime(1);
        assertThrows(NullPointerException.class, () -> rt.spawnBlocking(null));
        assertThrows(IllegalArgumentException.class, () -> Spindle.builder().maxBlockingThreads(0));
        assertThrows(IllegalArgumentException.class, () -> Spindle.builder().blockingKeepAlive(Duration.ofSeconds(-1)));
        rt.shutdown();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> rt.spawnBlocking(() -> 1));
        assertNotNull(e.getMessage());
    }
}
