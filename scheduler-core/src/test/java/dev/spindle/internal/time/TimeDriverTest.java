package dev.spindle.internal.time;

import dev.spindle.Waker;
import dev.spindle.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's earliest-deadline tracking, on a manual clock. */
class TimeDriverTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Waker NOBODY = () -> { };

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger earlierCalls = new AtomicInteger();
    private final TimeDriver driver = new TimeDriver(clock, earlierCalls::incrementAndGet);

    @Test
    void reportsTheEarliestDeadlineThroughScheduleCancelAndFire() {
        assertEquals(Long.MAX_VALUE, driver.nanosUntilEarliest());
        long now = clock.nanoTime();
        TimeDriver.Timer late = driver.schedule(now + 50 * MS, NOBODY);
        assertEquals(50 * MS, driver.nanosUntilEarliest());
        assertEquals(1, earlierCalls.get());
        TimeDriver.Timer early = driver.schedule(now + 10 * MS, NOBODY);
        assertEquals(10 * MS, driver.nanosUntilEarliest());
        driver.schedule(now + 30 * MS, NOBODY);
        assertEquals(2, earlierCalls.get(), "only a new earliest deadline is announced");
        driver.cancel(early);
        assertEquals(30 * MS, driver.nanosUntilEarliest());
        clock.advance(java.time.Duration.ofMillis(30));
        assertEquals(0, driver.nanosUntilEarliest());
        assertEquals(1, driver.fireExpired());
        assertEquals(20 * MS, driver.nanosUntilEarliest());
        driver.cancel(late);
        assertEquals(Long.MAX_VALUE, driver.nanosUntilEarliest());
    }

    @Test
    void theEarliestDeadlineIsNeverLaterThanAPendingTimer() {
        SplittableRandom rnd = new SplittableRandom(7);
        List<TimeDriver.Timer> live = new ArrayList<>();
        for (int round = 0; round < 20_000; round++) {
            int op = rnd.nextInt(10);
            if (op < 5 || live.isEmpty()) {
                live.add(driver.schedule(clock.nanoTime() + rnd.nextLong(1, 200 * MS), NOBODY));
            } else if (op < 9) {
                driver.cancel(live.remove(rnd.nextInt(live.size())));
            } else {
                clock.advance(java.time.Duration.ofNanos(rnd.nextLong(1, 5 * MS)));
                driver.fireExpired();
                live.removeIf(TimeDriver.Timer::fired);
            }
            long min = live.stream().mapToLong(TimeDriver.Timer::deadline).min().orElse(Long.MAX_VALUE);
            long until = driver.nanosUntilEarliest();
            if (min == Long.MAX_VALUE) {
                assertEquals(Long.MAX_VALUE, until, "round " + round);
            } else {
                assertTrue(until <= Math.max(0, min - clock.nanoTime()), "round " + round + ": parks past a pending deadline");
            }
        }
    }

    @Test
    void scheduleAndCancelChurnKeepsTheTickHeapSmall() {
        for (int i = 0; i < 100_000; i++) {
            driver.cancel(driver.schedule(clock.nanoTime() + (1 + i % 1000) * MS, NOBODY));
        }
        assertTrue(driver.tickHeapSize() <= 64, "stale ticks kept: " + driver.tickHeapSize());
        assertEquals(0, driver.pendingTimers());
        assertEquals(Long.MAX_VALUE, driver.nanosUntilEarliest());
    }
}
