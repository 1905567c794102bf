package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.TestSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitGroupTest extends SyncTestBase {

    /** The bounded stress: 1,000 tasks wait on one group; all wake when it reaches zero. */
    @Test
    void thousandWaitingTasksAllWakeWhenTheCountReachesZero() {
        Spindle rt = runtime(4);
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        List<JoinHandle<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            waiting.add(rt.spawn(wg.await()));
        }
        TestSupport.awaitTrue(() -> wg.waiters() == 1_000, "1,000 registered waiters (have " + wg.waiters() + ")");
        for (JoinHandle<Void> h : waiting) {
            assertFalse(h.isFinished(), "a waiter finished while the count was 1");
        }
        wg.done();
        for (JoinHandle<Void> h : waiting) {
            TestSupport.await(h.toCompletableFuture(), "a waiter after the count reached zero");
        }
        assertEquals(0, wg.waiters());
    }

    /** 1,000 workers call done() while 1,000 other tasks wait: every waiter completes. */
    @Test
    void waitersRacingTheDoneCallsAllComplete() {
        Spindle rt = runtime(4);
        WaitGroup wg = new WaitGroup();
        wg.add(1_000);
        List<JoinHandle<Void>> all = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            all.add(rt.spawn(wg.await()));
            all.add(rt.spawn(cx -> {
                wg.done();
                return Poll.ready(null);
            }));
        }
        for (JoinHandle<Void> h : all) {
            TestSupport.await(h.toCompletableFuture(), "waiters and workers");
        }
        assertEquals(0, wg.count());
    }

    @Test
    void awaitOnAZeroCountIsReadyAtOnce() {
        CountingWaker w = new CountingWaker();
        assertTrue(new WaitGroup().await().poll(cx(w)).isReady());
    }

    @Test
    void badCountsThrowAtTheCall() {
        WaitGroup wg = new WaitGroup();
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> wg.add(0));
        assertTrue(zero.getMessage().contains("0"), zero.getMessage());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> wg.add(-3));
        assertTrue(neg.getMessage().contains("-3"), neg.getMessage());
        IllegalStateException below = assertThrows(IllegalStateException.class, wg::done);
        assertTrue(below.getMessage().contains("already zero"), below.getMessage());
        wg.add(Integer.MAX_VALUE);
        assertThrows(IllegalStateException.class, () -> wg.add(1));
        assertEquals(Integer.MAX_VALUE, wg.count());
    }

    @Test
    void aReadyPollSpendsOneUnitAndAPendingOneGivesItBack() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        CountingWaker w = new CountingWaker();
        Context cx = Context.of(w, 3);
        PollFuture<Void> f = wg.await();
        assertTrue(f.poll(cx).isPending());
        assertEquals(3, cx.remainingBudget(), "waiting is not progress: the unit comes back");
        wg.done();
        assertEquals(1, w.woken());
        assertTrue(f.poll(cx).isReady());
        assertEquals(2, cx.remainingBudget());
    }

    @Test
    void aSpentBudgetAnswersPendingAndReWakes() {
        CountingWaker w = new CountingWaker();
        PollFuture<Void> f = new WaitGroup().await();
        assertTrue(f.poll(Context.of(w, 0)).isPending(), "ready although the budget was spent");
        assertEquals(1, w.woken(), "a spent budget must re-wake the task");
        assertTrue(f.poll(Context.of(w, 1)).isReady());
    }

    @Test
    void aDroppedWaiterIsRemovedAndNotWoken() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        CountingWaker dropped = new CountingWaker();
        CountingWaker kept = new CountingWaker();
        PollFuture<Void> a = wg.await();
        PollFuture<Void> b = wg.await();
        assertTrue(a.poll(cx(dropped)).isPending());
        assertTrue(b.poll(cx(kept)).isPending());
        assertEquals(2, wg.waiters());
        a.drop();
        assertEquals(1, wg.waiters());
        wg.done();
        assertEquals(0, dropped.woken());
        assertEquals(1, kept.woken());
    }

    @Test
    void rePollingWithAnotherWakerWakesTheNewOne() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        CountingWaker first = new CountingWaker();
        CountingWaker second = new CountingWaker();
        PollFuture<Void> f = wg.await();
        f.poll(cx(first));
        f.poll(cx(second));
        assertEquals(1, wg.waiters(), "a re-poll must not register twice");
        wg.done();
        assertEquals(0, first.woken());
        assertEquals(1, second.woken());
    }

    @Test
    void aGroupCanBeReusedAfterReachingZero() {
        WaitGroup wg = new WaitGroup();
        for (int round = 0; round < 3; round++) {
            wg.add(2);
            CountingWaker w = new CountingWaker();
            PollFuture<Void> f = wg.await();
            assertTrue(f.poll(cx(w)).isPending());
            wg.done();
            assertEquals(0, w.woken());
            wg.done();
            assertEquals(1, w.woken());
            assertTrue(f.poll(cx(w)).isReady());
        }
    }
}
