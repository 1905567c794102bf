package dev.spindle.internal.worker;

import dev.spindle.RuntimeTestBase;
import dev.spindle.Spindle;
import dev.spindle.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the monitor counts as a worker blocked inside a poll ({@link Monitor#blockedInPoll}),
 * which is what starts compensation. The monitor sees a worker's poll and its thread's state in
 * separate reads, so a worker that ended the poll it was seen in and then parked must not count:
 * before the second look, a monitor descheduled between the two reads started compensation
 * episodes in workloads that never block (9 of 25 JMH forks of spindle-exec ping_pong on one
 * worker, one of them then 10 times slower).
 *
 * <p>Also what a worker out of its own work during a blocking episode counts as a peer to take
 * spawns from without waiting for the monitor's tick ({@link Worker#waitsWithSpawns}): its
 * thread waiting and its spawn stack not empty. A peer that runs, or sleeps, is not one.
 */
class MonitorSightingTest {
    private Spindle rt;

    @AfterEach
    void close() {
        if (rt != null) {
            rt.close();
        }
    }

    private static Worker onlyWorker(Spindle rt) throws ReflectiveOperationException {
        Method m = Spindle.class.getDeclaredMethod("scheduler");
        m.setAccessible(true);
        Scheduler s = (Scheduler) m.invoke(rt);
        Worker[] all = s.extras.all();
        assertEquals(1, all.length);
        return all[0];
    }

    private static boolean waiting(Worker w) {
        return Monitor.waits(w.thread.getState());
    }

    @Test
    void aPollThatEndedBeforeTheWorkerParkedIsNotABlock() throws Exception {
        rt = RuntimeTestBase.quiet().workers(1).build();
        Worker w = onlyWorker(rt);
        Runnable task = () -> { };
        CountDownLatch ran = new CountDownLatch(1);
        rt.execute(() -> {
            task.run();
            ran.countDown();
        });
        TestSupport.await(ran, "the task");
        // What a monitor read while the task ran, then kept while it was descheduled.
        long polls = w.cx.pollsOpaque();
        Object seen = task;
        TestSupport.awaitTrue(() -> w.sleeping && waiting(w), "the worker parked");
        assertNull(w.cx.bodyRacy(), "between polls");
        assertFalse(Monitor.blockedInPoll(w, polls, seen), "a parked worker, seen in a poll it has left");
    }

    @Test
    void aWorkerQueuedOnAMonitorLockInsideAPollContends() throws Exception {
        rt = RuntimeTestBase.quiet().workers(1).build();
        Worker w = onlyWorker(rt);
        Object lock = new Object();
        CountDownLatch inside = new CountDownLatch(1);
        Runnable contender = () -> {
            inside.countDown();
            synchronized (lock) {
                lock.notifyAll(); // something to do under the lock
            }
        };
        synchronized (lock) {
            rt.execute(contender);
            TestSupport.await(inside, "the contending task");
            TestSupport.awaitTrue(() -> w.thread.getState() == Thread.State.BLOCKED, "the worker queued on the lock");
            long polls = w.cx.pollsOpaque();
            assertEquals(Monitor.CONTENDS, Monitor.blockage(w, polls, contender));
            assertTrue(Monitor.blockedInPoll(w, polls, contender), "what the extra-thread count sees");
            assertEquals(Monitor.RUNS, Monitor.blockage(w, polls - 1, contender), "seen in an earlier poll");
        }
    }

    /**
     * A wait counts at once; contention for a monitor lock only when the tick before saw it in
     * the same poll. Contention for the runtime's own locks (the idle set's, an injector
     * stripe's: microseconds) used to start compensation episodes in workloads that never block.
     */
    @Test
    void contentionCountsOnlyWhenTheTickBeforeSawItInTheSamePoll() {
        Monitor.Watch watch = new Monitor.Watch();
        assertTrue(Monitor.confirm(watch, Monitor.WAITS, 7), "a wait, at once");
        assertFalse(Monitor.confirm(watch, Monitor.CONTENDS, 7), "first sighting of contention");
        assertTrue(Monitor.confirm(watch, Monitor.CONTENDS, 7), "the next tick, same poll");
        assertTrue(Monitor.confirm(watch, Monitor.CONTENDS, 7), "and every tick after");
        assertFalse(Monitor.confirm(watch, Monitor.CONTENDS, 8), "a later poll starts again");
        assertFalse(Monitor.confirm(watch, Monitor.RUNS, 8), "running");
        assertFalse(Monitor.confirm(watch, Monitor.CONTENDS, 8), "running in between: a new sighting");
        assertTrue(Monitor.confirm(watch, Monitor.WAITS, 8), "a wait");
        assertFalse(Monitor.confirm(watch, Monitor.CONTENDS, 8), "a wait in between: a new sighting");
        assertFalse(Monitor.confirm(watch, Monitor.RUNS, 9), "running");
    }

    @Test
    void aWorkerWaitingInsideAPollIsBlocked() throws Exception {
        rt = RuntimeTestBase.quiet().workers(1).build();
        Worker w = onlyWorker(rt);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runnable blocker = () -> {
            inside.countDown();
            TestSupport.await(release, "release");
        };
        rt.execute(blocker);
        TestSupport.await(inside, "the blocking task");
        try {
            TestSupport.awaitTrue(() -> waiting(w), "the worker waits in the task");
            long polls = w.cx.pollsOpaque();
            Object body = w.cx.bodyRacy();
            assertSame(blocker, body);
            assertTrue(Monitor.blockedInPoll(w, polls, body), "waiting inside the poll it was seen in");
            assertFalse(Monitor.blockedInPoll(w, polls - 1, body), "seen in an earlier poll");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aWorkerCountsOnlyWhileItsThreadWaitsWithSpawnsQueued() throws Exception {
        // One core worker and at most one extra: the extra that compensates for the blocked
        // worker takes one of its spawns and blocks in it, so the other seven stay queued.
        rt = RuntimeTestBase.quiet().workers(1).maxExtraWorkers(1).build();
        Worker w = onlyWorker(rt);
        CountDownLatch spawned = new CountDownLatch(1);
        CountDownLatch mayBlock = new CountDownLatch(1);
        CountDownLatch blocker = new CountDownLatch(1);
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        rt.execute(() -> {
            for (int i = 0; i < 8; i++) {
                rt.execute(() -> {
                    TestSupport.await(hold, "the test's release of the spawns");
                    ran.incrementAndGet();
                });
            }
            spawned.countDown();
            while (mayBlock.getCount() > 0) {
                Thread.onSpinWait(); // running, with its spawns queued
            }
            TestSupport.await(blocker, "the test's release of the blocked task");
        });
        try {
            TestSupport.await(spawned, "the spawning task");
            assertEquals(Thread.State.RUNNABLE, w.thread.getState());
            assertFalse(Worker.waitsWithSpawns(w), "a worker that runs, its spawns queued");

            mayBlock.countDown();
            TestSupport.awaitTrue(() -> waiting(w) && w.cx.bodyRacy() != null, "the worker blocked inside its poll");
            assertTrue(Worker.waitsWithSpawns(w), "a worker blocked inside a poll, its spawns queued");
        } finally {
            // A failed assertion must not leave the task spinning or blocked: close waits for it.
            mayBlock.countDown();
            blocker.countDown();
            hold.countDown();
        }
        TestSupport.awaitTrue(() -> ran.get() == 8, "every spawn ran");
        TestSupport.awaitTrue(() -> w.sleeping && waiting(w), "the worker asleep");
        assertFalse(Worker.waitsWithSpawns(w), "a sleeping worker with nothing queued");
    }
}
