package dev.spindle;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.spindle.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@link ExecutorService} contract, JSR-166-test style, written from the documented
 * behaviour and run on a Spindle runtime and on the JDK's fixed thread pool alike: a test that
 * passes on both is written against the contract, not against either implementation. Extends
 * {@link ExecutorServiceConformanceTest} (which checks the plain cases on Spindle only) with
 * work from inside tasks, interrupt hygiene, what invokeAll/invokeAny cancel, and the life cycle.
 */
abstract class ExecutorContract extends ExecutorContractBase {

    // ------------------------------------------------------------------ execute and submit

    /** Four outside threads execute and submit; each of those tasks executes and submits a child. */
    @Test
    void executeAndSubmitFromOutsideThreadsAndFromInsideTasks() throws Exception {
        ExecutorService ex = executor(2);
        int threads = 4;
        int perThread = 500;
        AtomicInteger outer = new AtomicInteger();
        AtomicInteger executedChildren = new AtomicInteger();
        AtomicInteger submittedChildren = new AtomicInteger();
        Queue<Future<?>> futures = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(threads * perThread * 2); // outer + executed child
        Runnable task = () -> {
            outer.incrementAndGet();
            ex.execute(() -> {
                executedChildren.incrementAndGet();
                done.countDown();
            });
            futures.add(ex.submit(submittedChildren::incrementAndGet));
            done.countDown();
        };
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            submitters.add(fork("submitter-" + t, () -> {
                for (int i = 0; i < perThread; i++) {
                    if (i % 2 == 0) {
                        ex.execute(task);
                    } else {
                        futures.add(ex.submit(task));
                    }
                }
            }));
        }
        for (Thread t : submitters) {
            TestSupport.join(t);
        }
        await(done, "every task and executed child");
        for (Future<?> f : futures) {
            f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        assertEquals(threads * perThread, outer.get());
        assertEquals(threads * perThread, executedChildren.get());
        assertEquals(threads * perThread, submittedChildren.get());
    }

    /**
     * A task submits work and waits for it while another worker is free: the child must reach
     * that worker (it may not sit behind its blocked parent forever). invokeAll too.
     */
    @Test
    void aTaskCanSubmitAndWaitForWorkThatAnotherWorkerRuns() throws Exception {
        ExecutorService ex = executor(2);
        for (int round = 0; round < 20; round++) {
            Future<String> parent = ex.submit(() -> ex.submit(() -> "child").get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            assertEquals("child", parent.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            Future<Integer> all = ex.submit(() -> {
                List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
                int sum = 0;
                for (Future<Integer> f : ex.invokeAll(tasks)) {
                    sum += f.get();
                }
                return sum;
            });
            assertEquals(6, all.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
    }

    // ------------------------------------------------------------------ outcomes

    /** Whatever a task throws (checked, unchecked, an Error) comes back as that very instance. */
    @Test
    void getThrowsExecutionExceptionCausedByTheTasksOwnThrowable() throws Exception {
        ExecutorService ex = executor(2);
        List<Throwable> thrown = List.of(new IOException("checked"), new IllegalStateException("unchecked"),
                new AssertionError("an error"), new Exception("plain"));
        for (Throwable boom : thrown) {
            Future<Object> f = ex.submit(() -> {
                throw sneaky(boom);
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            assertSame(boom, e.getCause(), "the cause is the thrown instance");
            assertTrue(f.isDone());
            assertFalse(f.isCancelled());
            // Untimed get too, now that it is done.
            assertSame(boom, assertThrows(ExecutionException.class, f::get).getCause());
        }
        RuntimeException fromRunnable = new UnsupportedOperationException("runnable");
        Future<?> r = ex.submit((Runnable) () -> {
            throw fromRunnable;
        });
        assertSame(fromRunnable, assertThrows(ExecutionException.class, () -> r.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).getCause());
        // invokeAll keeps each task's failure in its own future, in order.
        IllegalArgumentException second = new IllegalArgumentException("second");
        List<Future<String>> out = ex.invokeAll(List.of(() -> "first", () -> {
            throw second;
        }, () -> "third"));
        assertEquals("first", out.get(0).get());
        assertSame(second, assertThrows(ExecutionException.class, () -> out.get(1).get()).getCause());
        assertEquals("third", out.get(2).get());
        // A plain runnable that throws does not stop the executor.
        for (int i = 0; i < 10; i++) {
            ex.execute(() -> {
                throw new IllegalStateException("thrown by an executed runnable");
            });
        }
        assertEquals("alive", ex.submit(() -> "alive").get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void cancelFalseDoesNotInterruptTheRunningTask() throws Exception {
        ExecutorService ex = executor(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        Future<?> f = ex.submit(() -> {
            running.countDown();
            try {
                awaitInTask(release, "release");
                seen.set(Thread.currentThread().isInterrupted() ? "interrupt flag set" : "no interrupt");
            } catch (InterruptedException e) {
                seen.set("interrupted");
            }
        });
        await(running, "task running");
        assertTrue(f.cancel(false));
        assertTrue(f.isCancelled());
        assertTrue(f.isDone());
        assertThrows(CancellationException.class, () -> f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertFalse(f.cancel(true), "a second cancel fails");
        release.countDown();
        ex.submit(() -> { }).get(TIMEOUT_MS, TimeUnit.MILLISECONDS); // one worker: f's body is over
        assertEquals("no interrupt", seen.get(), "cancel(false) went on running the task untouched");
    }

    /**
     * cancel(true) interrupts a running task; the interrupt ends with that task, however the task
     * left its flag (ignored and still set, re-asserted after catching, set while throwing), and
     * never reaches the next task on the same thread.
     */
    @Test
    void cancelTrueInterruptsTheRunningTaskAndTheInterruptStopsThere() throws Exception {
        ExecutorService ex = executor(1);
        int checked = 0;
        for (int round = 0; checked < 30; round++) {
            assertTrue(round < 300, "only " + checked + " of 300 victims ran on the executor's own thread");
            int kind = checked % 3;
            CountDownLatch running = new CountDownLatch(1);
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            AtomicBoolean sawInterrupt = new AtomicBoolean();
            Future<?> victim = ex.submit(() -> {
                ranOn.set(Thread.currentThread());
                running.countDown();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
                switch (kind) {
                    case 0: // ignores it: spins until interrupted, returns with the flag still set
                        while (!Thread.currentThread().isInterrupted() && System.nanoTime() - deadline < 0) {
                            Thread.onSpinWait();
                        }
                        sawInterrupt.set(Thread.currentThread().isInterrupted());
                        return null;
                    case 1: // catches it and re-asserts it, as the idiom says
                        try {
                            new CountDownLatch(1).await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            sawInterrupt.set(true);
                            Thread.currentThread().interrupt();
                        }
                        return null;
                    default: // fails with the flag set
                        try {
                            new CountDownLatch(1).await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            sawInterrupt.set(true);
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted", e);
                        }
                        return null;
                }
            });
            await(running, "victim running");
            assertTrue(victim.cancel(true));
            assertTrue(victim.isCancelled());
            if (compensatesBlockedThreads() && !workerThreads(ex).contains(ranOn.get())) {
                // The victim ran on a thread added while an earlier victim blocked; such a
                // thread may park for good once idle, so no later task need reach it. This
                // round checks only the interrupt; the leak is checked on the executor's own.
                TestSupport.awaitTrue(sawInterrupt::get, "cancel(true) interrupted the victim on an added thread");
                continue;
            }
            checked++;
            // The next tasks check the flag wherever they run. One of them must run on the
            // victim's thread: a compensating executor may run some on a thread it added while
            // the victim looked blocked, so submit until one lands there.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            Thread next;
            do {
                next = ex.submit(() -> {
                    if (Thread.interrupted()) {
                        failLater("the interrupt of a cancel(true) leaked into the next task (kind " + kind + ")");
                    }
                    return Thread.currentThread();
                }).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } while (next != ranOn.get() && System.nanoTime() - until < 0);
            assertSame(ranOn.get(), next, "a task after the victim ran on the victim's thread");
            assertTrue(sawInterrupt.get(), "cancel(true) interrupted the running task (kind " + kind + ")");
        }
    }

    /** cancel(true) at a random moment around the task's end: the interrupt never outlives it. */
    @Test
    void cancelTrueRacingWithCompletionNeverLeaksTheInterrupt() throws Exception {
        ExecutorService ex = executor(1);
        AtomicInteger leaks = new AtomicInteger();
        Callable<Void> checker = () -> {
            if (Thread.interrupted()) {
                leaks.incrementAndGet();
            }
            return null;
        };
        for (int round = 0; round < 300; round++) {
            int spins = ThreadLocalRandom.current().nextInt(2_000);
            CountDownLatch started = new CountDownLatch(1);
            Future<?> f = ex.submit(() -> {
                started.countDown();
                for (int i = 0; i < spins; i++) {
                    Thread.onSpinWait();
                }
            });
            await(started, "task started");
            Future<Void> next = ex.submit(checker); // runs after f, on the same thread
            for (int i = ThreadLocalRandom.current().nextInt(2_000); i > 0; i--) {
                Thread.onSpinWait();
            }
            f.cancel(true);
            next.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        assertEquals(0, leaks.get(), "tasks that found the interrupt of an earlier task's cancel(true)");
    }

    /** A task that leaves its own interrupt flag set (returning or throwing) does not pass it on. */
    @Test
    void aTaskThatInterruptsItselfDoesNotInterruptTheNextOne() throws Exception {
        ExecutorService ex = executor(1);
        // Each check is submitted once the task before it has reached its end, so on the one
        // thread it is the very next task (the order of queued tasks is not promised).
        CountDownLatch ending = new CountDownLatch(1);
        ex.execute(() -> {
            Thread.currentThread().interrupt();
            ending.countDown();
        });
        await(ending, "runnable ending");
        assertFalse(ex.submit(Thread::interrupted).get(TIMEOUT_MS, TimeUnit.MILLISECONDS), "after a runnable");
        CountDownLatch failing = new CountDownLatch(1);
        ex.execute(() -> {
            Thread.currentThread().interrupt();
            failing.countDown();
            throw new IllegalStateException("throws with its flag set");
        });
        await(failing, "runnable failing");
        assertFalse(ex.submit(Thread::interrupted).get(TIMEOUT_MS, TimeUnit.MILLISECONDS), "after a failure");
        Future<?> self = ex.submit(() -> Thread.currentThread().interrupt());
        self.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertFalse(ex.submit(Thread::interrupted).get(TIMEOUT_MS, TimeUnit.MILLISECONDS), "after a submitted task");
    }

    /**
     * Cancelled before it starts, with or without interrupt: the task never runs, and the task
     * that is running meanwhile is not interrupted.
     */
    @Test
    void cancelledBeforeStartNeverRunsAndDoesNotInterruptTheRunningTask() throws Exception {
        ExecutorService ex = executor(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> blocker = ex.submit(() -> {
            running.countDown();
            try {
                awaitInTask(release, "release");
            } catch (InterruptedException e) {
                return "interrupted";
            }
            return Thread.currentThread().isInterrupted() ? "interrupt flag set" : "untouched";
        });
        await(running, "blocker running");
        AtomicInteger cancelledRan = new AtomicInteger();
        AtomicInteger keptRan = new AtomicInteger();
        List<Future<?>> cancelled = new ArrayList<>();
        List<Future<?>> kept = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (i % 3 == 2) {
                kept.add(ex.submit(keptRan::incrementAndGet));
            } else {
                Future<?> f = ex.submit(cancelledRan::incrementAndGet);
                assertTrue(f.cancel(i % 3 == 0), "cancel(" + (i % 3 == 0) + ") of a queued task");
                cancelled.add(f);
            }
        }
        release.countDown();
        assertEquals("untouched", blocker.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        for (Future<?> f : kept) {
            f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        ex.submit(() -> { }).get(TIMEOUT_MS, TimeUnit.MILLISECONDS); // one thread: all queued before it are done
        assertEquals(0, cancelledRan.get(), "a cancelled task ran");
        assertEquals(kept.size(), keptRan.get());
        for (Future<?> f : cancelled) {
            assertTrue(f.isDone() && f.isCancelled());
            assertThrows(CancellationException.class, f::get);
        }
    }

    // ------------------------------------------------------------------ invokeAll / invokeAny

    /**
     * A task for the one-thread cancellation tests: blocks until interrupted, records that, then
     * keeps the thread until {@code hold} opens, so that the cancelling call has cancelled all
     * it means to before the thread can take another task (the JDK cancels in a loop, and a
     * freed worker could otherwise start the next task between two cancels).
     */
    private Callable<String> blockerUntilInterrupted(AtomicInteger started, AtomicInteger interrupted,
                                                     CountDownLatch hold) {
        return () -> {
            started.incrementAndGet();
            try {
                new CountDownLatch(1).await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                failLater("a blocked task was never interrupted");
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                awaitInTask(hold, "the cancelling call to return");
            }
            return "blocked";
        };
    }

    /**
     * A timed invokeAll whose deadline passes returns every future done: the ones not finished
     * are cancelled, the running one is interrupted, a cancelled one never starts. (No order
     * between queued tasks is promised, so tasks queued after the blocker may have run before it.)
     */
    @Test
    void timedInvokeAllThatTimesOutCancelsTheRest() throws Exception {
        ExecutorService ex = executor(1);
        AtomicInteger slowStarted = new AtomicInteger();
        AtomicInteger slowInterrupted = new AtomicInteger();
        CountDownLatch returned = new CountDownLatch(1);
        AtomicInteger startedAfterReturn = new AtomicInteger();
        List<Callable<String>> tasks = new ArrayList<>();
        tasks.add(() -> "fast");
        tasks.add(blockerUntilInterrupted(slowStarted, slowInterrupted, returned));
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> {
                if (returned.getCount() == 0) {
                    startedAfterReturn.incrementAndGet();
                }
                return "queued";
            });
        }
        List<Future<String>> out = ex.invokeAll(tasks, 200, TimeUnit.MILLISECONDS);
        returned.countDown();
        assertEquals(tasks.size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            Future<String> f = out.get(i);
            assertTrue(f.isDone(), "future " + i + " done");
            if (i == 1) {
                assertTrue(f.isCancelled(), "the blocked task's future is cancelled");
            } else if (!f.isCancelled()) {
                assertEquals(i == 0 ? "fast" : "queued", f.get(), "future " + i);
            }
        }
        // Waits for the blocker itself: a no-op submitted now may run on a thread added for the
        // blocked one (compensation) before the blocker has seen its interrupt.
        TestSupport.awaitTrue(() -> slowStarted.get() == slowInterrupted.get(), "the running task was interrupted");
        ex.submit(() -> { }).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertEquals(0, startedAfterReturn.get(), "tasks cancelled by invokeAll started");
    }

    /** invokeAll interrupted while waiting throws, and cancels (interrupting) what it started. */
    @Test
    void interruptedInvokeAllCancelsItsTasks() throws Exception {
        for (boolean timed : new boolean[] {false, true}) {
            ExecutorService ex = executor(1);
            AtomicInteger started = new AtomicInteger();
            AtomicInteger interrupted = new AtomicInteger();
            CountDownLatch thrown = new CountDownLatch(1);
            AtomicInteger startedAfterInterrupt = new AtomicInteger();
            AtomicBoolean interruptSent = new AtomicBoolean();
            List<Callable<String>> tasks = new ArrayList<>();
            tasks.add(blockerUntilInterrupted(started, interrupted, thrown));
            for (int i = 0; i < 5; i++) {
                tasks.add(() -> {
                    if (interruptSent.get()) {
                        startedAfterInterrupt.incrementAndGet();
                    }
                    return "queued";
                });
            }
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread caller = fork("invokeAll-caller", () -> {
                try {
                    if (timed) {
                        ex.invokeAll(tasks, TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    } else {
                        ex.invokeAll(tasks);
                    }
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            TestSupport.awaitTrue(() -> started.get() == 1, "the blocker running");
            caller.interrupt();
            TestSupport.join(caller);
            // Counted from invokeAll's return on: a task that started while the interrupt was on
            // its way is fine (a compensating executor may run queued tasks beside the blocker).
            interruptSent.set(true);
            thrown.countDown();
            assertInstanceOf(InterruptedException.class, outcome.get(), "timed=" + timed);
            // The blocker itself, not a no-op that a thread added for it (compensation) may run first.
            TestSupport.awaitTrue(() -> interrupted.get() == 1, "the running task was interrupted (timed=" + timed + ")");
            ex.submit(() -> { }).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertEquals(0, startedAfterInterrupt.get(), "tasks of an interrupted invokeAll started (timed=" + timed + ")");
        }
    }

    /** Once one task succeeds, invokeAny cancels the others: the running one is interrupted. */
    @Test
    void invokeAnyCancelsTheOthersOnceOneSucceeds() throws Exception {
        ExecutorService ex = executor(2);
        for (boolean timed : new boolean[] {false, true}) {
            CountDownLatch slowRunning = new CountDownLatch(1);
            CountDownLatch slowInterrupted = new CountDownLatch(1);
            List<Callable<String>> tasks = List.of(() -> {
                slowRunning.countDown();
                try {
                    new CountDownLatch(1).await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    slowInterrupted.countDown();
                }
                return "slow";
            }, () -> {
                // Finish only once the slow one runs, so invokeAny has a running task to cancel.
                awaitInTask(slowRunning, "slow task running");
                return "fast";
            });
            String result = timed ? ex.invokeAny(tasks, TIMEOUT_MS, TimeUnit.MILLISECONDS) : ex.invokeAny(tasks);
            assertEquals("fast", result);
            await(slowInterrupted, "the losing task to be interrupted (timed=" + timed + ")");
        }
    }

    /** A timed invokeAny that times out cancels what it started: the running task is interrupted. */
    @Test
    void timedInvokeAnyThatTimesOutCancelsItsTasks() throws Exception {
        ExecutorService ex = executor(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        CountDownLatch thrown = new CountDownLatch(1);
        Callable<String> stuck = blockerUntilInterrupted(started, interrupted, thrown);
        assertThrows(TimeoutException.class, () -> ex.invokeAny(List.of(stuck, stuck), 100, TimeUnit.MILLISECONDS));
        thrown.countDown();
        ex.submit(() -> { }).get(TIMEOUT_MS, TimeUnit.MILLISECONDS); // the thread is past the tasks
        if (!compensatesBlockedThreads()) {
            // One blocked thread: the second task can only have started after the cancel.
            assertTrue(started.get() <= 1, "the second task started after invokeAny cancelled it");
        } else {
            // An extra worker may run the second one, and see its interrupt a moment later.
            TestSupport.awaitTrue(() -> started.get() == interrupted.get(), "every started task interrupted");
        }
        assertEquals(started.get(), interrupted.get(), "a started task was left running");
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * shutdown: rejects new work from outside (every submitting method) and from inside a task,
     * with a message; work accepted before it still runs; then the executor terminates and its
     * threads end. The life-cycle queries say so at each step.
     */
    @Test
    void shutdownRejectsNewWorkRunsAcceptedWorkThenTerminates() throws Exception {
        ExecutorService ex = executor(2);
        assertFalse(ex.isShutdown());
        assertFalse(ex.isTerminated());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch shutDown = new CountDownLatch(1);
        AtomicReference<Throwable> insideRejection = new AtomicReference<>();
        ex.execute(() -> {
            running.countDown();
            try {
                if (!awaitInTask(shutDown, "shutdown")) {
                    return;
                }
            } catch (InterruptedException e) {
                failLater("shutdown() interrupted a running task");
                return;
            }
            try {
                ex.execute(() -> failLater("a task submitted from inside after shutdown ran"));
                failLater("execute from inside a task after shutdown was accepted");
            } catch (RejectedExecutionException e) {
                insideRejection.set(e);
            }
        });
        await(running, "task running");
        AtomicInteger queuedRan = new AtomicInteger();
        int queued = 1_000;
        for (int i = 0; i < queued; i++) {
            ex.execute(queuedRan::incrementAndGet);
        }
        ex.shutdown();
        assertTrue(ex.isShutdown());
        assertFalse(ex.isTerminated(), "a task still runs");
        assertFalse(ex.awaitTermination(0, TimeUnit.MILLISECONDS));
        assertFalse(ex.awaitTermination(-1, TimeUnit.SECONDS));
        assertFalse(ex.awaitTermination(Long.MIN_VALUE, TimeUnit.NANOSECONDS));
        assertRejectsEverything(ex);
        shutDown.countDown();
        awaitTerminated(ex);
        assertTrue(ex.isShutdown());
        assertTrue(ex.isTerminated());
        assertTrue(ex.awaitTermination(0, TimeUnit.MILLISECONDS));
        assertTrue(ex.awaitTermination(-1, TimeUnit.SECONDS));
        assertEquals(queued, queuedRan.get(), "work accepted before shutdown ran");
        assertHasMessage(insideRejection.get());
        assertRejectsEverything(ex);
        ex.shutdown(); // idempotent
        assertTrue(ex.isTerminated());
        assertEquals(List.of(), ex.shutdownNow(), "nothing left to return");
    }

    private void assertRejectsEverything(ExecutorService ex) {
        AtomicInteger ran = new AtomicInteger();
        assertHasMessage(assertThrows(RejectedExecutionException.class, () -> ex.execute(ran::incrementAndGet)));
        assertThrows(RejectedExecutionException.class, () -> ex.submit(ran::incrementAndGet));
        assertThrows(RejectedExecutionException.class, () -> ex.submit((Runnable) ran::incrementAndGet));
        assertThrows(RejectedExecutionException.class, () -> ex.submit(ran::incrementAndGet, 1));
        assertThrows(RejectedExecutionException.class, () -> ex.invokeAll(List.of(ran::incrementAndGet)));
        assertThrows(RejectedExecutionException.class,
                () -> ex.invokeAll(List.of(ran::incrementAndGet), TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertThrows(RejectedExecutionException.class, () -> ex.invokeAny(List.of(ran::incrementAndGet)));
        assertThrows(RejectedExecutionException.class,
                () -> ex.invokeAny(List.of(ran::incrementAndGet), TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertEquals(0, ran.get(), "a rejected task ran");
    }

    private static void assertHasMessage(Throwable e) {
        assertNotNull(e);
        assertNotNull(e.getMessage(), "rejection message");
        assertFalse(e.getMessage().isBlank(), "rejection message");
    }

    /** shutdown from inside a task: the task finishes, queued work runs, the executor terminates. */
    @Test
    void shutdownFromInsideATask() throws Exception {
        ExecutorService ex = executor(2);
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Future<Boolean> f = ex.submit(() -> {
            awaitInTask(go, "go");
            ex.shutdown();
            try {
                ex.execute(ran::incrementAndGet);
                return false;
            } catch (RejectedExecutionException e) {
                return ex.isShutdown() && !ex.isTerminated();
            }
        });
        for (int i = 0; i < 100; i++) {
            ex.execute(ran::incrementAndGet);
        }
        go.countDown();
        assertTrue(f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS), "rejected inside, shut down, not terminated while running");
        awaitTerminated(ex);
        assertEquals(100, ran.get());
    }

    /** A thread blocked in awaitTermination returns true once the last task ends. */
    @Test
    void awaitTerminationReturnsWhenTheLastTaskEnds() throws Exception {
        ExecutorService ex = executor(2);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ex.execute(() -> {
            running.countDown();
            try {
                awaitInTask(release, "release");
            } catch (InterruptedException e) {
                failLater("interrupted");
            }
        });
        await(running, "task running");
        ex.shutdown();
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread waiter = fork("awaiter", () -> result.set(ex.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS)));
        TestSupport.awaitTrue(() -> waiter.getState() == Thread.State.TIMED_WAITING, "awaiter blocked");
        assertNull(result.get(), "awaitTermination returned while a task runs");
        release.countDown();
        TestSupport.join(waiter);
        assertEquals(Boolean.TRUE, result.get());
        assertTrue(ex.isTerminated());
        joinWorkers(ex);
    }

    /** awaitTermination by an interrupted thread throws InterruptedException, and clears the flag. */
    @Test
    void awaitTerminationIsInterruptible() {
        ExecutorService ex = executor(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> ex.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertFalse(Thread.interrupted(), "the flag was consumed by the exception");
        ex.shutdown();
        Thread.currentThread().interrupt();
        try {
            // Shut down and idle: terminates; whether this call saw the interrupt first or the
            // termination first, it does not hang.
            ex.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException expected) {
            // fine
        } finally {
            Thread.interrupted();
        }
        awaitTerminated(ex);
    }

    /** An executor shut down while idle terminates, and its threads end. */
    @Test
    void idleExecutorShutDownTerminates() throws Exception {
        ExecutorService ex = executor(2);
        ex.submit(() -> { }).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ex.shutdown();
        awaitTerminated(ex);
        for (Thread t : workerThreads(ex)) {
            assertFalse(t.isAlive(), t.getName());
        }
        ExecutorService idle = executor(2);
        assertEquals(List.of(), idle.shutdownNow(), "nothing queued");
        assertTrue(idle.isShutdown());
        awaitTerminated(idle);
    }

    // ------------------------------------------------------------------ shutdownNow

    /**
     * shutdownNow interrupts the running tasks and returns exactly the accepted tasks that never
     * started (the runnables given to execute, the futures submit returned), none of which runs
     * afterwards.
     */
    @Test
    void shutdownNowInterruptsRunningTasksAndReturnsExactlyTheQueuedOnes() throws Exception {
        ExecutorService ex = executor(2);
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            ex.execute(() -> {
                running.countDown();
                try {
                    new CountDownLatch(1).await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    failLater("a running task was not interrupted by shutdownNow");
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            });
        }
        await(running, "both workers busy");
        // Queued behind two blocked workers. A compensating executor (Spindle) may run some of
        // them on an added thread before shutdownNow: each is then either returned or run.
        Map<Runnable, AtomicInteger> queued = new IdentityHashMap<>();
        for (int i = 0; i < 300; i++) {
            AtomicInteger runs = new AtomicInteger();
            Runnable r = runs::incrementAndGet;
            switch (i % 3) {
                case 0:
                    ex.execute(r);
                    queued.put(r, runs);
                    break;
                case 1:
                    queued.put((Runnable) ex.submit(r), runs); // the future is the task queued
                    break;
                default:
                    queued.put((Runnable) ex.submit(runs::incrementAndGet), runs);
                    break;
            }
        }
        List<Runnable> returned = ex.shutdownNow();
        assertTrue(ex.isShutdown());
        Set<Runnable> returnedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        returnedSet.addAll(returned);
        assertEquals(returned.size(), returnedSet.size(), "a task returned twice");
        assertTrue(queued.keySet().containsAll(returnedSet), "shutdownNow returned a task it was never given");
        await(interrupted, "running tasks interrupted");
        assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
        awaitTerminated(ex);
        for (Map.Entry<Runnable, AtomicInteger> e : queued.entrySet()) {
            assertEquals(returnedSet.contains(e.getKey()) ? 0 : 1, e.getValue().get(),
                    "shutdownNow returns exactly the tasks that never started; the others ran once");
        }
    }

    /** After shutdown, shutdownNow still returns what has not started, and interrupts. */
    @Test
    void shutdownNowAfterShutdownReturnsWhatIsStillQueued() throws Exception {
        ExecutorService ex = executor(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        ex.execute(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        await(running, "worker busy");
        AtomicInteger ran = new AtomicInteger();
        List<Runnable> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Runnable r = ran::incrementAndGet;
            queued.add(r);
            ex.execute(r);
        }
        ex.shutdown();
        List<Runnable> returned = ex.shutdownNow();
        Set<Runnable> returnedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        returnedSet.addAll(returned);
        assertEquals(queued.size(), returned.size());
        assertTrue(returnedSet.containsAll(queued));
        await(interrupted, "running task interrupted");
        awaitTerminated(ex);
        assertEquals(0, ran.get());
    }

    /** shutdownNow called by a task: the caller's own thread is interrupted too, the queue returned. */
    @Test
    void shutdownNowFromInsideATask() throws Exception {
        ExecutorService ex = executor(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        Future<List<Runnable>> f = ex.submit(() -> {
            running.countDown();
            awaitInTask(go, "go");
            List<Runnable> returned = ex.shutdownNow();
            if (!Thread.interrupted()) {
                failLater("shutdownNow did not interrupt the task that called it");
            }
            return returned;
        });
        await(running, "task running"); // the ten below queue behind it
        List<Runnable> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Runnable r = ran::incrementAndGet;
            queued.add(r);
            ex.execute(r);
        }
        go.countDown();
        List<Runnable> returned = f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Set<Runnable> returnedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        returnedSet.addAll(returned);
        assertEquals(10, returned.size());
        assertTrue(returnedSet.containsAll(queued));
        awaitTerminated(ex);
        assertEquals(0, ran.get());
    }
}

/** The contract on a Spindle runtime. */
class ExecutorContractTest extends ExecutorContract {
    @Override
    boolean compensatesBlockedThreads() {
        return true;
    }

    @Override
    ExecutorService newExecutor(int threads, String threadNamePrefix) {
        return spindle(threads, threadNamePrefix);
    }

    /** close() waits for the worker threads themselves: none is alive when it returns. */
    @Test
    void closeReturnsOnlyOnceEveryWorkerThreadHasEnded() {
        Spindle rt = (Spindle) executor(2);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1_000; i++) {
            rt.execute(ran::incrementAndGet);
        }
        TestSupport.closeWithin(rt);
        assertEquals(1_000, ran.get());
        assertTrue(rt.isTerminated());
        for (Thread t : workerThreads(rt)) {
            assertFalse(t.isAlive(), t.getName() + " still alive after close()");
        }
    }
}

/** The same contract on the JDK's fixed pool: proof that each test checks the contract. */
class JdkPoolExecutorContractTest extends ExecutorContract {
    @Override
    ExecutorService newExecutor(int threads, String threadNamePrefix) {
        return jdkFixedPool(threads, threadNamePrefix);
    }
}
