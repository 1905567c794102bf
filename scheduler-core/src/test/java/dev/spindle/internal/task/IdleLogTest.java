package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Poll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idle log's compaction: it keeps every task that may still wait on it (a core worker's
 * log: those whose home is still that worker), so that an abort of the logs reaches them all,
 * and stays bounded by the tasks alive on it, duplicates included.
 */
class IdleLogTest {
    /** A worker, as a task's home: it queues what the aborts hand it. */
    private static final class Home implements TaskHome, TaskScheduler {
        final List<TaskCell<?>> scheduled;

        Home(List<TaskCell<?>> scheduled) {
            this.scheduled = scheduled;
        }

        @Override
        public TaskScheduler scheduler() {
            return this;
        }

        @Override
        public void schedule(TaskCell<?> task) {
            scheduled.add(task);
        }
    }

    /** A task that only sits in logs; the test finishes, moves and aborts it by hand. */
    private static final class Cell extends TaskCell<Void> {
        Cell(TaskHome home) {
            super(home, "cell");
        }

        @Override
        protected Poll<Void> pollTask(Context cx) {
            return Poll.ready(null);
        }

        @Override
        public Object body() {
            return "cell";
        }
    }

    /** Makes {@code t} idle (as after a pending poll), so that an abort has to queue it. */
    private static void idle(Cell t) {
        assertEquals(TaskCell.ToIdle.IDLE, t.transitionToIdle(false, false, true));
    }

    /** Finishes {@code t} the way a wake, its dequeue and a last ready poll do. */
    private static void finish(Cell t) {
        assertEquals(TaskCell.ToNotified.SUBMIT, t.transitionToNotified());
        t.transitionToRunning();
        t.completeWith(null);
    }

    /** Every task in {@code scheduled} once, and exactly the tasks of {@code live}. */
    private static void assertEachQueuedOnce(List<? extends TaskCell<?>> live, List<TaskCell<?>> scheduled) {
        assertEquals(live.size(), scheduled.size(), "every live task is aborted and queued, once");
        Map<TaskCell<?>, Boolean> seen = new IdentityHashMap<>();
        for (TaskCell<?> t : scheduled) {
            assertTrue(seen.put(t, Boolean.TRUE) == null, "queued twice");
            assertTrue(live.contains(t), "a finished task was queued");
        }
    }

    @Test
    void finishedTasksAreDroppedWithoutGrowingAndTheLiveOnesAreStillAborted() {
        List<TaskCell<?>> scheduled = new ArrayList<>();
        Home here = new Home(scheduled);
        IdleLog log = new IdleLog(here);
        List<Cell> live = new ArrayList<>();
        // Ten thousand tasks pass through, one in a hundred still idle at the end.
        for (int i = 0; i < 10_000; i++) {
            Cell t = new Cell(here);
            idle(t);
            log.add(t);
            if (i % 100 == 0) {
                live.add(t);
            } else {
                finish(t);
            }
        }
        assertTrue(log.sizeForTests() <= 2 * 64 + live.size(),
                "the log holds " + log.sizeForTests() + " entries for " + live.size() + " live tasks");
        log.abortAll();
        assertEachQueuedOnce(live, scheduled);
    }

    @Test
    void tasksMovingBetweenTwoWorkersGrowNeitherLogAndAreAbortedOnce() {
        List<TaskCell<?>> scheduled = new ArrayList<>();
        Home a = new Home(scheduled);
        Home b = new Home(scheduled);
        IdleLog logA = new IdleLog(a);
        IdleLog logB = new IdleLog(b);
        List<Cell> live = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Cell t = new Cell(a);
            idle(t);
            logA.add(t); // its first wait
            live.add(t);
        }
        // Every task moves between the two workers 500 times, listed again by each on arrival
        // (what run() does): compactions drop the copies of tasks whose home is now the other.
        for (int round = 0; round < 500; round++) {
            for (Cell t : live) {
                assertTrue(t.moveHome(b));
                logB.add(t);
                assertFalse(t.moveHome(b), "a task polled again where it lives has not moved");
                assertTrue(t.moveHome(a));
                logA.add(t);
            }
        }
        assertTrue(logA.sizeForTests() <= 128, "log A holds " + logA.sizeForTests() + " entries for 40 tasks");
        assertTrue(logB.sizeForTests() <= 128, "log B holds " + logB.sizeForTests() + " entries for 40 tasks");
        logA.abortAll();
        logB.abortAll();
        assertEachQueuedOnce(live, scheduled);
    }

    @Test
    void aTaskThatMovedAwayIsLeftToItsNewHomesLog() {
        List<TaskCell<?>> scheduled = new ArrayList<>();
        Home a = new Home(scheduled);
        Home b = new Home(scheduled);
        IdleLog logA = new IdleLog(a);
        IdleLog logB = new IdleLog(b);
        List<Cell> moved = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Cell t = new Cell(a);
            idle(t);
            logA.add(t);
            assertTrue(t.moveHome(b));
            logB.add(t);
            moved.add(t);
        }
        // Enough finished tasks through log A to compact it: the moved ones go with them.
        for (int i = 0; i < 100; i++) {
            Cell t = new Cell(a);
            idle(t);
            logA.add(t);
            finish(t);
        }
        logA.abortAll();
        assertTrue(scheduled.isEmpty(), "log A kept tasks that live on B: " + scheduled.size());
        logB.abortAll();
        assertEachQueuedOnce(moved, scheduled);
    }

    @Test
    void theExtrasLogKeepsWhatItListsUntilItFinishesWhereverItsHome() {
        List<TaskCell<?>> scheduled = new ArrayList<>();
        Home a = new Home(scheduled);
        IdleLog shared = new IdleLog(null);
        List<Cell> live = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            // First waits on an extra, which leaves the home (worker A) as it was.
            Cell t = new Cell(a);
            idle(t);
            shared.add(t);
            if (i % 100 == 0) {
                live.add(t);
            } else {
                finish(t);
            }
        }
        assertTrue(shared.sizeForTests() <= 2 * 64 + live.size(), "the log holds " + shared.sizeForTests() + " entries");
        shared.abortAll();
        assertEachQueuedOnce(live, scheduled);
    }
}
