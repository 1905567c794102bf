package dev.spindle;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.spindle.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * No task is stranded behind a busy home: tasks woken from a foreign thread go to their home
 * worker's inbox, and while that worker is stuck in one long poll, its idle peer takes them.
 */
class StrandingTest {
    static final int TASKS = 1000;
    static final long HOG_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    @Test
    void tasksWokenIntoABusyWorkersInboxRunOnItsPeer() {
        try (Spindle rt = RuntimeTestBase.quiet().workers(2).build()) {
            AtomicReference<Thread> blockerThread = new AtomicReference<>();
            CountDownLatch blockerRunning = new CountDownLatch(1);
            CountDownLatch setupDone = new CountDownLatch(1);
            CountDownLatch hogStarted = new CountDownLatch(1);
            AtomicReference<Thread> homeThread = new AtomicReference<>();
            Waker[] wakers = new Waker[TASKS];
            Thread[] ranOn = new Thread[TASKS];
            AtomicInteger registered = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            AtomicInteger finishedBeforeHogEnded = new AtomicInteger(-1);

            // 1. Occupy one worker so that the other (the future home) runs all the set-up. It
            //    spins rather than blocks: a blocked worker is compensated for with an extra at
            //    once, which could run the set-up's second poll and leave the home idle.
            rt.spawn(cx -> {
                blockerThread.set(Thread.currentThread());
                blockerRunning.countDown();
                TestSupport.awaitTrue(() -> setupDone.getCount() == 0, "set-up");
                return Poll.ready(null);
            });
            await(blockerRunning, "blocker");

            // 2. On the other worker: spawn the tasks, let each park once (home = this worker),
            //    then hog this worker inside one 200 ms poll.
            rt.spawn(new PollFuture<Void>() {
                boolean spawned;

                @Override
                public Poll<Void> poll(Context cx) {
                    if (!spawned) {
                        spawned = true;
                        homeThread.set(Thread.currentThread());
                        Waker setupWaker = cx.waker();
                        for (int i = 0; i < TASKS; i++) {
                            int id = i;
                            Tasks.spawn(new PollFuture<Void>() {
                                boolean parked;

                                @Override
                                public Poll<Void> poll(Context c) {
                                    if (!parked) {
                                        // Spawned here, so this worker is the home, even if a
                                        // busy moment let the monitor start an extra worker
                                        // that polls this first (asserting the thread here
                                        // failed the task and lost its registration).
                                        parked = true;
                                        wakers[id] = c.waker();
                                        if (registered.incrementAndGet() == TASKS) {
                                            setupWaker.wake();
                                        }
                                        return Poll.pending();
                                    }
                                    ranOn[id] = Thread.currentThread();
                                    finished.incrementAndGet();
                                    return Poll.ready(null);
                                }
                            });
                        }
                        return Poll.pending();
                    }
                    setupDone.countDown();
                    hogStarted.countDown();
                    long end = System.nanoTime() + HOG_NANOS;
                    while (System.nanoTime() - end < 0) {
                        Thread.onSpinWait();
                    }
                    finishedBeforeHogEnded.set(finished.get());
                    return Poll.ready(null);
                }
            });

            // 3. From a foreign thread, wake every task while its home is hogged.
            await(hogStarted, "hog");
            Thread foreign = TestSupport.start("foreign-waker", () -> {
                for (Waker w : wakers) {
                    w.wake();
                }
            });
            TestSupport.join(foreign);
            TestSupport.awaitTrue(() -> finishedBeforeHogEnded.get() >= 0, "hog to end");

            assertNotSame(blockerThread.get(), homeThread.get());
            assertEquals(TASKS, finishedBeforeHogEnded.get(),
                    "every woken task finished while its home worker was stuck in one poll");
            for (Thread t : ranOn) {
                // On the idle peer, or on an extra worker the monitor started while the set-up
                // blocked the peer: anywhere but the busy home.
                assertNotSame(homeThread.get(), t, "woken tasks ran elsewhere than their busy home");
            }
        }
    }

    /**
     * A task woken on its own busy home goes to that worker's LIFO slot, which wakes nobody;
     * the sleeping peer's periodic re-check must find it and steal it.
     */
    @Test
    void taskInABusyWorkersLifoSlotRunsOnItsSleepingPeer() {
        try (Spindle rt = RuntimeTestBase.quiet().workers(2).build()) {
            CountDownLatch blockerRunning = new CountDownLatch(1);
            CountDownLatch releaseBlocker = new CountDownLatch(1);
            CountDownLatch blockerDone = new CountDownLatch(1);
            AtomicReference<Thread> peer = new AtomicReference<>();
            AtomicReference<Thread> home = new AtomicReference<>();
            AtomicReference<Thread> wokenRanOn = new AtomicReference<>();
            AtomicInteger finishedBeforeHogEnded = new AtomicInteger(-1);
            rt.spawn(cx -> {
                peer.set(Thread.currentThread());
                blockerRunning.countDown();
                // Busy, not blocked: a blocked peer would be compensated for with an extra,
                // which could take the woken task before the sleeping peer's re-check.
                TestSupport.awaitTrue(() -> releaseBlocker.getCount() == 0, "release");
                blockerDone.countDown();
                return Poll.ready(null);
            });
            await(blockerRunning, "blocker");
            rt.spawn(new PollFuture<Void>() {
                boolean parked;

                @Override
                public Poll<Void> poll(Context cx) {
                    if (parked) {
                        wokenRanOn.set(Thread.currentThread());
                        return Poll.ready(null);
                    }
                    parked = true;
                    home.set(Thread.currentThread());
                    Waker self = cx.waker();
                    Tasks.spawn(c -> {
                        // On the same (home) worker: the peer is still blocked.
                        releaseBlocker.countDown();
                        await(blockerDone, "blocker done");
                        // Wait until the peer has gone to sleep (parked), so that only its
                        // periodic re-check, not its idle spin, can find the woken task.
                        TestSupport.awaitTrue(() -> {
                            Thread.State st = peer.get().getState();
                            return st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING;
                        }, "peer asleep");
                        self.wake(); // home == this worker: into its LIFO slot
                        long end = System.nanoTime() + HOG_NANOS;
                        while (System.nanoTime() - end < 0) {
                            Thread.onSpinWait();
                        }
                        finishedBeforeHogEnded.set(wokenRanOn.get() != null ? 1 : 0);
                        return Poll.ready(null);
                    });
                    return Poll.pending();
                }
            });
            TestSupport.awaitTrue(() -> finishedBeforeHogEnded.get() >= 0, "hog to end");
            assertNotSame(peer.get(), home.get());
            assertEquals(1, finishedBeforeHogEnded.get(), "the LIFO task waited for its busy home");
            assertSame(peer.get(), wokenRanOn.get());
        }
    }

    /**
     * Every worker asleep with no deadline; a foreign wake unparks only the task's home, whose
     * poll then spawns a child into its LIFO slot and keeps running. The other sleeper must
     * learn that a worker is awake (and so re-check periodically), or the child waits for the
     * whole of the parent's poll.
     */
    @Test
    void childOfATaskWokenFromOutsideRunsWhileItsParentIsBusy() {
        try (Spindle rt = RuntimeTestBase.quiet().workers(2).build()) {
            AtomicReference<Waker> parentWaker = new AtomicReference<>();
            AtomicReference<Thread> childRanOn = new AtomicReference<>();
            AtomicReference<Thread> parentRanOn = new AtomicReference<>();
            AtomicInteger childRanDuringParentPoll = new AtomicInteger(-1);
            rt.spawn(new PollFuture<Void>() {
                boolean waited;

                @Override
                public Poll<Void> poll(Context cx) {
                    if (!waited) {
                        waited = true;
                        parentWaker.set(cx.waker());
                        return Poll.pending();
                    }
                    parentRanOn.set(Thread.currentThread());
                    Tasks.spawn(c -> {
                        childRanOn.set(Thread.currentThread());
                        return Poll.ready(null);
                    });
                    long end = System.nanoTime() + HOG_NANOS;
                    while (childRanOn.get() == null && System.nanoTime() - end < 0) {
                        Thread.onSpinWait();
                    }
                    childRanDuringParentPoll.set(childRanOn.get() != null ? 1 : 0);
                    return Poll.ready(null);
                }
            });
            TestSupport.awaitTrue(() -> parentWaker.get() != null, "parent waiting");
            // Both workers parked with no deadline (WAITING, not TIMED_WAITING).
            List<Thread> workers = new java.util.ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().matches("spindle-worker-\\d+")) {
                    workers.add(t);
                }
            }
            assertEquals(2, workers.size());
            TestSupport.awaitTrue(() -> workers.stream().allMatch(t -> t.getState() == Thread.State.WAITING),
                    "every worker asleep");
            Thread waker = TestSupport.start("foreign-waker", () -> parentWaker.get().wake());
            TestSupport.join(waker);
            TestSupport.awaitTrue(() -> childRanDuringParentPoll.get() >= 0, "parent's poll to end");
            assertEquals(1, childRanDuringParentPoll.get(), "the child waited for its busy parent's poll");
            assertNotSame(parentRanOn.get(), childRanOn.get());
        }
    }
}
