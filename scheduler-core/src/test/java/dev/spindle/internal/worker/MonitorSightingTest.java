package dev.spindle.internal.worker;

import dev.spindle.RuntimeTestBase;
import dev.spindle.Spindle;
import dev.spindle.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the monitor counts as a worker blocked inside a poll ({@link Monitor#blockedInPoll}),
 * which is what starts compensation. The monitor sees a worker's poll and its thread's state in
 * separate reads, so a worker that ended the poll it was seen in and then parked must not count:
 * before the second look, a monitor descheduled between the two reads started compensation
 * episodes in workloads that never block (9 of 25 JMH forks of spindle-exec ping_pong on one
 * worker, one of them then 10 times slower).
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
        Thread.State s = w.thread.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
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
}
