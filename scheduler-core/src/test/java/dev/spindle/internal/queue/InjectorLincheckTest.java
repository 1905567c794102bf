package dev.spindle.internal.queue;

import dev.spindle.LincheckSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.spindle.LincheckSupport.startAndJoin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of the shipped {@link Injector} (one stripe, a tiny array, 2 growing to 4, so
 * the ring is used too): submitters pushing single tasks and batches race takers that take
 * batches into their own local queues, and a drain by single polls, under many interleavings.
 * What must hold: every task pushed is taken exactly once, and each taker meets one submitter's
 * tasks in the order they were pushed.
 *
 * <p>Broken on purpose once (the take flag always granted, so two takers consume the
 * single-consumer array at once): {@link #twoTakersAndTwoSubmittersTakeEachTaskOnce} and
 * {@link #aBatchTakerAndADrainTakeEachTaskOnce} failed, each with a task taken twice or lost.
 */
class InjectorLincheckTest {

    /** Submitter {@code submitter}'s {@code n}-th task. */
    static final class Task {
        final int submitter;
        final int n;

        Task(int submitter, int n) {
            this.submitter = submitter;
            this.n = n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Task && ((Task) o).submitter == submitter && ((Task) o).n == n;
        }

        @Override
        public int hashCode() {
            return submitter * 31 + n;
        }

        @Override
        public String toString() {
            return submitter + ":" + n;
        }
    }

    /** Pushes {@code count} tasks, in order; every {@code batchEvery}-th push is a batch of two. */
    static final class Submitter extends Thread {
        final Injector injector;
        final int id;
        final int count;
        final int batchEvery;

        Submitter(Injector injector, int id, int count, int batchEvery) {
            this.injector = injector;
            this.id = id;
            this.count = count;
            this.batchEvery = batchEvery;
        }

        @Override
        public void run() {
            for (int n = 0; n < count; n++) {
                if (batchEvery > 0 && n % batchEvery == batchEvery - 1 && n + 1 < count) {
                    Object[] pair = {new Task(id, n), new Task(id, n + 1)};
                    injector.pushAll(pair, 2);
                    n++;
                } else {
                    injector.push(new Task(id, n));
                }
            }
        }
    }

    /** Takes {@code rounds} batches of up to {@code max} into its own local queue, recording them in order. */
    static final class Taker extends Thread {
        final Injector injector;
        final int rounds;
        final int max;
        final boolean move;
        final LocalQueue<Object> local = new LocalQueue<>(8);
        final List<Task> taken = new ArrayList<>();

        Taker(Injector injector, int rounds, int max, boolean move) {
            this.injector = injector;
            this.rounds = rounds;
            this.max = max;
            this.move = move;
        }

        @Override
        public void run() {
            for (int r = 0; r < rounds; r++) {
                if (move) {
                    injector.moveBatch(local, max, r);
                } else {
                    Object first = injector.pollBatch(local, max, r);
                    if (first != null) {
                        taken.add((Task) first);
                    }
                }
                Object t;
                while ((t = local.poll()) != null) {
                    taken.add((Task) t);
                }
            }
        }
    }

    /** Takes {@code polls} single tasks (as shutdownNow's drain does). */
    static final class Drainer extends Thread {
        final Injector injector;
        final int polls;
        final List<Task> taken = new ArrayList<>();

        Drainer(Injector injector, int polls) {
            this.injector = injector;
            this.polls = polls;
        }

        @Override
        public void run() {
            for (int i = 0; i < polls; i++) {
                Object t = injector.poll();
                if (t != null) {
                    taken.add((Task) t);
                }
            }
        }
    }

    private static void runAndCheck(Injector injector, Submitter[] submitters, Thread... takers) {
        Thread[] all = new Thread[submitters.length + takers.length];
        System.arraycopy(submitters, 0, all, 0, submitters.length);
        System.arraycopy(takers, 0, all, submitters.length, takers.length);
        startAndJoin(all);
        List<Task> taken = new ArrayList<>();
        for (Thread t : takers) {
            List<Task> mine = t instanceof Taker ? ((Taker) t).taken : ((Drainer) t).taken;
            assertInSubmissionOrder(mine);
            taken.addAll(mine);
        }
        Object rest;
        while ((rest = injector.poll()) != null) {
            taken.add((Task) rest);
        }
        assertTrue(injector.isEmpty());
        List<Task> expected = new ArrayList<>();
        for (Submitter s : submitters) {
            for (int n = 0; n < s.count; n++) {
                expected.add(new Task(s.id, n));
            }
        }
        taken.sort(InjectorLincheckTest::compare);
        assertEquals(expected, taken, "every task taken exactly once");
    }

    /** One thread's view: each submitter's tasks in the order that submitter pushed them. */
    private static void assertInSubmissionOrder(List<Task> seen) {
        int[] last = {-1, -1, -1, -1};
        for (Task t : seen) {
            assertTrue(t.n > last[t.submitter], "submitter " + t.submitter + "'s tasks out of order: " + seen);
            last[t.submitter] = t.n;
        }
    }

    private static int compare(Task a, Task b) {
        return a.submitter != b.submitter ? Integer.compare(a.submitter, b.submitter) : Integer.compare(a.n, b.n);
    }

    @Test
    void twoTakersAndTwoSubmittersTakeEachTaskOnce() {
        check(() -> {
            Injector injector = new Injector(1, 4);
            runAndCheck(injector,
                    new Submitter[] {new Submitter(injector, 0, 3, 0), new Submitter(injector, 1, 3, 2)},
                    new Taker(injector, 2, 2, false), new Taker(injector, 2, 2, true));
        });
    }

    @Test
    void aBatchTakerAndADrainTakeEachTaskOnce() {
        check(() -> {
            Injector injector = new Injector(1, 4);
            runAndCheck(injector, new Submitter[] {new Submitter(injector, 0, 4, 3)},
                    new Taker(injector, 2, 3, false), new Drainer(injector, 2));
        });
    }

    @Test
    void takersSpreadOverStripesTakeEachTaskOnce() {
        check(() -> {
            Injector injector = new Injector(2, 4);
            runAndCheck(injector,
                    new Submitter[] {new Submitter(injector, 0, 3, 0), new Submitter(injector, 1, 2, 0)},
                    new Taker(injector, 2, 2, false), new Taker(injector, 2, 1, false));
        });
    }

    /** At least 500 interleavings per scenario: the deliberate break in the class note was caught at 500. */
    private static void check(Runnable scenario) {
        LincheckSupport.check(500, scenario);
    }
}
