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
            super(home);
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
}
