package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.Waker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.spindle.internal.task.TaskCell.ESCAPED;
import static dev.spindle.internal.task.TaskCell.NOTIFIED;
import static dev.spindle.internal.task.TaskCell.RUNNING;
import static dev.spindle.internal.task.TaskCell.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state word through a task's first wait, step by step on one thread (the model checks in
 * {@link TaskCellLincheckTest} cover the races): handing the waker out costs the poll nothing,
 * and the one compare-and-set at its end leaves the task idle and marked, so the next wake
 * claims it.
 */
class TaskCellTest {

    /** Hands its waker out on every poll, records the word at that moment, and is ready on the second poll. */
    private static final class Recorder extends TaskCell<String> {
        final List<Integer> wordAtHandOut = new ArrayList<>();
        /** Run on another thread during the first poll, after the hand-out (null: nothing). */
        Runnable duringFirstPoll;
        Waker waker;
        int polls;

        Recorder(TaskHome home) {
            super(home, "recorder");
        }

        @Override
        protected Poll<String> pollTask(Context cx) {
            waker = cx.waker();
            wordAtHandOut.add(stateForTests());
            if (++polls == 1 && duringFirstPoll != null) {
                Thread other = new Thread(duringFirstPoll, "foreign-waker");
                other.start();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return polls == 2 ? Poll.ready("done") : Poll.pending();
        }

        @Override
        public Object body() {
            return "recorder";
        }
    }

    @Test
    void aFirstPollThatHandsItsWakerOutIsNotClaimedAndGoesIdleMarkedEscaped() {
        TaskHarness h = new TaskHarness();
        Recorder t = new Recorder(h);
        h.schedule(t); // a spawn: born NOTIFIED, queued by its spawner
        PollContext cx = h.newContext();

        assertTrue(h.runOnce(cx));
        assertEquals(describe(NOTIFIED), describe(t.wordAtHandOut.get(0)),
                "handing the waker out claimed the task (an atomic operation the poll does not need)");
        assertEquals(describe(ESCAPED), describe(t.stateForTests()), "idle after the first wait, marked as having handed its waker out");
        assertFalse(h.isQueued());

        t.waker.wake(); // this thread polls nothing: an ordinary wake
        assertTrue(h.isQueued(), "the wake of an idle task queues it");
        assertEquals(describe(ESCAPED | RUNNING), describe(t.stateForTests()), "queued claimed for its dequeuer");

        assertTrue(h.runOnce(cx));
        assertEquals(describe(ESCAPED | RUNNING), describe(t.wordAtHandOut.get(1)), "the second poll holds RUNNING");
        assertTrue(t.isFinished());
        assertEquals("done", t.poll(Context.of(t.waker, 1)).value());
        assertNull(h.violation());
    }

    @Test
    void aWakeDuringThatUnclaimedPollMakesItRunOnceMore() {
        TaskHarness h = new TaskHarness();
        Recorder t = new Recorder(h);
        t.duringFirstPoll = () -> t.waker.wake();
        h.schedule(t);
        PollContext cx = h.newContext();

        assertTrue(h.runOnce(cx));
        assertTrue(h.isQueued(), "the poll that a wake reached must run again, not go idle");
        assertEquals(describe(NOTIFIED | ESCAPED), describe(t.stateForTests()));

        assertTrue(h.runOnce(cx));
        assertEquals(describe(ESCAPED | RUNNING), describe(t.wordAtHandOut.get(1)), "the rerun is claimed");
        assertTrue(t.isFinished());
        assertEquals(2, t.polls);
        assertNull(h.violation());
    }

    /** The tasks {@code log} lists, each as often as it is listed. */
    private static List<TaskCell<?>> listed(IdleLog log) {
        List<TaskCell<?>> tasks = new ArrayList<>();
        log.forEachRacy(tasks::add);
        return tasks;
    }

    /**
     * No log field in the cell: a task is listed by the log of the worker it waits on at its
     * first wait and whenever its home moves, once, and not by a guest (an extra) that polls it
     * while its home's log lists it.
     */
    @Test
    void aTaskIsListedWhereItFirstWaitsAndAgainWhereverItsHomeMoves() {
        TaskHarness h = new TaskHarness();
        TaskHome a = h.newHome();
        TaskHome b = h.newHome();
        PollContext onA = h.newContext(a);
        PollContext onB = h.newContext(b);
        PollContext guest = h.newContext();
        TaskHarness.Probe t = h.spawn(0, false); // never ready

        assertTrue(h.runOnce(onA));
        assertSame(a, t.home());
        assertEquals(List.of(t), listed(onA.log()), "its first wait lists it where it waits");

        h.wake(t);
        assertTrue(h.runOnce(onA));
        assertEquals(List.of(t), listed(onA.log()), "waiting again at home lists it no second time");

        h.wake(t);
        assertTrue(h.runOnce(onB));
        assertSame(b, t.home());
        assertEquals(List.of(t), listed(onB.log()), "its first wait on another worker lists it there");

        h.wake(t);
        assertTrue(h.runOnce(guest));
        assertSame(b, t.home(), "a guest leaves the home as it was");
        assertEquals(List.of(), listed(guest.log()), "a guest lists a task that its home's log lists");
        assertNull(h.violation());
    }

    /**
     * The home moves only for a task that goes on waiting: a task that finishes in its poll
     * elsewhere (spawned from outside, or stolen) keeps the home it had, since no wake can
     * queue it any more, and so skips the compare-and-set of a move.
     */
    @Test
    void aTaskThatFinishesInItsPollKeepsItsHome() {
        TaskHarness h = new TaskHarness();
        TaskHome a = h.newHome();
        TaskHome b = h.newHome();
        TaskHarness.Probe t = h.spawn(2, false);

        assertTrue(h.runOnce(h.newContext(a)));
        assertSame(a, t.home(), "a task that waits moves to the worker that polled it");
        h.wake(t);
        assertTrue(h.runOnce(h.newContext(b)));
        assertTrue(t.isFinished());
        assertSame(a, t.home(), "the task finished in its poll on B, so its home stayed A");
        assertNull(h.violation());
    }

    /**
     * Polls pending three times, waking itself in the first two (yields): in the first, a
     * wake from another thread also reaches it, so the second poll is claimed (not queued
     * RUNNING) and the third is queued RUNNING.
     */
    private static final class YieldsTwiceThenWaits extends TaskCell<String> {
        int polls;

        YieldsTwiceThenWaits(TaskHome home) {
            super(home, "yields twice, then waits");
        }

        @Override
        protected Poll<String> pollTask(Context cx) {
            Waker w = cx.waker();
            if (++polls == 1) {
                Thread other = new Thread(w::wake, "foreign-waker");
                other.start();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            if (polls <= 2) {
                w.wake(); // on the polling thread: a yield
            }
            return Poll.pending();
        }

        @Override
        public Object body() {
            return "yields twice, then waits";
        }
    }

    @Test
    void aTaskThatYieldsUntilAWakeClaimsItIsListedBeforeItWaits() throws InterruptedException {
        TaskHarness h = new TaskHarness();
        TaskHome a = h.newHome();
        PollContext onA = h.newContext(a);
        YieldsTwiceThenWaits t = new YieldsTwiceThenWaits(a);
        h.schedule(t);
        TaskHarness.WorkerThread worker = new TaskHarness.WorkerThread(h, onA, 3);
        worker.start();
        worker.join();
        assertEquals(3, t.polls);
        assertTrue(t.waitsForWake(), "idle after its third poll: " + t);
        assertEquals(List.of(t), listed(onA.log()), "a task waiting on worker A is not listed by A's log");
        assertNull(h.violation());
    }
}
