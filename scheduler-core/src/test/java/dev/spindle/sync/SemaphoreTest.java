package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.Tasks;
import dev.spindle.TestSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.spindle.sync.SyncTestSupport.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SemaphoreTest extends SyncTestBase {


    @Test
    void badCountsThrowAtTheCall() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(0));
        Semaphore s = new Semaphore(2);
        assertThrows(IllegalArgumentException.class, () -> s.acquire(0));
        assertThrows(IllegalArgumentException.class, () -> s.acquire(-1));
        assertThrows(IllegalArgumentException.class, () -> s.acquire(3));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(0));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(3));
        assertThrows(IllegalArgumentException.class, () -> s.release(0));
        assertThrows(IllegalStateException.class, () -> s.release(1), "more than the maximum");
        assertEquals(2, s.availablePermits());
    }

    @Test
    void tryAcquireAndPermitClose() {
        Semaphore s = new Semaphore(3);
        Semaphore.Permit p = s.tryAcquire(2).orElseThrow();
        assertEquals(2, p.count());
        assertEquals(1, s.availablePermits());
        assertTrue(s.tryAcquire(2).isEmpty());
        p.close();
        p.close(); // harmless
        assertEquals(3, s.availablePermits());
    }

    @Test
    void largeHeadWaiterHoldsBackLaterSmallOnes() {
        Semaphore s = new Semaphore(3);
        Semaphore.Permit all = s.tryAcquire(3).orElseThrow();
        CountingWaker wa = new CountingWaker();
        CountingWaker wb = new CountingWaker();
        PollFuture<Semaphore.Permit> a = s.acquire(3);
        PollFuture<Semaphore.Permit> b = s.acquire(1);
        assertTrue(poll(a, wa).isPending());
        assertTrue(poll(b, wb).isPending());
        s.release(1);
        assertEquals(1, s.availablePermits());
        assertEquals(0, wb.woken(), "a small waiter overtook the large head");
        assertTrue(poll(b, wb).isPending());
        assertTrue(s.tryAcquire(1).isEmpty(), "tryAcquire overtook the waiters");
        s.release(2);
        assertEquals(1, wa.woken());
        assertEquals(0, wb.woken());
        Semaphore.Permit pa = poll(a, wa).value();
        assertEquals(3, pa.count());
        assertEquals(0, s.availablePermits());
        pa.close();
        assertEquals(1, wb.woken());
        assertEquals(1, poll(b, wb).value().count());
        assertEquals(2, s.availablePermits());
    }

    @Test
    void droppedHeadWaiterLetsTheNextProceed() {
        Semaphore s = new Semaphore(3);
        Semaphore.Permit two = s.tryAcquire(2).orElseThrow();
        CountingWaker wa = new CountingWaker();
        CountingWaker wb = new CountingWaker();
        PollFuture<Semaphore.Permit> a = s.acquire(3);
        PollFuture<Semaphore.Permit> b = s.acquire(1);
        assertTrue(poll(a, wa).isPending());
        assertTrue(poll(b, wb).isPending());
        a.drop();
        assertEquals(1, wb.woken(), "dropping the head must let the next waiter on");
        assertEquals(1, poll(b, wb).value().count());
        assertEquals(0, s.availablePermits());
        two.close();
        assertEquals(2, s.availablePermits());
    }

    @Test
    void droppedWaiterThatWasGrantedPassesThePermitsOn() {
        Semaphore s = new Semaphore(2);
        Semaphore.Permit held = s.tryAcquire(2).orElseThrow();
        CountingWaker wa = new CountingWaker();
        CountingWaker wb = new CountingWaker();
        PollFuture<Semaphore.Permit> a = s.acquire(2);
        PollFuture<Semaphore.Permit> b = s.acquire(1);
        assertTrue(poll(a, wa).isPending());
        assertTrue(poll(b, wb).isPending());
        held.close();
        assertEquals(1, wa.woken(), "granted");
        a.drop(); // granted but never polled again
        assertEquals(1, wb.woken());
        assertEquals(1, poll(b, wb).value().count());
        assertEquals(1, s.availablePermits());
        a.drop(); // at most once in practice; a second call must still do nothing
        assertEquals(1, s.availablePermits());
    }

    @Test
    void latestWakerIsTheOneWoken() {
        Semaphore s = new Semaphore(1);
        Semaphore.Permit held = s.tryAcquire(1).orElseThrow();
        CountingWaker first = new CountingWaker();
        CountingWaker second = new CountingWaker();
        PollFuture<Semaphore.Permit> a = s.acquire(1);
        assertTrue(poll(a, first).isPending());
        assertTrue(poll(a, second).isPending());
        held.close();
        assertEquals(0, first.woken());
        assertEquals(1, second.woken());
    }

    @Test
    void spentBudgetAnswersPendingAndTakesNothing() {
        Semaphore s = new Semaphore(1);
        CountingWaker w = new CountingWaker();
        PollFuture<Semaphore.Permit> a = s.acquire(1);
        assertTrue(a.poll(Context.of(w, 0)).isPending());
        assertEquals(1, w.woken(), "a spent budget re-wakes the task");
        assertEquals(1, s.availablePermits());
        assertEquals(1, poll(a, w).value().count());
    }

    /** Tasks on several workers share two permits: never more than two inside at once. */
    @Test
    void tasksAcrossWorkersNeverExceedThePermits() {
        Spindle rt = runtime(4);
        Semaphore s = new Semaphore(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<JoinHandle<Void>> handles = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            handles.add(rt.spawn(new PollFuture<Void>() {
                int round;
                PollFuture<Semaphore.Permit> acquire;
                Semaphore.Permit permit;

                @Override
                public Poll<Void> poll(Context cx) {
                    while (round < 200) {
                        if (permit == null) {
                            if (acquire == null) {
                                acquire = s.acquire(1);
                            }
                            Poll<Semaphore.Permit> p = acquire.poll(cx);
                            if (p.isPending()) {
                                return Poll.pending();
                            }
                            acquire = null;
                            permit = p.value();
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            return Tasks.yieldPending(cx); // hold the permit across a yield
                        }
                        inside.decrementAndGet();
                        done.incrementAndGet();
                        permit.close();
                        permit = null;
                        round++;
                    }
                    return Poll.ready(null);
                }
            }));
        }
        for (JoinHandle<Void> h : handles) {
            TestSupport.await(h.toCompletableFuture(), "semaphore task");
        }
        assertEquals(16 * 200, done.get());
        assertTrue(maxInside.get() <= 2, "inside at once: " + maxInside.get());
        assertEquals(2, s.availablePermits());
    }

    /** Acquires one permit, counts the poll, and releases the permit at once. */
    private static PollFuture<Integer> acquireAndRelease(Semaphore s, AtomicInteger polls) {
        PollFuture<Semaphore.Permit> acquire = s.acquire(1);
        return new PollFuture<>() {
            @Override
            public Poll<Integer> poll(Context cx) {
                polls.incrementAndGet();
                Poll<Semaphore.Permit> p = acquire.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                p.value().close();
                return Poll.ready(1);
            }

            @Override
            public void drop() {
                acquire.drop();
            }
        };
    }

    /**
     * Aborting a task that waits in the queue (the runtime drops its future) gives up its
     * place; aborting one racing the grant of the permit passes the permit on. Either way the
     * next waiter gets the permit and none is lost.
     */
    @Test
    void abortedWaitingTasksGiveUpTheirPlaceAndTheirPermit() {
        Spindle rt = runtime(2);
        for (int round = 0; round < 200; round++) {
            Semaphore s = new Semaphore(1);
            Semaphore.Permit held = s.tryAcquire(1).orElseThrow();
            AtomicInteger polls = new AtomicInteger();
            JoinHandle<Integer> first = rt.spawn(acquireAndRelease(s, polls));
            TestSupport.awaitTrue(() -> polls.get() >= 1, "first waiter queued");
            JoinHandle<Integer> second = rt.spawn(acquireAndRelease(s, polls));
            TestSupport.awaitTrue(() -> polls.get() >= 2, "second waiter queued");
            boolean raceTheGrant = round % 2 == 1;
            if (raceTheGrant) {
                held.close();
            }
            first.abort();
            TestSupport.awaitTrue(first::isFinished, "aborted waiter finished");
            if (!raceTheGrant) {
                assertTrue(first.isCancelled());
                held.close();
            }
            assertEquals(1, TestSupport.await(second.toCompletableFuture(), "second waiter"));
            assertEquals(1, s.availablePermits(), "round " + round);
        }
    }

    @Test
    void mutexGuardsItsValueAcrossTasks() {
        Spindle rt = runtime(4);
        Mutex<Integer> m = new Mutex<>(0);
        List<JoinHandle<Void>> handles = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            handles.add(rt.spawn(new PollFuture<Void>() {
                int round;
                PollFuture<Mutex.Guard<Integer>> lock;
                Mutex.Guard<Integer> guard;
                int read;

                @Override
                public Poll<Void> poll(Context cx) {
                    while (round < 500) {
                        if (guard == null) {
                            if (lock == null) {
                                lock = m.lock();
                            }
                            Poll<Mutex.Guard<Integer>> p = lock.poll(cx);
                            if (p.isPending()) {
                                return Poll.pending();
                            }
                            lock = null;
                            guard = p.value();
                            read = guard.get();
                            return Tasks.yieldPending(cx); // a lost update shows if the lock leaks
                        }
                        guard.set(read + 1);
                        guard.close();
                        guard = null;
                        round++;
                    }
                    return Poll.ready(null);
                }
            }));
        }
        for (JoinHandle<Void> h : handles) {
            TestSupport.await(h.toCompletableFuture(), "mutex task");
        }
        Mutex.Guard<Integer> g = m.tryLock().orElseThrow();
        assertEquals(8 * 500, g.get());
        g.close();
    }

    @Test
    void guardCloseIsIdempotentAndUseAfterCloseThrows() {
        Mutex<String> m = new Mutex<>("a");
        CountingWaker w = new CountingWaker();
        Mutex.Guard<String> g = poll(m.lock(), w).value();
        assertTrue(m.isLocked());
        PollFuture<Mutex.Guard<String>> next = m.lock();
        assertTrue(poll(next, w).isPending());
        g.set("b");
        g.close();
        g.close();
        assertThrows(IllegalStateException.class, g::get);
        assertThrows(IllegalStateException.class, () -> g.set("c"));
        Mutex.Guard<String> g2 = poll(next, w).value();
        assertEquals("b", g2.get());
        g2.close();
        assertFalse(m.isLocked());
    }

    @Test
    void droppedLockWaiterHandsTheLockOn() {
        Mutex<String> m = new Mutex<>("a");
        CountingWaker w1 = new CountingWaker();
        CountingWaker w2 = new CountingWaker();
        Mutex.Guard<String> g = m.tryLock().orElseThrow();
        PollFuture<Mutex.Guard<String>> a = m.lock();
        PollFuture<Mutex.Guard<String>> b = m.lock();
        assertTrue(poll(a, w1).isPending());
        assertTrue(poll(b, w2).isPending());
        g.close(); // granted to a
        a.drop();
        assertEquals(1, w2.woken());
        Mutex.Guard<String> gb = poll(b, w2).value();
        gb.close();
        assertFalse(m.isLocked());
    }
}
