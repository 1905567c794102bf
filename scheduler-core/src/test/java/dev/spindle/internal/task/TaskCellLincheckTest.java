package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.internal.task.TaskHarness.AborterThread;
import dev.spindle.internal.task.TaskHarness.BridgeThread;
import dev.spindle.internal.task.TaskHarness.CountingWaker;
import dev.spindle.internal.task.TaskHarness.JoinerThread;
import dev.spindle.internal.task.TaskHarness.Probe;
import dev.spindle.internal.task.TaskHarness.WakerThread;
import dev.spindle.internal.task.TaskHarness.WorkerThread;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import static dev.spindle.LincheckSupport.check;
import static dev.spindle.LincheckSupport.startAndJoin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of the task state machine (package notes of {@code internal.task}; DESIGN.md,
 * "Task state"). Each scenario starts a few threads around one {@link TaskHarness}, and
 * Lincheck's model checker runs the scenario many times, each time under a different
 * interleaving: it switches threads at shared accesses, including the compare-and-sets inside
 * {@link TaskCell}. The harness fails at once on a double enqueue, a concurrent poll, or a poll
 * of a complete or aborted task; each scenario then checks the outcome once its threads are
 * joined. A failure prints the interleaving that broke the invariant.
 *
 * <p>Lincheck explores under sequential consistency, so these tests cover the protocol, not
 * the choice of memory-access modes.
 *
 * <p>Scenario threads report a broken invariant through the harness, and the scenario's own
 * thread asserts on it after joining them: Lincheck's interleaving table then ends at that
 * assertion, and the "Detailed trace" below it shows every step of every thread.
 *
 * <p>Current behaviour: {@value dev.spindle.LincheckSupport#INVOCATIONS} interleavings per scenario (each of the
 * deliberately broken protocols tried while writing this test failed within 300);
 * {@code mvn -Dspindle.lincheck.invocations=N} runs more.
 */
class TaskCellLincheckTest {



    /**
     * Once the scenario's threads are joined and the queue drained: nothing is queued, and a
     * task still waiting is idle and its latest poll started after the last wake (no lost
     * wake-up), with at most one extra poll per wake (a wake buys one more poll, not two).
     */
    private static void assertSettled(TaskHarness h, Probe t, int selfWakes) {
        assertNull(h.violation());
        assertFalse(h.isQueued(), "queued after the drain");
        int wakes = h.wakes.get();
        if (!t.isFinished()) {
            assertEquals(0, t.stateForTests() & ~TaskCell.ESCAPED,
                    () -> "an unfinished task in no queue must be IDLE, but is "
                    + TaskCell.describe(t.stateForTests()) + " (NOTIFIED: stranded, a wake-up was lost)");
            assertEquals(wakes, t.wakesSeen, "a wake-up was lost: no poll started after the last wake");
        }
        int polls = t.polls.get();
        assertTrue(polls <= 1 + wakes + selfWakes,
                () -> polls + " polls for " + wakes + " wakes and " + selfWakes + " self-wakes");
    }

    /**
     * Wakes arriving while the task is queued, running, or idle: each is seen by a later poll,
     * the task is never queued twice, and a wake while already queued costs no extra poll.
     */
    @Test
    void wakeWhileQueuedRunningOrIdleIsNeverLost() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            Probe t = h.spawn(0, false);
            startAndJoin(new WorkerThread(h, 2), new WakerThread(h, t, 2));
            h.drain();
            assertSettled(h, t, 0);
        });
    }

    /**
     * Two workers compete for the task (its home and a thief) while another thread wakes it and
     * the task yields once (wakes itself during its first poll, as a spent budget does): still
     * never queued twice, never polled by both workers at once, and no wake is lost.
     */
    @Test
    void twoWorkersAWakerAndAYieldNeverDoubleQueueOrDoublePoll() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            Probe t = h.spawn(0, true);
            startAndJoin(new WorkerThread(h, 2), new WorkerThread(h, 2), new WakerThread(h, t, 1));
            h.drain();
            assertSettled(h, t, 1);
        });
    }

    /**
     * An abort racing a task that yields: the yield requeues the task still marked RUNNING
     * without any atomic operation, so the abort can only leave CANCELLED on it; the dequeue
     * that follows must see that and cancel rather than poll.
     */
    @Test
    void abortRacingASelfRequeuedTaskEndsCancelled() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            Probe t = h.spawn(0, true);
            AborterThread aborter = new AborterThread(h, t);
            startAndJoin(new WorkerThread(h, 2), aborter);
            h.drain();
            assertNull(h.violation());
            assertTrue(aborter.requested);
            assertTrue(t.isCancelled(), "an aborted task must end cancelled");
        });
    }

    /**
     * An abort racing a poll and a wake, on a task that would wait forever: the task ends
     * cancelled; it is never polled after being dequeued with the abort already returned
     * (checked in the harness); it is never queued twice; its handle and its CompletableFuture
     * report cancellation.
     */
    @Test
    void abortRacingPollAndWakeEndsCancelled() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            Probe t = h.spawn(0, false);
            AborterThread aborter = new AborterThread(h, t);
            startAndJoin(new WorkerThread(h, 2), aborter, new WakerThread(h, t, 1));
            h.drain();
            assertNull(h.violation());
            assertTrue(aborter.requested,
                    "the first abort of an unfinished task must report that it requested cancellation");
            assertTrue(t.isFinished(), "an aborted task must be completed by a worker");
            assertTrue(t.isCancelled());
            assertThrows(CancellationException.class, () -> t.poll(Context.of(new CountingWaker(), 1)));
            assertTrue(t.toCompletableFuture().isCancelled());
            assertFalse(t.abort(), "aborting a finished task does nothing");
        });
    }

    /**
     * An abort racing the poll that completes the task: either the poll wins (the handle has
     * the value) or the abort does (the task is never polled, the handle reports cancellation);
     * an abort that answered false found the task finished; every face reports the same outcome.
     */
    @Test
    void abortRacingACompletingPollHasOneOutcome() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            Probe t = h.spawn(1, false);
            CompletableFuture<String> early = t.toCompletableFuture();
            AborterThread aborter = new AborterThread(h, t);
            startAndJoin(new WorkerThread(h, 1), aborter);
            h.drain();
            assertNull(h.violation());
            assertTrue(t.isFinished());
            if (t.isCancelled()) {
                assertTrue(aborter.requested, "cancelled although abort() answered that it was too late");
                assertEquals(0, t.polls.get(), "cancelled after a poll that returned ready");
                assertThrows(CancellationException.class, () -> t.poll(Context.of(new CountingWaker(), 1)));
                assertTrue(early.isCancelled());
            } else {
                assertEquals(1, t.polls.get());
                assertEquals("done", t.poll(Context.of(new CountingWaker(), 1)).value());
                assertEquals("done", early.getNow(null));
            }
        });
    }

    /**
     * A joiner that polls the handle twice with different wakers (the handle moved to another
     * task) while the CompletableFuture is asked for and the task completes: the waker and the
     * promise share one field, and the promise takes over the waker it replaces, so the waker of
     * a poll that answered pending is woken whichever of the three got there first, and the
     * future is completed.
     */
    @Test
    void aJoinWakerReplacedWhileThePromiseIsInstalledIsStillWoken() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            Probe t = h.spawn(1, false);
            MovingJoiner joiner = new MovingJoiner(t);
            BridgeThread bridge = new BridgeThread(t);
            startAndJoin(new WorkerThread(h, 1), joiner, bridge);
            assertNull(h.violation());
            assertTrue(t.isFinished());
            if (joiner.second.isPending()) {
                assertEquals(1, joiner.secondWaker.woken.get(), "the waker of the last pending poll was not woken");
            } else {
                assertEquals("done", joiner.second.value());
            }
            assertEquals("done", t.poll(Context.of(new CountingWaker(), 1)).value());
            assertEquals("done", bridge.future.getNow(null),
                    "a CompletableFuture asked for during completion was left pending");
        });
    }

    /** Polls a handle with one waker, then with another. */
    private static final class MovingJoiner extends Thread {
        private final Probe t;
        final CountingWaker firstWaker = new CountingWaker();
        final CountingWaker secondWaker = new CountingWaker();
        volatile dev.spindle.Poll<String> first;
        volatile dev.spindle.Poll<String> second;

        MovingJoiner(Probe t) {
            this.t = t;
        }

        @Override
        public void run() {
            first = t.poll(Context.of(firstWaker, 128));
            second = t.poll(Context.of(secondWaker, 128));
        }
    }

    /**
     * A join (another task polling the handle) racing the poll that completes the task: a
     * joiner that got pending had its waker registered in time to be woken, and then finds the
     * value; a CompletableFuture asked for at the same moment is completed too.
     */
    @Test
    void joinWakerRegisteredDuringCompletionIsWoken() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            Probe t = h.spawn(1, false);
            JoinerThread joiner = new JoinerThread(t);
            BridgeThread bridge = new BridgeThread(t);
            startAndJoin(new WorkerThread(h, 1), joiner, bridge);
            assertNull(h.violation());
            assertTrue(t.isFinished());
            assertNotNull(joiner.answer);
            if (joiner.answer.isPending()) {
                assertEquals(1, joiner.waker.woken.get(), "a join waker registered during completion was not woken");
                assertEquals("done", t.poll(Context.of(joiner.waker, 128)).value());
            } else {
                assertEquals("done", joiner.answer.value());
            }
            assertEquals("done", bridge.future.getNow(null),
                    "a CompletableFuture asked for during completion was left pending");
        });
    }

    /**
     * A join racing the abort of a waiting task and the worker that then cancels it: the task
     * is not polled again, a joiner that got pending is woken, and the handle then reports
     * cancellation.
     */
    @Test
    void joinWakerRegisteredDuringAbortIsWokenAndSeesCancellation() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            Probe t = h.spawn(0, false);
            h.runOnce(h.newContext()); // first poll: pending, so the task is now idle, waiting for a wake
            JoinerThread joiner = new JoinerThread(t);
            startAndJoin(joiner, new AborterThread(h, t), new WorkerThread(h, 1));
            h.drain();
            assertNull(h.violation());
            assertTrue(t.isCancelled());
            assertEquals(1, t.polls.get(), "an aborted waiting task was polled again");
            if (joiner.answer != null) { // null: the joiner already saw the cancellation
                assertTrue(joiner.answer.isPending(), "the handle of an aborted task returned a value");
                assertEquals(1, joiner.waker.woken.get(), "a join waker registered during the abort was not woken");
            }
            assertThrows(CancellationException.class, () -> t.poll(Context.of(joiner.waker, 128)));
        });
    }

    /**
     * The cell keeps its home and its joiner in one field: a join (a poll of the handle, and a
     * CompletableFuture asked for) racing a worker that moves the task's home as its poll
     * leaves the task waiting. Neither is lost: the home is the worker that polled last,
     * whichever put its value in first, and once the task finishes the joiner that got pending
     * is woken and the future completes.
     */
    @Test
    void aJoinRacingAMoveOfTheHomeLosesNeither() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            TaskHome a = h.newHome();
            TaskHome b = h.newHome();
            Probe t = h.spawn(3, false);
            h.runOnce(h.newContext(a)); // first poll, on worker A: pending, idle; its home is A
            assertSame(a, t.home());
            h.wake(t); // queued for worker B
            JoinerThread joiner = new JoinerThread(t);
            BridgeThread bridge = new BridgeThread(t);
            startAndJoin(new WorkerThread(h, b, 1), joiner, bridge); // second poll, on B: pending
            assertNull(h.violation());
            assertFalse(t.isFinished());
            assertSame(b, t.home(), "the move to the worker that polled last was lost");
            h.wake(t);
            assertTrue(h.runOnce(h.newContext(b))); // third poll: done
            assertNull(h.violation());
            assertTrue(t.isFinished());
            assertNotNull(joiner.answer);
            if (joiner.answer.isPending()) {
                assertEquals(1, joiner.waker.woken.get(), "a join waker registered during the move was not woken");
            }
            assertEquals("done", t.poll(Context.of(joiner.waker, 128)).value());
            assertEquals("done", bridge.future.getNow(null), "a CompletableFuture asked for during the move was left pending");
        });
    }

    /**
     * The idle logs keep no field in the cell: a waiting task must be listed by the log of its
     * home, since another log that listed it drops it at its next compaction once the home moved
     * away. Two core workers poll a task that yields at its first two polls and then waits,
     * while another thread wakes it twice, so that it moves between them in every order and a
     * wake may claim it between its yields: whenever it is left waiting, its home's log lists it.
     */
    @Test
    void aWaitingTaskIsListedByItsHomesLogWhereverItMoved() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            TaskHome a = h.newHome();
            TaskHome b = h.newHome();
            PollContext onA = h.newContext(a);
            PollContext onB = h.newContext(b);
            Probe t = h.spawn(0, 2, a);
            startAndJoin(new WorkerThread(h, onA, 2), new WorkerThread(h, onB, 2), new WakerThread(h, t, 2));
            h.drain(onB);
            assertSettled(h, t, 2);
            assertFalse(t.isFinished());
            PollContext home = t.home() == a ? onA : onB;
            assertTrue(t.home() == a || t.home() == b, "polled only on A and B, but its home is elsewhere");
            assertTrue(TaskHarness.lists(home.log(), t),
                    home == onA ? "a waiting task is not listed by its home's log (A)" : "a waiting task is not listed by its home's log (B)");
        });
    }

    /**
     * The same, on the worker the task was spawned on, which is its home from the start: a
     * task that yields twice while a wake from another thread reaches it is claimed between
     * its yields, and is listed before it waits all the same.
     */
    @Test
    void aTaskClaimedBetweenItsYieldsIsListedBeforeItWaits() {
        check(() -> {
            TaskHarness h = new TaskHarness();
            TaskHome a = h.newHome();
            PollContext onA = h.newContext(a);
            Probe t = h.spawn(0, 2, a);
            startAndJoin(new WorkerThread(h, onA, 3), new WakerThread(h, t, 1));
            h.drain(onA);
            assertSettled(h, t, 2);
            assertTrue(TaskHarness.lists(onA.log(), t), "a waiting task is not listed by its home's log");
        });
    }
}
