package dev.spindle;

import dev.spindle.metrics.StallReport;
import dev.spindle.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.spindle.TestSupport.await;
import static dev.spindle.TestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/** Stall detection on a manual clock: nothing here depends on how fast the machine is. */
class StallTest extends RuntimeTestBase {
    private final ManualClock clock = new ManualClock();
    private final ConcurrentLinkedQueue<StallReport> reports = new ConcurrentLinkedQueue<>();

    private Spindle stallRuntime(int workers) {
        return manage(RuntimeTestBase.quiet().workers(workers).clock(clock).stallThreshold(Duration.ofMillis(100))
                .onStall(reports::add).build());
    }

    /** A runnable that blocks until released, with a name the report must carry. */
    private static final class Stuck implements Runnable {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void run() {
            running.countDown();
            await(release, "release");
        }

        @Override
        public String toString() {
            return "the-stuck-task";
        }
    }

    /** Moves the manual clock in small steps, letting the monitor tick between them. */
    private void advanceUntil(Spindle rt, java.util.function.BooleanSupplier done, Duration limit) {
        Duration moved = Duration.ZERO;
        while (!done.getAsBoolean() && moved.compareTo(limit) < 0) {
            clock.advance(Duration.ofMillis(10));
            moved = moved.plusMillis(10);
            awaitMonitorTicks(rt);
        }
    }

    @Test
    void aStuckPollIsReportedOnceWithItsTaskAndStack() throws Exception {
        Spindle rt = stallRuntime(2);
        Stuck stuck = new Stuck();
        rt.execute(stuck);
        await(stuck.running, "stuck task running");
        advanceUntil(rt, () -> !reports.isEmpty(), Duration.ofSeconds(5));
        assertEquals(1, reports.size(), "one report");
        StallReport r = reports.peek();
        assertEquals("the-stuck-task", r.task());
        assertTrue(r.stalledFor().compareTo(Duration.ofMillis(100)) >= 0, "reported at " + r.stalledFor());
        // Within a few of the test's 10 ms clock steps (generous: a loaded machine may delay a tick).
        assertTrue(r.stalledFor().compareTo(Duration.ofMillis(500)) < 0, "reported late: " + r.stalledFor());
        assertTrue(r.threadName().startsWith("spindle-worker-"), r.threadName());
        assertTrue(Arrays.stream(r.stackTrace()).anyMatch(e -> e.getClassName().equals(Stuck.class.getName())),
                "the stack shows where the task is stuck");
        assertEquals(r.stackTrace().length, r.asThrowable().getStackTrace().length);
        assertEquals(1, rt.metrics().perWorker().get(r.worker()).stalls());
        // The same poll is never reported again, however long it lasts.
        clock.advance(Duration.ofSeconds(10));
        awaitMonitorTicks(rt);
        assertEquals(1, reports.size());
        stuck.release.countDown();
        // A new stuck poll on the same worker is a new stall.
        Stuck again = new Stuck();
        rt.execute(again);
        await(again.running, "second stuck task running");
        advanceUntil(rt, () -> reports.size() == 2, Duration.ofSeconds(5));
        assertEquals(2, reports.size());
        again.release.countDown();
    }

    @Test
    void aPollShorterThanTheThresholdIsNotReported() throws Exception {
        Spindle rt = stallRuntime(2);
        Stuck stuck = new Stuck();
        rt.execute(stuck);
        await(stuck.running, "stuck task running");
        // Real time passes (a system clock would report it), the runtime's clock barely moves.
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofMillis(10));
            awaitMonitorTicks(rt);
        }
        assertTrue(reports.isEmpty(), "reported before the threshold: " + reports);
        stuck.release.countDown();
    }

    @Test
    void busyPollsThatKeepFinishingAreNotStalls() throws Exception {
        Spindle rt = stallRuntime(1);
        AtomicBoolean stop = new AtomicBoolean();
        // A task that yields forever: many short polls, never one long one.
        JoinHandle<Void> h = rt.spawn(cx -> stop.get() ? Poll.ready(null) : Tasks.yieldPending(cx));
        advanceUntil(rt, () -> false, Duration.ofMillis(300));
        stop.set(true);
        await(h.toCompletableFuture(), "yielder");
        assertTrue(reports.isEmpty(), "reported: " + reports);
    }

    @Test
    void peersTakeTheWorkQueuedOnAStalledWorker() {
        Spindle rt = stallRuntime(2);
        int n = 100;
        CountDownLatch children = new CountDownLatch(n);
        Stuck stuck = new Stuck();
        rt.execute(() -> {
            for (int i = 0; i < n; i++) {
                rt.execute(children::countDown); // LIFO slot, then this worker's local queue
            }
            stuck.run(); // and never come back until every child ran elsewhere
        });
        await(children, "children run by the peer");
        stuck.release.countDown();
    }

    /**
     * A poll that waits for most of the threshold and runs again as it passes (a compensated
     * {@code get()} that returns just then) is not CPU-bound code: it is reported as running
     * only once it has run the threshold on its own.
     */
    @Test
    void aPollThatWaitedIsReportedAsRunningOnlyOnceItHasRunTheThreshold() throws Exception {
        Spindle rt = stallRuntime(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean running = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Thread> thread = new java.util.concurrent.atomic.AtomicReference<>();
        rt.execute(new Runnable() {
            @Override
            public void run() {
                thread.set(Thread.currentThread());
                await(release, "release");
                running.set(true);
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
            }

            @Override
            public String toString() {
                return "waits-then-runs";
            }
        });
        try {
            awaitTrue(() -> thread.get() != null && thread.get().getState() == Thread.State.TIMED_WAITING, "task waiting"); // (a bounded await)
            for (int i = 0; i < 9; i++) { // 90 ms waiting by the runtime's clock, seen on every tick
                clock.advance(Duration.ofMillis(10));
                awaitMonitorTicks(rt);
            }
            release.countDown();
            awaitTrue(running::get, "task running again");
            for (int i = 0; i < 3; i++) { // past the threshold in one poll, but 30 ms of it running
                clock.advance(Duration.ofMillis(10));
                awaitMonitorTicks(rt);
            }
            assertTrue(reports.isEmpty(), "a wait that just ended read as CPU-bound code: " + reports);
            advanceUntil(rt, () -> !reports.isEmpty(), Duration.ofSeconds(5));
            assertEquals(1, reports.size(), "one report");
            StallReport r = reports.peek();
            assertEquals("waits-then-runs", r.task());
            assertFalse(r.blocked(), "reported as running");
            // The whole poll, its 80-90 ms of waiting included (the first tick may see it 10 ms late).
            assertTrue(r.stalledFor().compareTo(Duration.ofMillis(180)) >= 0, "the whole poll: " + r.stalledFor());
        } finally {
            stop.set(true);
            release.countDown();
        }
    }

    @Test
    void badInput() {
        SpindleBuilder b = Spindle.builder();
        assertThrows(NullPointerException.class, () -> b.stallThreshold(null));
        assertThrows(IllegalArgumentException.class, () -> b.stallThreshold(Duration.ofNanos(999_999)));
        assertThrows(NullPointerException.class, () -> b.onStall(null));
        assertThrows(NullPointerException.class, () -> b.clock(null));
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofMillis(-1)));
    }
}
