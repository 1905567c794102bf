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
        Runtime rt = runtime(1);
        int parked = 100;
        Waker[] wakers = new Waker[parked];
        CountDownLatch allParked = new CountDownLatch(parked);
        CountDownLatch allRan = new CountDownLatch(parked);
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
                    allRan.countDown();
                    return Poll.ready(null);
                }
            });
        }
        TestSupport.await(allParked, "tasks parked");
        // Two tasks that yield until told to stop keep the only worker's local queue non-empty.
        AtomicLong busyPolls = new AtomicLong();
        AtomicInteger stop = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            rt.spawn(cx -> {
                busyPolls.incrementAndGet();
                return stop.get() != 0 ? Poll.ready(null) : Tasks.yieldPending(cx);
            });
        }
        TestSupport.awaitTrue(() -> busyPolls.get() > 1_000, "the busy tasks running");
        long before = busyPolls.get();
        for (Waker w : wakers) {
            w.wake(); // from this (outside) thread: into the worker's inbox
        }
        TestSupport.await(allRan, "the woken tasks");
        long during = busyPolls.get() - before;
        stop.set(1);
        // One task per fairness check (every 61 polls) would take about 100 x 61 polls.
        assertTrue(during < 61 * 10, "the busy tasks were polled " + during + " times before 100 woken tasks all ran");
    }
}
