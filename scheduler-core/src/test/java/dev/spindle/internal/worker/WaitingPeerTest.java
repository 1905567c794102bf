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
 * What a worker out of its own work during a blocking episode counts as a peer to take spawns
 * from without waiting for the monitor's tick ({@link Worker#waitsWithSpawns}): awake, its
 * thread waiting, and its spawn stack not empty. A peer that runs, or sleeps, is not one.
 */
class WaitingPeerTest {
    private static final int SPAWNS = 8;

    private Spindle rt;

    @AfterEach
    void close() {
        if (rt != null) {
            rt.close();
        }
    }

    private static Worker coreWorker(Spindle rt) throws ReflectiveOperationException {
        Method m = Spindle.class.getDeclaredMethod("scheduler");
        m.setAccessible(true);
        Scheduler s = (Scheduler) m.invoke(rt);
        return s.extras.all()[0];
    }

    private static boolean waiting(Worker w) {
        Thread.State s = w.thread.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    @Test
    void aWorkerCountsOnlyWhileItsThreadWaitsWithSpawnsQueued() throws Exception {
        // One core worker and at most one extra: the extra that compensates for the blocked
        // worker takes at most half its spawns and then blocks on the first, so the rest stay.
        rt = RuntimeTestBase.quiet().workers(1).maxExtraWorkers(1).build();
        Worker w = coreWorker(rt);
        CountDownLatch spawned = new CountDownLatch(1);
        CountDownLatch mayBlock = new CountDownLatch(1);
        CountDownLatch blocker = new CountDownLatch(1);
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        rt.execute(() -> {
            for (int i = 0; i < SPAWNS; i++) {
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
        TestSupport.awaitTrue(() -> ran.get() == SPAWNS, "every spawn ran");
        TestSupport.awaitTrue(() -> w.sleeping && waiting(w), "the worker asleep");
        assertFalse(Worker.waitsWithSpawns(w), "a sleeping worker with nothing queued");
    }
}
