package dev.spindle;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static dev.spindle.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The requirement: shutdownNow() under load (100,000 queued tasks, 4 submitting threads)
 * returns exactly the tasks that never ran. Two workers; four threads submit 25,000 distinct
 * runnables each; every runnable counts its own runs. Whatever the moment of shutdownNow:
 * <ul>
 *   <li>no task runs twice, and no rejected submission runs or is returned;</li>
 *   <li>returned and ran are disjoint, and together are exactly the accepted tasks;</li>
 *   <li>a returned task never runs, before or after shutdownNow returned;</li>
 *   <li>the executor terminates within the timeout and its worker threads end.</li>
 * </ul>
 * Each moment runs a few rounds, a new executor each; the JDK's fixed pool runs the same checks
 * as the peer, and Spindle runs them once more with 4-slot local queues, where tasks submitted
 * from inside overflow to the injector and get stolen all the time.
 */
abstract class ShutdownNowUnderLoadContract extends ExecutorContractBase {
    static final int WORKERS = 2;
    static final int SUBMITTERS = 4;
    static final int PER_SUBMITTER = 25_000;
    static final int TOTAL = SUBMITTERS * PER_SUBMITTER;
    static final int ROUNDS = 3;

    enum Moment {
        /** Every task queued behind two blocked workers: all 100,000 must come back. */
        QUEUED_BEHIND_BLOCKED_WORKERS,
        /** Everything submitted, workers just released and draining the queues. */
        WHILE_WORKERS_DRAIN,
        /** Submitters halfway through, workers just released: submission, running, draining race. */
        WHILE_SUBMITTING,
        /**
         * The submitters send one task in ten; each of those, when it runs, executes the nine
         * after it from inside (so spawn stacks, local queues and overflow are in play); shutdownNow
         * once the submitters are halfway.
         */
        WHILE_TASKS_SUBMIT_FROM_INSIDE
    }

    static final int FAN_OUT = 10;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Moment.class)
    void shutdownNowReturnsExactlyTheTasksThatNeverRan(Moment moment) {
        for (int round = 0; round < ROUNDS; round++) {
            round(moment, round);
        }
    }

    /** What each task does, and the record it leaves: runs per id, and runs after being returned. */
    final class Ledger {
        final ExecutorService ex;
        final String where;
        final boolean fanOut;
        final AtomicIntegerArray accepted = new AtomicIntegerArray(TOTAL);
        final AtomicIntegerArray runs = new AtomicIntegerArray(TOTAL);
        final AtomicInteger ran = new AtomicInteger();
        final AtomicInteger ranAfterReturned = new AtomicInteger();
        volatile boolean[] returned;

        Ledger(ExecutorService ex, String where, boolean fanOut) {
            this.ex = ex;
            this.where = where;
            this.fanOut = fanOut;
        }

        /**
         * Submits ids {@code from, from + step, ...} below {@code to}, recording each one
         * accepted; once one is rejected, every later one must be too.
         */
        void submit(int from, int to, int step, CountDownLatch halfway) {
            boolean rejected = false;
            for (int id = from; id < to; id += step) {
                if (halfway != null && id == from + (to - from) / 2) {
                    halfway.countDown();
                }
                try {
                    ex.execute(new Task(id));
                    accepted.set(id, 1);
                    if (rejected) {
                        failLater("accepted a task after rejecting one (" + where + ")");
                    }
                } catch (RejectedExecutionException e) {
                    if (!rejected && (e.getMessage() == null || e.getMessage().isBlank())) {
                        failLater("rejection without a message (" + where + ")");
                    }
                    rejected = true;
                }
            }
        }

        final class Task implements Runnable {
            final int id;

            Task(int id) {
                this.id = id;
            }

            @Override
            public void run() {
                runs.incrementAndGet(id);
                ran.incrementAndGet();
                boolean[] r = returned;
                if (r != null && r[id]) {
                    ranAfterReturned.incrementAndGet();
                }
                if (fanOut && id % FAN_OUT == 0) {
                    submit(id + 1, id + FAN_OUT, 1, null);
                }
            }

            @Override
            public String toString() {
                return "task-" + id;
            }
        }
    }

    private void round(Moment moment, int round) {
        String where = moment + " round " + round;
        ExecutorService ex = executor(WORKERS);
        boolean fanOut = moment == Moment.WHILE_TASKS_SUBMIT_FROM_INSIDE;
        Ledger ledger = new Ledger(ex, where, fanOut);

        // Two blockers hold both workers until the gate opens (or shutdownNow interrupts them).
        CountDownLatch blockersRunning = new CountDownLatch(WORKERS);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger blockersInterrupted = new AtomicInteger();
        List<Runnable> blockers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            Runnable blocker = () -> {
                blockersRunning.countDown();
                try {
                    awaitInTask(gate, "the gate");
                } catch (InterruptedException e) {
                    blockersInterrupted.incrementAndGet();
                }
            };
            blockers.add(blocker);
            ex.execute(blocker);
        }
        await(blockersRunning, "both workers blocked (" + where + ")");

        CountDownLatch halfway = new CountDownLatch(SUBMITTERS);
        List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < SUBMITTERS; s++) {
            int from = s * PER_SUBMITTER;
            submitters.add(fork("submitter-" + s,
                    () -> ledger.submit(from, from + PER_SUBMITTER, fanOut ? FAN_OUT : 1, halfway)));
        }

        List<Runnable> returned;
        switch (moment) {
            case QUEUED_BEHIND_BLOCKED_WORKERS:
                joinAll(submitters);
                returned = ex.shutdownNow();
                break;
            case WHILE_WORKERS_DRAIN:
                joinAll(submitters);
                gate.countDown();
                TestSupport.awaitTrue(() -> ledger.ran.get() > 0, "workers running tasks");
                returned = ex.shutdownNow();
                break;
            case WHILE_TASKS_SUBMIT_FROM_INSIDE:
                gate.countDown();
                await(halfway, "submitters halfway");
                returned = ex.shutdownNow();
                joinAll(submitters);
                break;
            case WHILE_SUBMITTING:
                await(halfway, "submitters halfway");
                gate.countDown();
                returned = ex.shutdownNow();
                joinAll(submitters);
                break;
            default:
                throw new AssertionError(moment);
        }

        // Publish what came back, so a returned task that runs from now on says so itself.
        boolean[] returnedIds = new boolean[TOTAL];
        int duplicates = 0;
        int blockersReturned = 0;
        int foreign = 0;
        for (Runnable r : returned) {
            if (r instanceof Ledger.Task) {
                int id = ((Ledger.Task) r).id;
                if (returnedIds[id]) {
                    duplicates++;
                }
                returnedIds[id] = true;
            } else if (blockers.contains(r)) {
                blockersReturned++;
            } else {
                foreign++;
            }
        }
        ledger.returned = returnedIds;

        assertTrue(ex.isShutdown(), where);
        assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }), where);
        awaitTerminated(ex); // terminates within the timeout; worker threads end
        assertTrue(ex.isTerminated(), where);

        assertEquals(0, duplicates, "tasks returned twice (" + where + ")");
        assertEquals(0, blockersReturned, "running tasks returned as never started (" + where + ")");
        assertEquals(0, foreign, "runnables returned that were never submitted (" + where + ")");
        assertEquals(0, ledger.ranAfterReturned.get(), "tasks ran after shutdownNow returned them (" + where + ")");

        int acceptedCount = 0;
        int ranCount = 0;
        List<String> problems = new ArrayList<>();
        for (int id = 0; id < TOTAL; id++) {
            boolean ok = ledger.accepted.get(id) == 1;
            int runs = ledger.runs.get(id);
            boolean back = returnedIds[id];
            if (ok) {
                acceptedCount++;
            }
            ranCount += runs;
            String problem = null;
            if (runs > 1) {
                problem = "ran " + runs + " times";
            } else if (!ok && (runs > 0 || back)) {
                problem = "rejected, yet " + (back ? "returned" : "ran");
            } else if (ok && runs == 1 && back) {
                problem = "ran and was returned";
            } else if (ok && runs == 0 && !back) {
                problem = "accepted, never ran, not returned: lost";
            }
            if (problem != null && problems.size() < 10) {
                problems.add("task-" + id + ": " + problem);
            }
        }
        assertEquals(List.of(), problems, "accounting (" + where + ")");
        assertEquals(acceptedCount, ranCount + returned.size(), "accepted = ran + returned (" + where + ")");

        switch (moment) {
            case QUEUED_BEHIND_BLOCKED_WORKERS:
                assertEquals(TOTAL, acceptedCount, where);
                if (!compensatesBlockedThreads()) {
                    assertEquals(TOTAL, returned.size(), "nothing could start, so everything comes back (" + where + ")");
                } // else extra workers may have run some: the accounting above still holds exactly
                assertEquals(WORKERS, blockersInterrupted.get(), "shutdownNow interrupts running tasks (" + where + ")");
                break;
            case WHILE_WORKERS_DRAIN:
                assertEquals(TOTAL, acceptedCount, where);
                break;
            default:
                break;
        }
    }

    private static void joinAll(List<Thread> threads) {
        for (Thread t : threads) {
            TestSupport.join(t);
        }
    }
}

/** On Spindle. */
class ShutdownNowUnderLoadTest extends ShutdownNowUnderLoadContract {
    @Override
    boolean compensatesBlockedThreads() {
        return true;
    }

    @Override
    ExecutorService newExecutor(int threads, String threadNamePrefix) {
        return spindle(threads, threadNamePrefix);
    }
}

/** On Spindle with 4-slot local queues: spawns from inside overflow, steals hit the edges. */
class ShutdownNowUnderLoadTinyQueuesTest extends ShutdownNowUnderLoadContract {
    @Override
    boolean compensatesBlockedThreads() {
        return true;
    }

    @Override
    ExecutorService newExecutor(int threads, String threadNamePrefix) {
        return RuntimeTestBase.quiet().workers(threads).threadNamePrefix(threadNamePrefix).localQueueCapacity(4)
                .uncaughtExceptionHandler((t, e) -> { }).build();
    }
}

/** The same checks on the JDK's fixed pool, the peer. */
class JdkPoolShutdownNowUnderLoadTest extends ShutdownNowUnderLoadContract {
    @Override
    boolean compensatesBlockedThreads() {
        return true;
    }

    @Override
    ExecutorService newExecutor(int threads, String threadNamePrefix) {
        return jdkFixedPool(threads, threadNamePrefix);
    }
}
