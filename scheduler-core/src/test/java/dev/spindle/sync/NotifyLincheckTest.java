package dev.spindle.sync;

import dev.spindle.Poll;
import dev.spindle.PollFuture;
import org.junit.jupiter.api.Test;

import static dev.spindle.LincheckSupport.check;
import static dev.spindle.LincheckSupport.startAndJoin;
import static dev.spindle.sync.SyncTestSupport.poll;
import static dev.spindle.sync.SyncTestSupport.pollUntilReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of {@link Notify}: {@code notifyOne} and {@code notifyWaiters} racing the
 * registration and the drop of {@code notified()} futures. A thread that must be released
 * spins until its own waker was woken since its last poll, so a lost wake-up (or a
 * notification swallowed by the wrong waiter) leaves it spinning forever, which Lincheck
 * reports as a hang with the interleaving that caused it. Outcomes are checked after the
 * joins.
 *
 * <p>Current behaviour: {@value dev.spindle.LincheckSupport#INVOCATIONS} interleavings per scenario;
 * {@code mvn -Dspindle.lincheck.invocations=N} runs more.
 */
class NotifyLincheckTest {

    /** Waits for one {@code notified()} future, polling after each wake of its waker. */
    static final class Waiter extends Thread {
        final PollFuture<Void> future;
        final CountingWaker waker = new CountingWaker();

        Waiter(Notify n) {
            this.future = n.notified();
        }

        @Override
        public void run() {
            pollUntilReady(future, waker);
        }
    }

    /** Polls one {@code notified()} future once and keeps its answer (it stays registered). */
    static final class OnePoll extends Thread {
        final PollFuture<Void> future;
        final CountingWaker waker = new CountingWaker();
        volatile Poll<Void> answer;

        OnePoll(Notify n) {
            this.future = n.notified();
        }

        @Override
        public void run() {
            answer = poll(future, waker);
        }
    }

    /** Drops a future that another thread polled; it is not polled again. */
    static final class Dropper extends Thread {
        final PollFuture<Void> future;

        Dropper(PollFuture<Void> future) {
            this.future = future;
        }

        @Override
        public void run() {
            future.drop();
        }
    }

    /** Calls {@code notifyOne()} once. */
    static final class NotifyOne extends Thread {
        final Notify n;

        NotifyOne(Notify n) {
            this.n = n;
        }

        @Override
        public void run() {
            n.notifyOne();
        }
    }

    /** Calls {@code notifyWaiters()} once. */
    static final class NotifyWaiters extends Thread {
        final Notify n;

        NotifyWaiters(Notify n) {
            this.n = n;
        }

        @Override
        public void run() {
            n.notifyWaiters();
        }
    }

    /** True if a fresh future consumes a stored permit on its first poll; drops it otherwise. */
    private static boolean permitStored(Notify n) {
        PollFuture<Void> probe = n.notified();
        if (poll(probe, new CountingWaker()).isReady()) {
            return true;
        }
        probe.drop();
        return false;
    }

    /**
     * A {@code notifyOne} before the waiter's first poll (a stored permit) or while it waits
     * (a release) completes it; either way the notification is used once: no permit is left,
     * and the waiter's waker was woken at most once.
     */
    @Test
    void aNotifyOneBeforeOrDuringTheWaitCompletesTheWaiterOnce() {
        check(() -> {
            Notify n = new Notify();
            Waiter waiter = new Waiter(n);
            startAndJoin(waiter, new NotifyOne(n));
            assertTrue(waiter.waker.woken() <= 1, () -> "woken " + waiter.waker.woken() + " times");
            assertEquals(0, n.waiters(), "the completed waiter is still registered");
            assertFalse(permitStored(n), "one notifyOne both released the waiter and stored a permit");
            assertEquals(0, n.waiters(), "the probe's registration survived its drop");
        });
    }

    /** Two {@code notifyOne} calls with nobody waiting store one permit, not two. */
    @Test
    void twoNotifyOnesWithNoWaiterStoreOnePermit() {
        check(() -> {
            Notify n = new Notify();
            startAndJoin(new NotifyOne(n), new NotifyOne(n));
            assertTrue(permitStored(n), "no permit stored");
            assertFalse(permitStored(n), "a second permit was stored");
        });
    }

    /**
     * {@code notifyWaiters} racing a second waiter's first poll, with one waiter registered
     * before: the registered one is woken once and then ready; the racing one either
     * registered in time (woken once, then ready) or after (not woken, still waiting); neither
     * is ready on its first poll, and no permit is stored.
     */
    @Test
    void notifyWaitersReleasesEveryRegisteredWaiterAndStoresNoPermit() {
        check(() -> {
            Notify n = new Notify();
            CountingWaker earlyWaker = new CountingWaker();
            PollFuture<Void> early = n.notified();
            assertTrue(poll(early, earlyWaker).isPending());
            OnePoll racing = new OnePoll(n);
            startAndJoin(racing, new NotifyWaiters(n));
            assertEquals(1, earlyWaker.woken(), "the registered waiter was not woken exactly once");
            assertTrue(poll(early, earlyWaker).isReady(), "woken but not released");
            assertTrue(racing.answer.isPending(), "ready on its first poll: notifyWaiters stored a permit");
            int woken = racing.waker.woken();
            assertTrue(woken <= 1, () -> "woken " + woken + " times");
            boolean released = poll(racing.future, racing.waker).isReady();
            assertEquals(woken == 1, released, "a waiter woken but not released, or released without a wake");
            assertEquals(released ? 0 : 1, n.waiters());
            if (!released) {
                racing.future.drop();
            }
            assertFalse(permitStored(n), "notifyWaiters stored a permit");
        });
    }

    /**
     * Notify's promise for a dropped waiter: a future released by {@code notifyOne} and then
     * dropped without another poll passes the release on. The first waiter (registered first,
     * so the oldest) is dropped while a second waits and a {@code notifyOne} runs: whichever
     * way they interleave, the second waiter is released (else it spins forever) and no permit
     * is left over.
     */
    @Test
    void aDroppedWaiterPassesItsNotifyOneOn() {
        check(() -> {
            Notify n = new Notify();
            PollFuture<Void> first = n.notified();
            assertTrue(poll(first, new CountingWaker()).isPending());
            Waiter second = new Waiter(n);
            startAndJoin(new Dropper(first), second, new NotifyOne(n));
            assertEquals(0, n.waiters(), "a registration survived");
            assertFalse(permitStored(n), "the notification was used twice (a permit was left over)");
        });
    }
}
