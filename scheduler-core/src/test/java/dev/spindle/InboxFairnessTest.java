package dev.spindle;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tasks woken from outside into a worker's inbox are not starved by a local queue that never
 * empties: at each fairness check the worker takes the whole inbox (up to half a local queue),
 * not one task.
 */
class InboxFairnessTest extends RuntimeTestBase {

    @Test
    void aBurstOfRemoteWakesRunsWithinAFewPassesOfABusyLocalQueue() throws Exception {
        Spindle rt = runtime(1);
        int parked = 100;
        Waker[] wakers = new Waker[parked];
        CountDownLatch allParked = new CountDownLatch(parked);
        CountDownLatch allRan = new CountDownLatch(parked);
        AtomicLong busyPolls = new AtomicLong();
        // Read by the last woken task as it runs, not by this thread after the latch: a test
        // thread descheduled on a loaded machine would count the busy polls made after it.
        AtomicInteger ran = new AtomicInteger();
        AtomicLong busyWhenAllRan = new AtomicLong(-1);
        for (int i = 0; i < parked; i++) {
            int id = i;
            rt.spawn(new PollFuture<Void>() {
                boolean waited;

                @Override
                public Poll<Void> poll(Context cx) {
                    if (!waited) {
                        waited = true;
                        wakers[id] = cx.waker();
                        allParked.countDown();
                        return Poll.pending();
                    }
                    if (ran.incrementAndGet() == parked) {
                        busyWhenAllRan.set(busyPolls.get());
                    }
                    allRan.countDown();
                    return Poll.ready(null);
                }
            });
        }
        TestSupport.await(allParked, "tasks parked");
        // A gate task fills the only worker's local queue with two tasks that yield until told
        // to stop, then holds the worker (spinning, so no extra worker is started) while every
        // parked task is woken from here, into the worker's inbox. Released, the worker finds
        // a local queue that never empties and a full inbox.
        AtomicInteger stop = new AtomicInteger();
        CountDownLatch gateEntered = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        rt.spawn(cx -> {
            for (int i = 0; i < 2; i++) {
                Tasks.spawn(c -> {
                    busyPolls.incrementAndGet();
                    return stop.get() != 0 ? Poll.ready(null) : Tasks.yieldPending(c);
                });
            }
            gateEntered.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
            return Poll.ready(null);
        });
        TestSupport.await(gateEntered, "the gate");
        for (Waker w : wakers) {
            w.wake(); // from this (outside) thread: into the worker's inbox
        }
        release.set(true);
        TestSupport.await(allRan, "the woken tasks");
        long during = busyWhenAllRan.get();
        stop.set(1);
        // One task per fairness check (every 61 polls) would take about 100 x 61 polls.
        assertTrue(during < 61 * 10, "the busy tasks were polled " + during + " times before 100 woken tasks all ran");
    }
}
