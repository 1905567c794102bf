package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Poll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idle log's compaction: it keeps every task that may still wait on it, so that an abort of
 * the log reaches them all, and stays bounded by the tasks alive on it, duplicates included.
 */
class IdleLogTest {
    /** A task that only sits in logs; the test finishes and aborts it by hand. */
    private static final class Cell extends TaskCell<Void> {
        final List<TaskCell<?>> scheduled;

        Cell(List<TaskCell<?>> scheduled) {
            super(() -> scheduled::add);
            this.scheduled = scheduled;
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

    @Test
    void finishedTasksAreDroppedWithoutGrowingAndTheLiveOnesAreStillAborted() {
        List<TaskCell<?>> scheduled = new ArrayList<>();
        IdleLog log = new IdleLog(false);
        List<Cell> live = new ArrayList<>();
        // Ten thousand tasks pass through, one in a hundred still idle at the end.
        for (int i = 0; i < 10_000; i++) {
            Cell t = new Cell(scheduled);
            idle(t);
            log.add(t);
            if (i % 100 == 0) {
                live.add(t);
            } else {
                assertEquals(TaskCell.ToNotified.SUBMIT, t.transitionToNotified()); // a wake,
                t.transitionToRunning(); // its dequeue,
                t.completeWith(null); // and its last poll
            }
        }
        assertTrue(log.sizeForTests() <= 2 * 64 + live.size(),
                "the log holds " + log.sizeForTests() + " entries for " + live.size() + " live tasks");
        log.abortAll();
        assertEquals(live.size(), scheduled.size(), "every live task is aborted and queued, once");
        Map<TaskCell<?>, Boolean> seen = new IdentityHashMap<>();
        for (TaskCell<?> t : scheduled) {
            assertTrue(seen.put(t, Boolean.TRUE) == null, "queued twice");
            assertTrue(live.contains(t), "a finished task was queued");
        }
    }

    @Test
    void aTaskListedOverAndOverDoesNotGrowTheLog() {
        List<TaskCell<?>> scheduled = new ArrayList<>();
        IdleLog here = new IdleLog(false);
        IdleLog there = new IdleLog(false);
        List<Cell> live = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Cell t = new Cell(scheduled);
            idle(t);
            live.add(t);
        }
        // Every task moves between two workers 500 times: each return lists it here again, and
        // compactions here find copies of the tasks that came back since, all still its own.
        for (int round = 0; round < 500; round++) {
            for (Cell t : live) {
                there.add(t);
                here.add(t);
            }
        }
        assertTrue(here.sizeForTests() <= 128, "the log holds " + here.sizeForTests() + " entries for 40 tasks");
        here.abortAll();
        there.abortAll();
        assertEquals(40, scheduled.size(), "every task is aborted and queued once");
    }
}
