package dev.spindle;

import dev.spindle.future.Futures;
import dev.spindle.sync.Oneshot;
import dev.spindle.time.Time;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operation that spends a unit of budget and then ends pending gives the unit back: waiting
 * on any number of pending things never exhausts the budget, so a timeout around them is armed,
 * and a task whose children all wait goes idle rather than being woken to poll them again.
 */
class BudgetRefundTest extends RuntimeTestBase {
    private static final int HANDLES = 1_000;

    /** Handles of tasks that each wait for a value from their own oneshot, one per sender given. */
    private static List<JoinHandle<Integer>> waitingHandles(Spindle rt, List<Oneshot.Sender<Integer>> senders) {
        List<JoinHandle<Integer>> handles = new ArrayList<>();
        for (int i = 0; i < HANDLES; i++) {
            Oneshot<Integer> ch = Oneshot.channel();
            senders.add(ch.sender());
            handles.add(rt.spawn(ch.receiver()));
        }
        return handles;
    }

    @Test
    void aPendingOperationGivesItsUnitBack() {
        Oneshot<Integer> ch = Oneshot.channel();
        Context cx = Context.of(Waker.noop(), 1);
        assertTrue(ch.receiver().poll(cx).isPending());
        assertEquals(1, cx.remainingBudget(), "a pending receive kept its unit");
        ch.sender().send(7);
        assertEquals(7, ch.receiver().poll(cx).value());
        assertEquals(0, cx.remainingBudget(), "a receive that made progress spends its unit");
    }

    @Test
    void aTimeoutAroundAJoinOfAThousandPendingHandlesFires() {
        Spindle rt = runtime(2);
        // Children that finish by themselves after 2 s: without the refund the join's polls spend
        // the budget before the timeout's timer is armed, and the join completes after 2 s instead
        // of timing out after 20 ms (the test then fails rather than hangs).
        List<JoinHandle<Void>> handles = new ArrayList<>();
        for (int i = 0; i < HANDLES; i++) {
            handles.add(rt.spawn(Time.sleep(Duration.ofSeconds(2))));
        }
        // From outside (blockOn's context) and from inside a task (a worker's context).
        CompletionException fromOutside = assertThrows(CompletionException.class,
                () -> rt.blockOn(Time.timeout(Futures.joinAll(handles), Duration.ofMillis(20))));
        assertInstanceOf(TimeoutException.class, fromOutside.getCause());
        JoinHandle<List<Void>> inTask = rt.spawn(Time.timeout(Futures.joinAll(handles), Duration.ofMillis(20)));
        CompletionException fromTask = assertThrows(CompletionException.class, () -> rt.blockOn(inTask));
        assertInstanceOf(TimeoutException.class, fromTask.getCause());
        // The same with race: the first of a thousand pending handles.
        CompletionException raced = assertThrows(CompletionException.class,
                () -> rt.blockOn(Time.timeout(Futures.race(handles), Duration.ofMillis(20))));
        assertInstanceOf(TimeoutException.class, raced.getCause());
        // And with select, over two races of half the handles each.
        PollFuture<?> halves = Futures.select(Futures.race(handles.subList(0, HANDLES / 2)),
                Futures.race(handles.subList(HANDLES / 2, HANDLES)));
        CompletionException selected = assertThrows(CompletionException.class,
                () -> rt.blockOn(Time.timeout(halves, Duration.ofMillis(20))));
        assertInstanceOf(TimeoutException.class, selected.getCause());
        handles.forEach(JoinHandle::abort);
    }

    @Test
    void aTaskWaitingOnAThousandPendingChildrenGoesIdle() {
        Spindle rt = runtime(2);
        List<Oneshot.Sender<Integer>> senders = new ArrayList<>();
        List<JoinHandle<Integer>> handles = waitingHandles(rt, senders);
        AtomicInteger polls = new AtomicInteger();
        PollFuture<List<Integer>> all = Futures.joinAll(handles);
        JoinHandle<List<Integer>> parent = rt.spawn(cx -> {
            polls.incrementAndGet();
            return all.poll(cx);
        });
        TestSupport.awaitTrue(() -> polls.get() >= 1, "the parent's first poll");
        awaitMonitorTicks(rt); // a whole monitor tick during which nothing wakes the parent
        awaitMonitorTicks(rt);
        int whileWaiting = polls.get();
        // Before the refund, each poll spent the budget on the first 128 children and woke the
        // task again: it spun, polled thousands of times a second.
        assertTrue(whileWaiting <= 8, "the waiting parent was polled " + whileWaiting + " times");
        for (int i = 0; i < HANDLES; i++) {
            senders.get(i).send(i);
        }
        List<Integer> values = rt.blockOn(parent);
        assertEquals(HANDLES, values.size());
        assertEquals(HANDLES - 1, values.get(HANDLES - 1));
    }

    /** Counts the polls of the future it wraps. */
    private static final class Counted<T> implements PollFuture<T> {
        final PollFuture<T> inner;
        final AtomicInteger polls;

        Counted(PollFuture<T> inner, AtomicInteger polls) {
            this.inner = inner;
            this.polls = polls;
        }

        @Override
        public Poll<T> poll(Context cx) {
            polls.incrementAndGet();
            return inner.poll(cx);
        }
    }

    /**
     * A join or a select over a thousand waiting handles polls each once, then only the one whose
     * task finished: no child is polled while nothing happens, and a wake costs one child's poll.
     */
    @Test
    void aWaitingJoinOrSelectPollsEachChildOnceThenOnlyTheOneThatWokeIt() {
        Spindle rt = runtime(2);
        for (boolean select : new boolean[] {false, true}) {
            List<Oneshot.Sender<Integer>> senders = new ArrayList<>();
            List<JoinHandle<Integer>> handles = waitingHandles(rt, senders);
            AtomicInteger childPolls = new AtomicInteger();
            List<PollFuture<Integer>> children = new ArrayList<>();
            for (JoinHandle<Integer> h : handles) {
                children.add(new Counted<>(h, childPolls));
            }
            PollFuture<?> parent = select
                    ? Futures.select(Futures.race(children.subList(0, HANDLES / 2)),
                            Futures.race(children.subList(HANDLES / 2, HANDLES)))
                    : Futures.joinAll(children);
            JoinHandle<?> task = rt.spawn(parent);
            TestSupport.awaitTrue(() -> childPolls.get() >= HANDLES, "the first poll of every child");
            awaitMonitorTicks(rt);
            assertEquals(HANDLES, childPolls.get(), "children polled again while nothing woke them");
            if (select) {
                senders.get(HANDLES - 1).send(-1);
                rt.blockOn(task);
                assertEquals(HANDLES + 1, childPolls.get(), "one finished task, one more child's poll");
                handles.forEach(JoinHandle::abort);
            } else {
                senders.get(HANDLES / 2).send(-1);
                TestSupport.awaitTrue(() -> childPolls.get() > HANDLES, "the woken child's poll");
                awaitMonitorTicks(rt);
                assertEquals(HANDLES + 1, childPolls.get(), "one finished task, one more child's poll");
                for (int i = 0; i < HANDLES; i++) {
                    if (i != HANDLES / 2) {
                        senders.get(i).send(i);
                    }
                }
                assertEquals(HANDLES, ((List<?>) rt.blockOn(task)).size());
                assertEquals(2 * HANDLES, childPolls.get(), "each child polled once more, when its task finished");
            }
        }
    }
}
