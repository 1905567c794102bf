package dev.spindle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** The cooperative budget: a task looping over always-ready resources yields to its peers. */
class BudgetTest {

    /** A resource that is always ready, but spends budget like every resource must. */
    static Poll<Integer> alwaysReady(Context cx) {
        return cx.consumeBudget() ? Poll.ready(1) : Poll.pending();
    }

    @Test
    void greedyTaskYieldsAfter128UnitsAndItsPeerRuns() {
        try (Spindle rt = RuntimeTestBase.quiet().workers(1).build()) {
            AtomicBoolean peerRan = new AtomicBoolean();
            List<Integer> unitsPerPoll = new ArrayList<>();
            JoinHandle<Integer> greedy = rt.spawn(new PollFuture<>() {
                int units;
                int thisPoll;

                @Override
                public Poll<Integer> poll(Context cx) {
                    if (thisPoll == 0 && !unitsPerPoll.isEmpty() && peerRan.get()) {
                        return Poll.ready(units);
                    }
                    thisPoll = 0;
                    // Loop until the resource says pending: only the budget can stop us.
                    while (alwaysReady(cx).isReady()) {
                        units++;
                        thisPoll++;
                        if (thisPoll > 10_000) {
                            fail("budget never ran out");
                        }
                    }
                    unitsPerPoll.add(thisPoll);
                    thisPoll = 0;
                    if (peerRan.get()) {
                        return Poll.ready(units);
                    }
                    return Poll.pending(); // consumeBudget already woke us
                }
            });
            // Spawned from inside a task so both sit on the single worker.
            rt.blockOn(rt.spawn(cx -> {
                Tasks.spawn(c -> {
                    peerRan.set(true);
                    return Poll.ready(null);
                });
                return Poll.ready(null);
            }));
            int units = rt.blockOn(greedy);
            assertTrue(peerRan.get());
            assertFalse(unitsPerPoll.isEmpty());
            assertEquals(128, unitsPerPoll.get(0), "a poll gets 128 units");
            assertEquals(units, unitsPerPoll.stream().mapToInt(Integer::intValue).sum());
            assertTrue(rt.scheduler().forcedYieldsPerWorker()[0] >= 1);
        }
    }

    @Test
    void joinHandlePollSpendsBudget() {
        try (Spindle rt = RuntimeTestBase.quiet().workers(1).build()) {
            int[] before = new int[1];
            int[] after = new int[1];
            JoinHandle<Integer> done = rt.spawn(cx -> Poll.ready(1));
            rt.blockOn(done);
            rt.blockOn(rt.spawn(cx -> {
                before[0] = cx.remainingBudget();
                done.poll(cx);
                after[0] = cx.remainingBudget();
                return Poll.ready(null);
            }));
            assertEquals(before[0] - 1, after[0]);
        }
    }

    @Test
    void exhaustedBudgetMakesJoinPending() {
        Context cx = Context.of(Waker.noop(), 0);
        try (Spindle rt = RuntimeTestBase.quiet().workers(1).build()) {
            JoinHandle<Integer> done = rt.spawn(c -> Poll.ready(1));
            rt.blockOn(done);
            assertTrue(done.poll(cx).isPending(), "no budget: pending even though finished");
            assertEquals(1, done.poll(Context.of(Waker.noop(), 1)).value());
        }
    }

    @Test
    void yieldNowLetsPeersRunAndSpendsBudget() {
        try (Spindle rt = RuntimeTestBase.quiet().workers(1).build()) {
            List<String> order = new ArrayList<>();
            rt.blockOn(rt.spawn(new PollFuture<Void>() {
                final PollFuture<Void> y = Tasks.yieldNow();
                boolean started;

                @Override
                public Poll<Void> poll(Context c) {
                    if (!started) {
                        started = true;
                        order.add("a1");
                        // A peer on the same (single) worker, queued before the yield.
                        Tasks.spawn(c2 -> {
                            order.add("b");
                            return Poll.ready(null);
                        });
                    }
                    int budget = c.remainingBudget();
                    if (y.poll(c).isPending()) {
                        assertEquals(budget - 1, c.remainingBudget());
                        return Poll.pending();
                    }
                    order.add("a2");
                    return Poll.ready(null);
                }
            }));
            assertEquals(List.of("a1", "b", "a2"), order);
        }
    }

    @Test
    void contextOfChecksArguments() {
        assertThrows(NullPointerException.class, () -> Context.of(null, 1));
        assertThrows(IllegalArgumentException.class, () -> Context.of(Waker.noop(), -1));
    }
}
