package dev.spindle;

import dev.spindle.metrics.RuntimeMetrics;
import dev.spindle.metrics.WorkerMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

import static dev.spindle.TestSupport.await;
import static dev.spindle.TestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/** {@link Spindle#metrics()}: each counter moves when, and only as far as, its event happens. */
class MetricsTest extends RuntimeTestBase {

    private static long sum(RuntimeMetrics m, ToLongFunction<WorkerMetrics> f) {
        return m.perWorker().stream().mapToLong(f).sum();
    }

    /** One task submitted from outside executes {@code n} children; returns worker 0's metrics once they ran. */
    private static WorkerMetrics runChildrenOfOneTask(Spindle rt, int n) {
        CountDownLatch done = new CountDownLatch(n);
        rt.execute(() -> {
            for (int i = 0; i < n; i++) {
                rt.execute(done::countDown);
            }
        });
        await(done, "children");
        return rt.metrics().perWorker().get(0);
    }

    @Test
    void aFreshRuntimeHasCountedNothing() {
        Spindle rt = runtime(2);
        RuntimeMetrics m = rt.metrics();
        assertEquals(2, m.workers());
        assertEquals(2, m.perWorker().size());
        assertEquals(0, m.aliveTasks());
        assertEquals(0, m.injectorDepth());
        assertEquals(0, m.totalPolls());
        assertEquals(0, sum(m, WorkerMetrics::localSchedules) + sum(m, WorkerMetrics::remoteSchedules));
        assertEquals(List.of(0, 1), m.perWorker().stream().map(WorkerMetrics::index).toList());
        assertThrows(UnsupportedOperationException.class, () -> m.perWorker().clear());
    }

    @Test
    void spawnsFromInsideAreLocalAndFromOutsideRemote() {
        // A queue big enough for every child: nothing overflows to the injector and comes back.
        Spindle rt = manage(RuntimeTestBase.quiet().workers(1).localQueueCapacity(2048).build());
        int n = 1_000;
        runChildrenOfOneTask(rt, n);
        awaitTrue(() -> rt.metrics().totalPolls() == n + 1, "every poll counted");
        WorkerMetrics w = rt.metrics().perWorker().get(0);
        assertEquals(n, w.localSchedules(), "one local schedule per spawn from inside");
        assertEquals(1, w.remoteSchedules(), "the one task submitted from outside");
        CountDownLatch outside = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            rt.execute(outside::countDown);
        }
        await(outside, "outside tasks");
        awaitTrue(() -> rt.metrics().perWorker().get(0).remoteSchedules() == 101, "remote schedules");
        assertEquals(0, rt.metrics().perWorker().get(0).steals(), "a lone worker steals from nobody");
        assertEquals(0, rt.metrics().perWorker().get(0).overflows());
    }

    @Test
    void overflowsGoThroughTheInjector() {
        Spindle rt = manage(RuntimeTestBase.quiet().workers(1).localQueueCapacity(4).build());
        WorkerMetrics w = runChildrenOfOneTask(rt, 100);
        assertTrue(w.overflows() > 0, w.toString());
        assertTrue(w.remoteSchedules() > 1, "overflowed tasks come back from the injector: " + w);
    }

    @Test
    void byDefaultAWorkerKeepsThousandsOfItsOwnTasks() {
        // 256 on the spawn stack, the rest in the local queue (4096 by default): no overflow. With
        // the old default of 256 for both, every 256 tasks beyond the stack sent half the queue to
        // the injector and back.
        Spindle rt = manage(RuntimeTestBase.quiet().workers(1).build());
        WorkerMetrics w = runChildrenOfOneTask(rt, 3_000);
        assertEquals(0, w.overflows(), w.toString());
        assertEquals(1, w.remoteSchedules(), "only the task from outside came from the injector: " + w);
    }

    @Test
    void budgetForcedYieldsAndWakeUpsAreCounted() {
        Spindle rt = manage(quiet().workers(1).threadNamePrefix("metrics-budget-").build());
        AtomicInteger left = new AtomicInteger(3);
        // Spends the whole budget each poll: three forced yields, then done.
        JoinHandle<Void> h = rt.spawn(cx -> {
            while (cx.consumeBudget()) {
                // spend
            }
            return left.decrementAndGet() < 0 ? Poll.ready(null) : Poll.pending();
        });
        await(h.toCompletableFuture(), "greedy task");
        WorkerMetrics w = rt.metrics().perWorker().get(0);
        assertEquals(4, w.budgetForcedYields());
        assertEquals(3, w.localSchedules(), "three requeues after forced yields");
        awaitTrue(() -> rt.metrics().perWorker().get(0).parks() > 0, "the idle worker parks");
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("metrics-budget-0")).findFirst().orElseThrow();
        awaitTrue(() -> worker.getState() == Thread.State.WAITING, "the worker parked");
        long unparksBefore = rt.metrics().perWorker().get(0).unparks();
        rt.execute(() -> { });
        awaitTrue(() -> rt.metrics().perWorker().get(0).unparks() > unparksBefore, "woken to run the task: " + rt.metrics());
    }

    @Test
    void stealsMoveTasksBetweenWorkers() {
        // Room for every child: the peer can only get them by stealing, not from an overflow.
        Spindle rt = manage(quiet().workers(2).localQueueCapacity(4096).build());
        int n = 2_000;
        CountDownLatch done = new CountDownLatch(n);
        rt.execute(() -> {
            for (int i = 0; i < n; i++) {
                rt.execute(() -> {
                    long end = System.nanoTime() + 20_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    done.countDown();
                });
            }
        });
        await(done, "children");
        RuntimeMetrics m = rt.metrics();
        assertTrue(m.totalSteals() > 0, "the idle peer stole: " + m);
        assertTrue(sum(m, WorkerMetrics::stolenTasks) >= m.totalSteals());
        assertTrue(m.perWorker().stream().allMatch(w -> w.busyTime().toNanos() > 0));
    }

    @Test
    void aliveTasksAndQueueDepths() {
        Spindle rt = runtime(2);
        List<TestSupport.Parked<Integer>> parked = List.of(new TestSupport.Parked<>(1), new TestSupport.Parked<>(2),
                new TestSupport.Parked<>(3));
        for (TestSupport.Parked<Integer> p : parked) {
            rt.spawn(p);
        }
        awaitTrue(() -> rt.metrics().aliveTasks() == 3, "three waiting tasks alive");
        for (TestSupport.Parked<Integer> p : parked) {
            p.release();
        }
        awaitTrue(() -> rt.metrics().aliveTasks() == 0, "none alive once they finished");
        RuntimeMetrics m = rt.metrics();
        assertEquals(0, m.injectorDepth());
        assertTrue(m.perWorker().stream().allMatch(w -> w.localQueueDepth() == 0 && w.inboxDepth() == 0));
        assertEquals(0, m.extraWorkers());
    }
}
