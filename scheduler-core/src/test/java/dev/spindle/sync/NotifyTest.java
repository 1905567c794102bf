package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.JoinHandle;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.TestSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotifyTest extends SyncTestBase {

    @Test
    void notifyOneWithNobodyWaitingStoresOnePermit() {
        Notify n = new Notify();
        n.notifyOne();
        n.notifyOne(); // still one permit
        CountingWaker w = new CountingWaker();
        assertTrue(n.notified().poll(cx(w)).isReady(), "the stored permit must complete the next future");
        assertTrue(n.notified().poll(cx(w)).isPending(), "two notifyOne() calls store one permit, not two");
    }

    @Test
    void notifyOneReleasesTheOldestWaiterOnly() {
        Notify n = new Notify();
        CountingWaker first = new CountingWaker();
        CountingWaker second = new CountingWaker();
        PollFuture<Void> a = n.notified();
        PollFuture<Void> b = n.notified();
        assertTrue(a.poll(cx(first)).isPending());
        assertTrue(b.poll(cx(second)).isPending());
        n.notifyOne();
        assertEquals(1, first.woken());
        assertEquals(0, second.woken());
        assertTrue(a.poll(cx(first)).isReady());
        assertTrue(b.poll(cx(second)).isPending());
        assertEquals(1, n.waiters());
    }

    @Test
    void notifyWaitersReleasesEveryCurrentWaiterAndStoresNoPermit() {
        Notify n = new Notify();
        List<PollFuture<Void>> futures = new ArrayList<>();
        List<CountingWaker> wakers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CountingWaker w = new CountingWaker();
            PollFuture<Void> f = n.notified();
            assertTrue(f.poll(cx(w)).isPending());
            futures.add(f);
            wakers.add(w);
        }
        n.notifyWaiters();
        for (int i = 0; i < 3; i++) {
            assertEquals(1, wakers.get(i).woken());
            assertTrue(futures.get(i).poll(cx(wakers.get(i))).isReady());
        }
        assertTrue(n.notified().poll(cx(new CountingWaker())).isPending(), "notifyWaiters() must not store a permit");
    }

    @Test
    void aReleasedButDroppedWaiterPassesTheNotificationOn() {
        Notify n = new Notify();
        CountingWaker first = new CountingWaker();
        CountingWaker second = new CountingWaker();
        PollFuture<Void> a = n.notified();
        PollFuture<Void> b = n.notified();
        a.poll(cx(first));
        b.poll(cx(second));
        n.notifyOne();
        a.drop(); // released, never saw it
        assertEquals(1, second.woken(), "the notification must move to the next waiter");
        assertTrue(b.poll(cx(second)).isReady());
        PollFuture<Void> c = n.notified();
        c.poll(cx(first));
        c.drop();
        assertEquals(0, n.waiters(), "a dropped waiter must unregister");
    }

    @Test
    void eachPollSpendsBudgetAndASpentBudgetReWakes() {
        Notify n = new Notify();
        n.notifyOne();
        CountingWaker w = new CountingWaker();
        PollFuture<Void> f = n.notified();
        assertTrue(f.poll(Context.of(w, 0)).isPending(), "ready although the budget was spent");
        assertEquals(1, w.woken());
        Context cx = Context.of(w, 2);
        assertTrue(f.poll(cx).isReady());
        assertEquals(1, cx.remainingBudget());
    }

    /** Tasks on a runtime: 200 waiters, released one at a time by notifyOne(). */
    @Test
    void notifyOneReleasesWaitingTasksOneByOne() {
        Spindle rt = runtime(4);
        Notify n = new Notify();
        List<JoinHandle<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tasks.add(rt.spawn(n.notified()));
        }
        TestSupport.awaitTrue(() -> n.waiters() == 200, "200 waiters");
        for (int i = 0; i < 200; i++) {
            n.notifyOne();
        }
        for (JoinHandle<Void> h : tasks) {
            TestSupport.await(h.toCompletableFuture(), "a waiter released by notifyOne()");
        }
        assertTrue(n.notified().poll(cx(new CountingWaker())).isPending(), "no permit left over");
    }
}
