package dev.spindle;

import dev.spindle.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.spindle.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Compensation for workers blocked inside tasks: help arrives without a stall, spares are reused
 * and bounded, the default log stays quiet for blocked workers and rate-limits warnings for
 * running ones, and shutdown accounts for every task with spares parked or extras mid-episode.
 */
class CompensationTest extends RuntimeTestBase {
    private final long timeoutMs = TestSupport.TIMEOUT.toMillis();
    /** One record of the default stall handler's log. */
    private static final class Entry {
        final System.Logger.Level level;
        final String message;
        final Throwable thrown;

        Entry(System.Logger.Level level, String message, Throwable thrown) {
            this.level = level;
            this.message = message;
            this.thrown = thrown;
        }

        @Override
        public String toString() {
            return level + ": " + message;
        }
    }

    private final ConcurrentLinkedQueue<Entry> records = new ConcurrentLinkedQueue<>();
    /** A logger that records everything, at every level, and prints nothing. */
    private final System.Logger recording = new System.Logger() {
        @Override
        public String getName() {
            return "dev.spindle";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
            records.add(new Entry(level, msg, thrown));
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
            records.add(new Entry(level, params == null || params.length == 0 ? format
                    : java.text.MessageFormat.format(format, params), null));
        }
    };

    private List<Entry> at(System.Logger.Level level) {
        List<Entry> out = new ArrayList<>();
        for (Entry r : records) {
            if (r.level == level) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every worker blocks on a latch that only a task queued behind it opens. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aWorkerBlockedOnWorkQueuedBehindItIsHelped(int workers) {
        Spindle rt = runtime(workers);
        CountDownLatch opened = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            rt.execute(() -> {
                CountDownLatch latch = new CountDownLatch(1);
                rt.execute(latch::countDown); // queued on this worker, behind this task
                await(latch, "the task queued behind the blocked one");
                opened.countDown();
            });
        }
        await(opened, "every blocked worker released by its queued task");
    }

    /**
     * A worker blocks on a task it queued itself while as many threads run as there are workers
     * (an extra busy computing): no thread is missing, so only a rescue (a spare that runs the
     * blocked worker's spawns and nothing else) can run the queued task before the busy one ends.
     */
    @Test
    void aBlockedWorkersSpawnIsRescuedWhileEnoughThreadsRun() {
        Spindle rt = runtime(1);
        CountDownLatch spinning = new CountDownLatch(1);
        CountDownLatch spawnRan = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean rescuedWhileSpinning = new AtomicBoolean();
        CountDownLatch spinEnded = new CountDownLatch(1);
        rt.execute(() -> {
            await(spinning, "an extra computing beside this blocked worker"); // blocked: an extra is added
            rt.execute(spawnRan::countDown); // this worker's own spawn, behind it
            await(spawnRan, "the blocked worker's spawn");
            done.countDown();
        });
        rt.execute(() -> { // runs on the extra added for the first block, and computes
            spinning.countDown();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (spawnRan.getCount() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            rescuedWhileSpinning.set(spawnRan.getCount() == 0);
            spinEnded.countDown();
        });
        await(done, "the blocked worker released");
        await(spinEnded, "the computing task");
        assertTrue(rescuedWhileSpinning.get(), "the spawn ran only after the computing task gave up");
    }

    /**
     * A worker blocks with one task queued, which blocks too once an added thread runs it: one
     * thread is added, not one plus the monitor's overshoot, which is for tasks queued beyond
     * the missing workers' share. (The task is submitted from outside: a spawn of the blocked
     * worker may also get a rescuer, a separate mechanism.)
     */
    @Test
    void aBlockAddsNoThreadBeyondTheTasksQueued() {
        Spindle rt = runtime(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstRuns = new CountDownLatch(1);
        CountDownLatch queuedRuns = new CountDownLatch(1);
        try {
            rt.execute(() -> {
                firstRuns.countDown();
                await(release, "release");
            });
            await(firstRuns, "the first task, on the only worker");
            rt.execute(() -> { // queued while the only worker is inside the first task
                queuedRuns.countDown();
                await(release, "release");
            });
            await(queuedRuns, "the queued task, on an added thread");
            awaitMonitorTicks(rt);
            awaitMonitorTicks(rt);
            assertEquals(1, rt.scheduler().extraWorkersStarted(), "threads added for one queued task");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aThousandEpisodesInARowReuseBoundedSpares() throws Exception {
        int bound = 3;
        AtomicInteger starts = new AtomicInteger();
        Spindle rt = manage(RuntimeTestBase.quiet().workers(1).maxExtraWorkers(bound)
                .onThreadStart(starts::incrementAndGet).build());
        int most = 0;
        for (int i = 0; i < 1_000; i++) {
            int id = i;
            Future<Integer> outer = rt.submit(() -> rt.submit(() -> id).get() + 1);
            assertEquals(id + 1, outer.get(timeoutMs, TimeUnit.MILLISECONDS));
            most = Math.max(most, rt.scheduler().extraWorkersAlive());
        }
        assertTrue(most <= bound, "extras and spares at once: " + most);
        int extras = rt.scheduler().extraWorkersStarted();
        assertTrue(extras >= 1 && extras <= bound, "extra threads started: " + extras);
        assertEquals(1 + extras, starts.get(), "threads started: the worker and the extras, nothing else");
    }

    @Test
    void maxExtraWorkersRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Spindle.builder().maxExtraWorkers(0));
    }

    /** The default stall handler, on a manual clock so that stalls happen when the test says. */
    private Spindle loggingRuntime(ManualClock clock) {
        return manage(Spindle.builder().workers(1).clock(clock).stallThreshold(Duration.ofMillis(100))
                .uncaughtExceptionHandler((t, e) -> { }).stallLogger(recording).build());
    }

    /** Moves the clock in 10 ms steps, letting the monitor look between them, until {@code done}. */
    private static void advanceUntil(Spindle rt, ManualClock clock, java.util.function.BooleanSupplier done) {
        for (int i = 0; i < 1_000 && !done.getAsBoolean(); i++) {
            clock.advance(Duration.ofMillis(10));
            awaitMonitorTicks(rt);
        }
        assertTrue(done.getAsBoolean(), "the monitor never reported");
    }

    @Test
    void aCompensatedBlockedWorkerIsNoWarning() {
        ManualClock clock = new ManualClock();
        Spindle rt = loggingRuntime(clock);
        CountDownLatch childRan = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        rt.execute(() -> {
            rt.execute(childRan::countDown); // queued behind the blocked task: run by an extra
            await(release, "release");
        });
        await(childRan, "the queued task, run elsewhere");
        advanceUntil(rt, clock, () -> at(System.Logger.Level.DEBUG).size() >= 1); // the stall, reported at DEBUG
        release.countDown();
        assertEquals(List.of(), at(System.Logger.Level.WARNING));
        String debug = at(System.Logger.Level.DEBUG).get(0).message;
        assertTrue(debug.contains("blocked"), debug);
    }

    @Test
    void runningStallsWarnOnceThenCountWhatWasLeftOut() {
        ManualClock clock = new ManualClock();
        Spindle rt = loggingRuntime(clock);
        for (int i = 0; i < 3; i++) {
            spinThroughAStall(rt, clock, i + 1);
        }
        List<Entry> warnings = at(System.Logger.Level.WARNING);
        assertEquals(1, warnings.size(), "one warning for three stalls within the interval");
        assertFalse(warnings.get(0).message.contains("\n"), "one line");
        assertNull(warnings.get(0).thrown, "the stack goes to DEBUG, not into the warning");
        clock.advance(Duration.ofSeconds(10)); // past the rate limit
        spinThroughAStall(rt, clock, 4);
        warnings = at(System.Logger.Level.WARNING);
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(1).message.contains("2 more such stalls"), warnings.get(1).message);
        assertEquals(4, at(System.Logger.Level.DEBUG).stream().filter(r -> r.thrown != null).count(),
                "every stack at DEBUG");
    }

    /** A task computes (runnable, never blocked) until the monitor has reported its poll. */
    private void spinThroughAStall(Spindle rt, ManualClock clock, int stacksSoFar) {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        rt.execute(() -> {
            running.countDown();
            while (!stop.get()) {
                Thread.onSpinWait();
            }
            done.countDown();
        });
        await(running, "spinning task");
        advanceUntil(rt, clock, () -> at(System.Logger.Level.DEBUG).size() >= stacksSoFar);
        stop.set(true);
        await(done, "spinning task to end");
    }

    // ------------------------------------------------------------------ shutdown with extras

    /** Runs blocking episodes on a single worker until an extra has parked as a spare. */
    private static void leaveASpare(Spindle rt) throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(1, (int) rt.submit(() -> rt.submit(() -> 1).get()).get(TestSupport.TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS));
        }
        TestSupport.awaitTrue(() -> rt.scheduler().spareWorkers() > 0, "an extra parked as a spare");
    }

    @Test
    void closeWithSparesParkedStopsEveryThread() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger stopped = new AtomicInteger();
        Spindle rt = RuntimeTestBase.quiet().workers(1).onThreadStart(started::incrementAndGet)
                .onThreadStop(stopped::incrementAndGet).build();
        leaveASpare(rt);
        TestSupport.closeWithin(rt);
        assertTrue(rt.isTerminated());
        rt.scheduler().joinWorkers();
        assertEquals(started.get(), stopped.get(), "every thread the runtime started has stopped");
    }

    @Test
    void shutdownNowWithSparesParkedTerminates() throws Exception {
        Spindle rt = RuntimeTestBase.quiet().workers(1).build();
        leaveASpare(rt);
        assertEquals(List.of(), rt.shutdownNow());
        TestSupport.awaitTermination(rt);
        rt.scheduler().joinWorkers();
        assertEquals(0, rt.scheduler().spareWorkers());
    }

    /** A runnable that blocks until released or interrupted, and says whether it ran. */
    private static class Blocker implements Runnable {
        final CountDownLatch release;
        final CountDownLatch started;
        final AtomicInteger runs = new AtomicInteger();

        Blocker(CountDownLatch release, CountDownLatch started) {
            this.release = release;
            this.started = started;
        }

        @Override
        public void run() {
            runs.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                // shutdownNow: stop waiting
            }
        }
    }

    /** One worker blocked, two extras (the bound) blocked too, and more blockers queued. */
    private static List<Blocker> blockEveryThread(Spindle rt, CountDownLatch release, int queued) {
        CountDownLatch threeBlocked = new CountDownLatch(3);
        List<Blocker> all = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch submitted = new CountDownLatch(1);
        Blocker first = new Blocker(release, threeBlocked) {
            @Override
            public void run() {
                for (int i = 0; i < queued; i++) {
                    Blocker b = new Blocker(release, threeBlocked);
                    all.add(b);
                    rt.execute(b); // behind this one, on this worker
                }
                submitted.countDown();
                super.run();
            }
        };
        all.add(first);
        rt.execute(first);
        await(submitted, "blockers queued");
        await(threeBlocked, "the worker and two extras blocked");
        return all;
    }

    @Test
    void shutdownNowWithExtrasMidEpisodeAccountsForEveryTask() {
        Spindle rt = RuntimeTestBase.quiet().workers(1).maxExtraWorkers(2).build();
        CountDownLatch release = new CountDownLatch(1);
        List<Blocker> all = blockEveryThread(rt, release, 10);
        List<Runnable> returned = rt.shutdownNow();
        TestSupport.awaitTermination(rt);
        Set<Runnable> back = Collections.newSetFromMap(new IdentityHashMap<>());
        back.addAll(returned);
        assertEquals(returned.size(), back.size(), "a runnable returned twice");
        int ran = 0;
        for (Blocker b : all) {
            if (back.contains(b)) {
                assertEquals(0, b.runs.get(), "returned and run");
            } else {
                assertEquals(1, b.runs.get(), "neither run nor returned");
                ran++;
            }
        }
        assertTrue(ran >= 3, "the three that were blocked ran: " + ran);
        assertEquals(all.size(), ran + returned.size());
        release.countDown();
    }

    @Test
    void closeWithExtrasMidEpisodeRunsEveryTask() {
        Spindle rt = RuntimeTestBase.quiet().workers(1).maxExtraWorkers(2).build();
        CountDownLatch release = new CountDownLatch(1);
        List<Blocker> all = blockEveryThread(rt, release, 10);
        Thread releaser = TestSupport.start("releaser", () -> {
            TestSupport.awaitTrue(rt::isShutdown, "close started");
            release.countDown();
        });
        TestSupport.closeWithin(rt);
        TestSupport.join(releaser);
        for (Blocker b : all) {
            assertEquals(1, b.runs.get(), "every accepted runnable ran once");
        }
    }
}
