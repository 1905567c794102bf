package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import org.junit.jupiter.api.Test;

import static dev.spindle.LincheckSupport.check;
import static dev.spindle.LincheckSupport.startAndJoin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of {@link WaitGroup}: waiters polling while other threads bring the count to
 * zero. A waiter whose poll answered pending must be woken exactly once by the transition to
 * zero, and then be ready; a dropped waiter leaves no registration behind.
 *
 * <p>Current behaviour: {@value dev.spindle.LincheckSupport#INVOCATIONS} interleavings per scenario.
 */
class WaitGroupLincheckTest {

    /** Polls a future once with its own counting waker. */
    static final class Poller extends Thread {
        final PollFuture<Void> future;
        final CountingWaker waker = new CountingWaker();
        final boolean dropAfter;
        volatile Poll<Void> answer;

        Poller(PollFuture<Void> future, boolean dropAfter) {
            this.future = future;
            this.dropAfter = dropAfter;
        }

        @Override
        public void run() {
            answer = future.poll(Context.of(waker, 128));
            if (dropAfter && answer.isPending()) {
                future.drop();
            }
        }
    }

    /** Calls done() once; a named class, not a method reference (see AtomicWakerLincheckTest). */
    static final class DoneCaller extends Thread {
        final WaitGroup wg;

        DoneCaller(WaitGroup wg) {
            this.wg = wg;
        }

        @Override
        public void run() {
            wg.done();
        }
    }

    static Thread doneCaller(WaitGroup wg) {
        return new DoneCaller(wg);
    }

    @Test
    void waitersRacingTheLastDoneAreWokenExactlyOnce() {
        check(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            Poller a = new Poller(wg.await(), false);
            Poller b = new Poller(wg.await(), false);
            startAndJoin(a, b, doneCaller(wg), doneCaller(wg));
            for (Poller p : new Poller[] {a, b}) {
                if (p.answer.isPending()) {
                    assertEquals(1, p.waker.woken(), "a pending waiter must be woken once at zero");
                    assertTrue(p.future.poll(Context.of(p.waker, 128)).isReady());
                } else {
                    assertEquals(0, p.waker.woken());
                }
            }
            assertEquals(0, wg.waiters());
        });
    }

    @Test
    void aDroppedWaiterRacingZeroLeavesNothingBehind() {
        check(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            Poller dropped = new Poller(wg.await(), true);
            Poller kept = new Poller(wg.await(), false);
            startAndJoin(dropped, kept, doneCaller(wg));
            assertEquals(0, wg.waiters(), "a registration survived the drop or the zero");
            assertTrue(dropped.waker.woken() <= 1);
            if (kept.answer.isPending()) {
                assertEquals(1, kept.waker.woken());
            }
        });
    }
}
