package dev.spindle;

import dev.spindle.time.ManualClock;
import dev.spindle.time.Time;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.spindle.TestSupport.await;
import static dev.spindle.TestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/** Timers: sleep, sleepUntil, timeout and interval, mostly on a manual clock. */
class TimeTest extends RuntimeTestBase {
    private final ManualClock clock = new ManualClock();

    private Spindle manualRuntime(int workers) {
        return manage(quiet().workers(workers).clock(clock).build());
    }

    /** The monitor fires timers at every tick: after a whole tick, a due timer has fired. */
    private static void letTimePass(Spindle rt) {
        awaitMonitorTicks(rt);
    }

    @Test
    void aSleepEndsAtItsDeadlineNotBefore() throws Exception {
        Spindle rt = manualRuntime(2);
        JoinHandle<Void> h = rt.spawn(Time.sleep(Duration.ofSeconds(1)));
        awaitTrue(() -> rt.metrics().pendingTimers() == 1, "timer scheduled");
        clock.advance(Duration.ofMillis(999));
        letTimePass(rt);
        assertFalse(h.isFinished(), "woke before its deadline");
        clock.advance(Duration.ofMillis(1));
        await(h.toCompletableFuture(), "sleep at its deadline");
        assertEquals(0, rt.metrics().pendingTimers());
    }

    @Test
    void sleepUntilAPastDeadlineIsReadyAtOnceAndBlockOnCanSleep() {
        Spindle rt = manualRuntime(1);
        assertNull(rt.blockOn(Time.sleepUntil(clock.nanoTime() - 1)));
        assertNull(rt.blockOn(Time.sleep(Duration.ZERO)));
        Thread advancer = TestSupport.start("advancer", () -> {
            awaitTrue(() -> rt.metrics().pendingTimers() == 1, "blockOn's timer");
            clock.advance(Duration.ofMinutes(5));
        });
        assertNull(rt.blockOn(Time.sleep(Duration.ofMinutes(5))));
        TestSupport.join(advancer);
    }

    @Test
    void abortingASleepingTaskRemovesItsTimer() {
        Spindle rt = manualRuntime(2);
        List<JoinHandle<Void>> hs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            hs.add(rt.spawn(Time.sleep(Duration.ofHours(1))));
        }
        awaitTrue(() -> rt.metrics().pendingTimers() == 10, "ten timers");
        for (int i = 0; i < 4; i++) {
            hs.get(i).abort();
        }
        awaitTrue(() -> rt.metrics().pendingTimers() == 6, "aborted tasks' timers removed");
        clock.advance(Duration.ofHours(1));
        for (int i = 4; i < 10; i++) {
            await(hs.get(i).toCompletableFuture(), "the others still fire");
        }
    }

    @Test
    void timeoutFailsWithTimeoutExceptionAndDropsTheFuture() throws Exception {
        Spindle rt = manualRuntime(2);
        TestSupport.Parked<Integer> never = new TestSupport.Parked<>(1);
        AtomicInteger drops = new AtomicInteger();
        PollFuture<Integer> slow = new PollFuture<>() {
            @Override
            public Poll<Integer> poll(Context cx) {
                return never.poll(cx);
            }

            @Override
            public void drop() {
                drops.incrementAndGet();
            }
        };
        JoinHandle<Integer> h = rt.spawn(Time.timeout(slow, Duration.ofSeconds(2)));
        awaitTrue(() -> rt.metrics().pendingTimers() == 1, "timeout armed");
        clock.advance(Duration.ofSeconds(2));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> h.toCompletableFuture().get(TestSupport.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals(1, drops.get(), "the timed-out future is dropped once");
        // A future that finishes in time wins, and its timer goes away.
        TestSupport.Parked<Integer> soon = new TestSupport.Parked<>(7);
        JoinHandle<Integer> ok = rt.spawn(Time.timeout(soon, Duration.ofSeconds(2)));
        awaitTrue(soon::isWaiting, "waiting");
        soon.release();
        assertEquals(7, await(ok.toCompletableFuture(), "in time"));
        awaitTrue(() -> rt.metrics().pendingTimers() == 0, "timer cancelled");
    }

    @Test
    void intervalTicksOnScheduleAndSkipsMissedTicks() {
        Spindle rt = manualRuntime(1);
        long start = clock.nanoTime();
        List<Long> ticksMs = java.util.Collections.synchronizedList(new ArrayList<>());
        JoinHandle<Void> h = rt.spawn(new PollFuture<Void>() {
            Time.Interval interval;
            PollFuture<Long> next;

            @Override
            public Poll<Void> poll(Context cx) {
                if (interval == null) {
                    interval = Time.interval(Duration.ofMillis(100));
                }
                while (ticksMs.size() < 4) {
                    if (next == null) {
                        next = interval.tick();
                    }
                    Poll<Long> p = next.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    next = null;
                    ticksMs.add(TimeUnit.NANOSECONDS.toMillis(p.value() - start));
                }
                return Poll.ready(null);
            }
        });
        awaitTrue(() -> ticksMs.size() == 1 && rt.metrics().pendingTimers() == 1, "first tick at once");
        clock.advance(Duration.ofMillis(100));
        awaitTrue(() -> ticksMs.size() == 2 && rt.metrics().pendingTimers() == 1, "second tick");
        clock.advance(Duration.ofMillis(350)); // late: the ticks due at 300 and 400 are missed
        awaitTrue(() -> ticksMs.size() == 3 && rt.metrics().pendingTimers() == 1, "third tick");
        clock.advance(Duration.ofMillis(50));
        await(h.toCompletableFuture(), "fourth tick");
        assertEquals(List.of(0L, 100L, 200L, 500L), ticksMs, "missed ticks are skipped, the schedule kept");
    }

    @Test
    void manySleepsWithRandomDeadlinesAllFireNoneEarly() {
        Spindle rt = runtime(2);
        int n = 100_000;
        AtomicInteger early = new AtomicInteger();
        AtomicInteger fired = new AtomicInteger();
        List<JoinHandle<Void>> hs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long delay = ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(50));
            hs.add(rt.spawn(new PollFuture<Void>() {
                long deadline = Long.MIN_VALUE;
                PollFuture<Void> sleep;

                @Override
                public Poll<Void> poll(Context cx) {
                    if (sleep == null) {
                        deadline = Time.now() + delay;
                        sleep = Time.sleepUntil(deadline);
                    }
                    if (sleep.poll(cx).isPending()) {
                        return Poll.pending();
                    }
                    if (Time.now() < deadline) {
                        early.incrementAndGet();
                    }
                    fired.incrementAndGet();
                    return Poll.ready(null);
                }
            }));
        }
        for (JoinHandle<Void> h : hs) {
            await(h.toCompletableFuture(), "a sleep");
        }
        assertEquals(n, fired.get());
        assertEquals(0, early.get(), "woke before the deadline");
        awaitTrue(() -> rt.metrics().pendingTimers() == 0, "no timer left");
    }

    @Test
    void aMillionPendingSleepsFitTheDefaultHeap() {
        Spindle rt = manualRuntime(2);
        int n = 1_000_000;
        // One task holds a million sleeps (a task per sleep is the stress-tagged variant).
        JoinHandle<Integer> h = rt.spawn(new PollFuture<Integer>() {
            final List<PollFuture<Void>> sleeps = new ArrayList<>(n);
            int firstPending;

            @Override
            public Poll<Integer> poll(Context cx) {
                if (sleeps.isEmpty()) {
                    for (int i = 0; i < n; i++) {
                        sleeps.add(Time.sleep(Duration.ofHours(1)));
                    }
                }
                while (firstPending < n) {
                    // A fresh budget per sleep: this test is about timers, not fairness.
                    if (sleeps.get(firstPending).poll(Context.of(cx.waker(), 1)).isPending()) {
                        for (int i = firstPending + 1; i < n; i++) {
                            sleeps.get(i).poll(Context.of(cx.waker(), 1)); // arm the rest
                        }
                        return Poll.pending();
                    }
                    firstPending++;
                }
                return Poll.ready(n);
            }
        });
        awaitTrue(() -> rt.metrics().pendingTimers() == n, "a million timers");
        clock.advance(Duration.ofHours(1));
        assertEquals(n, await(h.toCompletableFuture(), "every sleep fired"));
        assertEquals(0, rt.metrics().pendingTimers());
    }

    /** The same with a task per sleep: a million task cells and timers. */
    @org.junit.jupiter.api.Tag("stress")
    @Test
    void aMillionSleepingTasks() {
        Spindle rt = manualRuntime(2);
        int n = 1_000_000;
        AtomicLong done = new AtomicLong();
        JoinHandle<Void> spawner = rt.spawn(cx -> {
            for (int i = 0; i < n; i++) {
                PollFuture<Void> s = Time.sleep(Duration.ofHours(1));
                Tasks.spawn(c -> {
                    if (s.poll(c).isPending()) {
                        return Poll.pending();
                    }
                    done.incrementAndGet();
                    return Poll.ready(null);
                });
            }
            return Poll.ready(null);
        });
        await(spawner.toCompletableFuture(), "spawner");
        awaitTrue(() -> rt.metrics().pendingTimers() == n, "a million timers");
        clock.advance(Duration.ofHours(1));
        awaitTrue(() -> done.get() == n, "every sleep fired");
        assertEquals(0, rt.metrics().pendingTimers());
    }

    @Test
    void badInputAndNoRuntime() {
        assertThrows(NullPointerException.class, () -> Time.sleep(null));
        assertThrows(IllegalArgumentException.class, () -> Time.sleep(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> Time.interval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Time.timeout(cx -> Poll.ready(1), Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> Time.timeout(null, Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, Time::now);
        PollFuture<Void> s = Time.sleep(Duration.ofSeconds(1));
        assertThrows(IllegalStateException.class, () -> s.poll(Context.of(Waker.noop(), 128)));
    }
}
