package dev.spindle;

import dev.spindle.spi.Driver;
import dev.spindle.time.ManualClock;
import dev.spindle.time.Time;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver seam with a fake driver that records how the runtime uses it: who waits in it and
 * for how long, who polls it, when it is woken, and when it is shut down.
 */
class DriverSeamTest extends RuntimeTestBase {

    /** A driver whose "events" are wakers a test hands it; it records every call. */
    static final class FakeDriver implements Driver {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        // Guarded by lock:
        private final List<Waker> ready = new ArrayList<>();
        private boolean woken;
        private boolean inPark;
        private boolean shut;
        final List<Long> blockingTimeouts = new ArrayList<>();
        int polls;
        int unparks;
        int unparksWhileNotParked;
        int parksAfterShutdown;
        int concurrentParks;
        int shutdowns;

        /** An event: the waker is woken by the next (or the current) park. */
        void fire(Waker w) {
            lock.lock();
            try {
                ready.add(w);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void park(long timeoutNanos) {
            List<Waker> due;
            lock.lock();
            try {
                if (shut) {
                    parksAfterShutdown++;
                }
                if (inPark) {
                    concurrentParks++;
                }
                inPark = true;
                if (timeoutNanos == 0) {
                    polls++;
                } else {
                    blockingTimeouts.add(timeoutNanos);
                    long left = timeoutNanos;
                    while (!woken && ready.isEmpty() && left > 0) {
                        left = timeoutNanos == Long.MAX_VALUE ? awaitForever() : changed.awaitNanos(left);
                    }
                }
                woken = false;
                inPark = false;
                due = new ArrayList<>(ready);
                ready.clear();
            } catch (InterruptedException e) {
                inPark = false;
                return;
            } finally {
                lock.unlock();
            }
            for (Waker w : due) {
                w.wake(); // as a reactor does: on the parking thread, outside its own lock
            }
        }

        private long awaitForever() throws InterruptedException {
            changed.await();
            return Long.MAX_VALUE;
        }

        @Override
        public void unpark() {
            lock.lock();
            try {
                unparks++;
                if (!inPark) {
                    unparksWhileNotParked++;
                }
                woken = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void shutdown() {
            lock.lock();
            try {
                shutdowns++;
                shut = true;
            } finally {
                lock.unlock();
            }
        }

        <T> T read(java.util.function.Supplier<T> what) {
            lock.lock();
            try {
                return what.get();
            } finally {
                lock.unlock();
            }
        }
    }

    private Spindle runtime(int workers, FakeDriver d) {
        return manage(quiet().workers(workers).driver(() -> d).build());
    }

    /** Spins until the fake has a worker waiting in it with no time limit. */
    private static void awaitIdleInDriver(FakeDriver d) {
        TestSupport.awaitTrue(() -> d.read(() -> d.inPark && !d.blockingTimeouts.isEmpty()
                && d.blockingTimeouts.get(d.blockingTimeouts.size() - 1) == Long.MAX_VALUE), "a worker parked in the driver");
    }

    @Test
    void anIdleWorkerWaitsInTheDriverAndItsEventsWakeTasks() {
        FakeDriver d = new FakeDriver();
        Spindle rt = runtime(2, d);
        AtomicReference<Waker> registered = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        JoinHandle<String> h = rt.spawn(new PollFuture<>() {
            boolean parked;

            @Override
            public Poll<String> poll(Context cx) {
                if (parked) {
                    return Poll.ready("event");
                }
                parked = true;
                registered.set(cx.waker());
                waiting.countDown();
                return Poll.pending();
            }
        });
        TestSupport.await(waiting, "the task registered with the driver");
        awaitIdleInDriver(d);
        d.fire(registered.get());
        assertEquals("event", TestSupport.await(h.toCompletableFuture(), "the woken task"));
        assertEquals(0, d.read(() -> d.concurrentParks), "two threads in the driver at once");
    }

    @Test
    void theKeeperParksUntilTheNearestTimerAndAnEarlierTimerWakesIt() {
        // A manual clock: on real time a loaded machine can let the monitor fire the 20 ms timer
        // before the worker gets back to the driver, and nothing would show the keeper's bound.
        ManualClock clock = new ManualClock();
        FakeDriver d = new FakeDriver();
        Spindle rt = manage(quiet().workers(1).clock(clock).driver(() -> d).build());
        rt.spawn(Time.sleep(Duration.ofHours(1)));
        TestSupport.awaitTrue(() -> d.read(() -> d.blockingTimeouts.stream()
                .anyMatch(t -> t > TimeUnit.MINUTES.toNanos(59) && t <= TimeUnit.HOURS.toNanos(1))), "a park bounded by the 1 h timer");
        int unparksBefore = d.read(() -> d.unparks);
        JoinHandle<Void> shortSleep = rt.spawn(Time.sleep(Duration.ofMillis(20)));
        TestSupport.awaitTrue(() -> d.read(() -> d.inPark && d.blockingTimeouts.get(d.blockingTimeouts.size() - 1)
                == TimeUnit.MILLISECONDS.toNanos(20)), "a park bounded by the 20 ms timer");
        // The spawn had to wake the keeper out of its 1 h wait to run the new task.
        assertTrue(d.read(() -> d.unparks) > unparksBefore, "the keeper was not woken for the new task");
        assertFalse(shortSleep.isFinished(), "the 20 ms sleep ended with the clock standing still");
        clock.advance(Duration.ofMillis(20));
        TestSupport.await(shortSleep.toCompletableFuture(), "the 20 ms sleep");
    }

    @Test
    void aPendingTimerDoesNotMakeIdleWorkersWakeEveryTick() {
        FakeDriver d = new FakeDriver();
        Spindle rt = runtime(2, d);
        rt.spawn(Time.sleep(Duration.ofHours(1)));
        // Until every worker sleeps, the keeper re-checks every millisecond (a peer may still
        // queue work); on a loaded machine the other worker can take tens of them to fall asleep.
        // A wait bounded by the timer, not by the re-check, means both were asleep.
        TestSupport.awaitTrue(() -> d.read(() -> d.inPark && !d.blockingTimeouts.isEmpty()
                && d.blockingTimeouts.get(d.blockingTimeouts.size() - 1) > Duration.ofMinutes(1).toNanos()),
                "a worker waiting in the driver for the far timer");
        awaitMonitorTicks(rt);
        long before = parks(rt);
        for (int i = 0; i < 5; i++) {
            awaitMonitorTicks(rt); // ten ticks of at least a millisecond each: 20 wheel ticks
        }
        long woke = parks(rt) - before;
        assertTrue(woke <= 4, "idle workers parked " + woke + " more times while one far timer was pending");
    }

    private static long parks(Spindle rt) {
        return rt.metrics().perWorker().stream().mapToLong(w -> w.parks()).sum();
    }

    @Test
    void busyWorkersPollTheDriverWithoutBlockingAndWithoutWakingIt() {
        FakeDriver d = new FakeDriver();
        Spindle rt = runtime(1, d);
        int yields = 10_000;
        JoinHandle<Integer> h = rt.spawn(new PollFuture<>() {
            int n;

            @Override
            public Poll<Integer> poll(Context cx) {
                if (n++ < yields) {
                    return Tasks.yieldPending(cx);
                }
                return Poll.ready(n);
            }
        });
        TestSupport.await(h.toCompletableFuture(), "the yielding task");
        int polls = d.read(() -> d.polls);
        assertTrue(polls >= yields / 61 / 2, "the busy worker polled the driver " + polls + " times in " + yields + " polls");
        assertEquals(0, d.read(() -> d.unparksWhileNotParked), "woken while nobody waited in it");
    }

    @Test
    void theDriverIsShutDownOnceAfterTheLastWorker() throws Exception {
        FakeDriver d = new FakeDriver();
        Spindle rt = Spindle.builder().workers(2).driver(() -> d).build();
        awaitIdleInDriver(d);
        rt.close();
        assertTrue(rt.awaitTermination(0, TimeUnit.SECONDS));
        assertEquals(1, d.read(() -> d.shutdowns));
        assertEquals(0, d.read(() -> d.parksAfterShutdown));
    }

    @Test
    void eachRuntimeGetsItsOwnDriver() {
        AtomicInteger made = new AtomicInteger();
        SpindleBuilder b = quiet().workers(1).driver(() -> {
            made.incrementAndGet();
            return new FakeDriver();
        });
        Spindle a = manage(b.build());
        Spindle c = manage(b.build());
        assertNotEquals(a.driver().orElseThrow(), c.driver().orElseThrow());
        assertEquals(2, made.get());
        assertTrue(runtime(1).driver().isEmpty());
    }

    @Test
    void badDriversAreRefusedAtTheCall() {
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Spindle.builder().driver(null));
        assertTrue(npe.getMessage().contains("factory"));
        NullPointerException atBuild = assertThrows(NullPointerException.class,
                () -> Spindle.builder().workers(1).driver(() -> null).build());
        assertTrue(atBuild.getMessage().contains("driver"));
        IllegalStateException boom = new IllegalStateException("no selector");
        assertEquals(boom, assertThrows(IllegalStateException.class,
                () -> Spindle.builder().workers(1).driver(() -> {
                    throw boom;
                }).build()));
    }
}
