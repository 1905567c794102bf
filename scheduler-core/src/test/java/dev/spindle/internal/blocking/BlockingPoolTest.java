package dev.spindle.internal.blocking;

import dev.spindle.TestSupport;
import dev.spindle.internal.blocking.BlockingPool.Job;
import dev.spindle.internal.blocking.BlockingPool.Submitted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static dev.spindle.TestSupport.TIMEOUT;
import static dev.spindle.TestSupport.await;
import static dev.spindle.TestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The blocking pool: growth to the maximum and queueing beyond it, reuse of idle threads,
 * keep-alive exit and its race with submits, both shutdowns, and job failures and interrupts
 * that must not outlive their job. Every pool made here is shut down and its threads joined
 * after the test; a job's failure (it reaches the listener) or a pool thread's uncaught error
 * fails the test.
 */
class BlockingPoolTest {
    /** Longer than any test: a true awaitThreadsExit then shows the keep-alive was not waited out. */
    private static final long NO_EXPIRY = TimeUnit.HOURS.toNanos(1);

    private final List<BlockingPool> pools = new ArrayList<>();
    private final List<Thread> created = Collections.synchronizedList(new ArrayList<>());
    private final Queue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> thrownByJobs = new ConcurrentLinkedQueue<>();
    private final AtomicLong finished = new AtomicLong();
    /** Runs inside the listener, after the count; lets a test act while a job is still current. */
    private volatile Consumer<Job> onFinished = job -> { };

    private final BlockingPool.Listener listener = (job, thrown) -> {
        if (thrown != null) {
            thrownByJobs.add(thrown);
        }
        finished.incrementAndGet();
        onFinished.accept(job);
    };

    /** Named daemon threads whose uncaught errors fail the test. */
    private final ThreadFactory factory = r -> {
        Thread t = new Thread(r, "blocking-test-" + created.size());
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> uncaught.add(e));
        created.add(t);
        return t;
    };

    private BlockingPool pool(int maxThreads, long keepAliveNanos) {
        return pool(maxThreads, keepAliveNanos, factory);
    }

    private BlockingPool pool(int maxThreads, long keepAliveNanos, ThreadFactory threads) {
        BlockingPool p = new BlockingPool(maxThreads, keepAliveNanos, threads, listener);
        pools.add(p);
        return p;
    }

    @AfterEach
    void shutDownAndJoin() throws InterruptedException {
        for (BlockingPool p : pools) {
            p.shutdownNow();
            if (!p.awaitThreadsExit(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                fail("pool threads did not exit: " + p + "\n" + TestSupport.threadDump());
            }
        }
        synchronized (created) {
            for (Thread t : created) {
                assertFalse(t.isAlive(), t.getName());
            }
        }
        assertNoFailure(thrownByJobs, "a job threw");
        assertNoFailure(uncaught, "a pool thread had an uncaught error");
    }

    private static void assertNoFailure(Queue<Throwable> failures, String what) {
        Throwable first = failures.peek();
        if (first != null) {
            throw new AssertionError(what + " (" + failures.size() + " in all)", first);
        }
    }

    /** A job that counts itself started, waits for {@code release}, then counts itself done. */
    private static Job blocked(CountDownLatch started, CountDownLatch release, CountDownLatch done) {
        return () -> {
            started.countDown();
            await(release, "release");
            done.countDown();
        };
    }

    @Test
    void growsToMaxThenQueuesAndEveryJobFinishes() {
        BlockingPool p = pool(3, NO_EXPIRY);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch threeStarted = new CountDownLatch(3);
        CountDownLatch done = new CountDownLatch(10);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        List<Submitted> outcomes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            outcomes.add(p.submit(() -> {
                mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                ranOn.add(Thread.currentThread());
                threeStarted.countDown();
                await(release, "release");
                running.decrementAndGet();
                done.countDown();
            }));
        }
        List<Submitted> expected = new ArrayList<>(Collections.nCopies(3, Submitted.STARTED_THREAD));
        expected.addAll(Collections.nCopies(7, Submitted.QUEUED));
        assertEquals(expected, outcomes);

        await(threeStarted, "three jobs started");
        assertEquals(3, p.threadsAlive());
        assertEquals(7, p.queueDepth());
        assertEquals(0, p.idleThreads());
        assertEquals(3, created.size());

        release.countDown();
        await(done, "all ten jobs");
        awaitTrue(() -> p.jobsCompleted() == 10, "ten completions");
        assertEquals(3, mostRunning.get());
        assertEquals(3, ranOn.size());
        assertEquals(3, created.size());
        assertEquals(0, p.queueDepth());
        assertEquals(10, finished.get());
    }

    @Test
    void idleThreadIsReusedForSequentialJobs() {
        BlockingPool p = pool(4, NO_EXPIRY);
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            Submitted s = p.submit(() -> {
                ranOn.add(Thread.currentThread());
                ran.countDown();
            });
            assertEquals(i == 0 ? Submitted.STARTED_THREAD : Submitted.HANDED_TO_IDLE, s, "job " + i);
            await(ran, "job " + i);
            awaitTrue(() -> p.idleThreads() == 1, "the thread idle again after job " + i);
        }
        assertEquals(1, created.size());
        assertEquals(1, ranOn.size());
        assertEquals(1, p.threadsAlive());
        assertEquals(20, p.jobsCompleted());
    }

    @Test
    void idleThreadsExitAfterKeepAliveAndThePoolGrowsAgain() throws InterruptedException {
        BlockingPool p = pool(4, TimeUnit.MILLISECONDS.toNanos(50));
        CountDownLatch started = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            assertEquals(Submitted.STARTED_THREAD, p.submit(blocked(started, release, done)));
        }
        await(started, "four jobs started");
        assertEquals(4, p.threadsAlive());
        release.countDown();
        await(done, "four jobs");

        // No shutdown: the threads leave on their own once the keep-alive runs out.
        awaitTrue(() -> p.threadsAlive() == 0, "idle threads to expire");
        assertTrue(p.awaitThreadsExit(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));
        assertEquals(0, p.idleThreads());
        synchronized (created) {
            for (Thread t : created) {
                assertFalse(t.isAlive(), t.getName());
            }
        }

        CountDownLatch again = new CountDownLatch(1);
        assertEquals(Submitted.STARTED_THREAD, p.submit(again::countDown));
        await(again, "a job after every thread expired");
        assertEquals(5, created.size());
    }

    /**
     * Keep-alive of one millisecond and submits at random moments around it, from several
     * threads: many submits meet a thread that is just deciding to exit. Every job must run
     * exactly once.
     */
    @Test
    void submitsRacingKeepAliveExpiryRunEveryJobExactlyOnce() throws InterruptedException {
        BlockingPool p = pool(2, TimeUnit.MILLISECONDS.toNanos(1));
        int submitters = 3;
        int perSubmitter = 600;
        int total = submitters * perSubmitter;
        AtomicIntegerArray runs = new AtomicIntegerArray(total);
        CountDownLatch allRan = new CountDownLatch(total);
        Map<Submitted, AtomicInteger> outcomes = new EnumMap<>(Submitted.class);
        for (Submitted s : Submitted.values()) {
            outcomes.put(s, new AtomicInteger());
        }
        Thread[] threads = new Thread[submitters];
        for (int s = 0; s < submitters; s++) {
            int base = s * perSubmitter;
            SplittableRandom rnd = new SplittableRandom(42 + s);
            threads[s] = TestSupport.start("submitter-" + s, () -> {
                for (int j = 0; j < perSubmitter; j++) {
                    int id = base + j;
                    LockSupport.parkNanos(rnd.nextLong(TimeUnit.MILLISECONDS.toNanos(2)));
                    Submitted outcome = p.submit(() -> {
                        runs.incrementAndGet(id);
                        allRan.countDown();
                    });
                    outcomes.get(outcome).incrementAndGet();
                }
            });
        }
        for (Thread t : threads) {
            TestSupport.join(t);
        }
        await(allRan, "every job to run (outcomes " + outcomes + ", " + p + ")");
        p.shutdown();
        assertTrue(p.awaitThreadsExit(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));
        for (int id = 0; id < total; id++) {
            assertEquals(1, runs.get(id), "runs of job " + id);
        }
        assertEquals(total, p.jobsCompleted());
        assertEquals(total, finished.get());
    }

    /**
     * One submitter, one thread, keep-alive of one millisecond: each job is submitted at a
     * random moment around the thread's expiry and must run before the next is submitted, so a
     * job stranded by an exiting thread has no later submit to rescue it and times the test out.
     */
    @Test
    void aJobSubmittedAsTheLastThreadExpiresIsNeverStranded() {
        BlockingPool p = pool(1, TimeUnit.MILLISECONDS.toNanos(1));
        SplittableRandom rnd = new SplittableRandom(7);
        Map<Submitted, Integer> outcomes = new EnumMap<>(Submitted.class);
        for (int round = 0; round < 1500; round++) {
            LockSupport.parkNanos(rnd.nextLong(TimeUnit.MILLISECONDS.toNanos(2)));
            CountDownLatch ran = new CountDownLatch(1);
            outcomes.merge(p.submit(ran::countDown), 1, Integer::sum);
            int r = round;
            await(ran, "job of round " + r + " (outcomes so far " + outcomes + ", " + p + ")");
        }
        awaitTrue(() -> p.jobsCompleted() == 1500, "1500 completions"); // counted after the job returns
    }

    @Test
    void shutdownRejectsNewJobsRunsQueuedOnesAndThreadsExit() throws InterruptedException {
        BlockingPool p = pool(2, NO_EXPIRY);
        CountDownLatch started = new CountDownLatch(6);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            p.submit(blocked(started, release, done));
        }
        awaitTrue(() -> started.getCount() == 4, "two jobs started");
        p.shutdown();
        assertTrue(p.isShutdown());
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> p.submit(() -> { }));
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains("shut down"), e.getMessage());
        assertEquals(4, p.queueDepth());

        release.countDown();
        await(done, "the running and the queued jobs");
        // The keep-alive is an hour: exiting within the test timeout means it was not waited out.
        assertTrue(p.awaitThreadsExit(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS), p::toString);
        assertEquals(0, p.threadsAlive());
        assertEquals(0, p.queueDepth());
        assertEquals(6, p.jobsCompleted());
    }

    @Test
    void shutdownWakesIdleThreadsWhichExitAtOnce() {
        BlockingPool p = pool(3, NO_EXPIRY);
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            p.submit(blocked(started, release, done));
        }
        release.countDown();
        await(done, "three jobs");
        awaitTrue(() -> p.idleThreads() == 3, "three idle threads");

        p.shutdown();
        Thread joiner = TestSupport.start("joiner", () -> {
            try {
                p.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        TestSupport.join(joiner);
        assertEquals(0, p.threadsAlive());
        assertEquals(0, p.idleThreads());
    }

    @Test
    void shutdownNowReturnsExactlyTheNeverStartedJobsAndInterruptsRunningOnes() throws InterruptedException {
        BlockingPool p = pool(2, NO_EXPIRY);
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            p.submit(() -> {
                started.countDown();
                try {
                    if (!never.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        fail("a running job was not interrupted");
                    }
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            });
        }
        await(started, "two running jobs");
        AtomicInteger queuedRan = new AtomicInteger();
        List<Job> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Job j = queuedRan::incrementAndGet;
            queued.add(j);
            assertEquals(Submitted.QUEUED, p.submit(j));
        }

        List<Job> returned = p.shutdownNow();
        assertEquals(queued, returned); // the same objects, in submission order
        await(interrupted, "both running jobs interrupted");
        assertTrue(p.awaitThreadsExit(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS), p::toString);
        assertEquals(0, queuedRan.get());
        assertEquals(2, p.jobsCompleted());
        assertEquals(0, p.queueDepth());
        assertThrows(RejectedExecutionException.class, () -> p.submit(() -> { }));
        assertTrue(p.shutdownNow().isEmpty());
    }

    @Test
    void aThrowingJobDoesNotKillItsThread() {
        BlockingPool p = pool(1, NO_EXPIRY);
        RuntimeException boom = new IllegalStateException("boom");
        Error error = new Error("boom, an Error");
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<Thread> last = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        p.submit(() -> {
            first.set(Thread.currentThread());
            throw boom;
        });
        p.submit(() -> {
            throw error;
        });
        p.submit(() -> {
            last.set(Thread.currentThread());
            ran.countDown();
        });
        await(ran, "the job after two failures");
        awaitTrue(() -> p.jobsCompleted() == 3, "three completions");
        assertEquals(List.of(boom, error), drain(thrownByJobs));
        assertSame(first.get(), last.get());
        assertEquals(1, created.size());
        assertEquals(1, p.threadsAlive());
    }

    @Test
    void aThrowingListenerGoesToTheUncaughtHandlerAndTheThreadLivesOn() {
        BlockingPool p = pool(1, NO_EXPIRY);
        RuntimeException boom = new IllegalStateException("listener boom");
        onFinished = job -> {
            throw boom;
        };
        CountDownLatch ran = new CountDownLatch(2);
        p.submit(ran::countDown);
        p.submit(ran::countDown);
        await(ran, "two jobs");
        awaitTrue(() -> p.jobsCompleted() == 2, "two completions");
        assertEquals(List.of(boom, boom), drain(uncaught));
        assertEquals(1, created.size());
    }

    @Test
    void anInterruptLeftByAQueuedJobDoesNotReachTheNextOne() {
        BlockingPool p = pool(1, NO_EXPIRY);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean(true);
        p.submit(() -> {
            await(gate, "gate");
            Thread.currentThread().interrupt();
        });
        assertEquals(Submitted.QUEUED, p.submit(() -> {
            sawInterrupt.set(Thread.currentThread().isInterrupted());
            ran.countDown();
        }));
        gate.countDown();
        await(ran, "the next job");
        assertFalse(sawInterrupt.get());
        assertEquals(1, created.size());
    }

    @Test
    void anInterruptLeftByAJobDoesNotEndTheIdleWaitNorReachTheNextJob() {
        BlockingPool p = pool(1, NO_EXPIRY);
        p.submit(() -> Thread.currentThread().interrupt());
        awaitTrue(() -> p.idleThreads() == 1 && p.jobsCompleted() == 1, "the thread idle after the interrupting job");
        CountDownLatch ran = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean(true);
        assertEquals(Submitted.HANDED_TO_IDLE, p.submit(() -> {
            sawInterrupt.set(Thread.currentThread().isInterrupted());
            ran.countDown();
        }));
        await(ran, "the next job");
        assertFalse(sawInterrupt.get());
        assertEquals(1, created.size());
        assertEquals(1, p.threadsAlive());
    }

    @Test
    void interruptIfRunningReachesOnlyTheJobItNames() {
        BlockingPool p = pool(1, NO_EXPIRY);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Job sleeper = () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                fail("not interrupted");
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        };
        p.submit(sleeper);
        await(started, "the sleeping job");
        assertTrue(p.interruptIfRunning(sleeper));
        await(interrupted, "the interrupt");
        awaitTrue(() -> p.jobsCompleted() == 1, "the interrupted job to complete");
        assertFalse(p.interruptIfRunning(sleeper));

        // An interrupt sent after a job returned (while the listener runs, the job is still
        // current) is cleared before the queued job behind it starts.
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean(true);
        AtomicBoolean lateInterruptSent = new AtomicBoolean();
        Job first = () -> await(gate, "gate");
        onFinished = job -> {
            if (job == first) {
                lateInterruptSent.set(p.interruptIfRunning(first));
            }
        };
        p.submit(first);
        assertEquals(Submitted.QUEUED, p.submit(() -> {
            sawInterrupt.set(Thread.currentThread().isInterrupted());
            ran.countDown();
        }));
        gate.countDown();
        await(ran, "the job after the late interrupt");
        assertTrue(lateInterruptSent.get());
        assertFalse(sawInterrupt.get());
    }

    @Test
    void awaitThreadsExitOnAPoolThreadIsRefused() {
        BlockingPool p = pool(1, NO_EXPIRY);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        p.submit(() -> {
            try {
                p.awaitThreadsExit(1, TimeUnit.NANOSECONDS);
            } catch (IllegalStateException | InterruptedException e) {
                refused.set(e);
            }
            ran.countDown();
        });
        await(ran, "the job");
        assertInstanceOf(IllegalStateException.class, refused.get());
    }

    @Test
    void aThreadThatCannotStartWithNoneAliveRejectsTheJob() {
        BlockingPool p = pool(2, NO_EXPIRY, r -> null);
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> p.submit(() -> { }));
        assertNotNull(e.getCause());
        assertEquals(0, p.queueDepth());
        assertEquals(0, p.threadsAlive());
    }

    @Test
    void aThreadThatCannotStartWithOthersAliveQueuesTheJob() {
        AtomicInteger calls = new AtomicInteger();
        BlockingPool p = pool(2, NO_EXPIRY, r -> calls.getAndIncrement() == 0 ? factory.newThread(r) : null);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        assertEquals(Submitted.STARTED_THREAD, p.submit(blocked(started, release, done)));
        await(started, "the first job");
        assertEquals(Submitted.QUEUED, p.submit(done::countDown));
        assertEquals(1, p.threadsAlive());
        release.countDown();
        await(done, "both jobs on the one thread");
        assertEquals(1, created.size());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new BlockingPool(0, 0, factory, listener));
        assertThrows(IllegalArgumentException.class, () -> new BlockingPool(1, -1, factory, listener));
        assertThrows(NullPointerException.class, () -> new BlockingPool(1, 0, null, listener));
        assertThrows(NullPointerException.class, () -> new BlockingPool(1, 0, factory, null));
    }

    private static List<Throwable> drain(Queue<Throwable> q) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable t; (t = q.poll()) != null; ) {
            out.add(t);
        }
        return out;
    }
}
