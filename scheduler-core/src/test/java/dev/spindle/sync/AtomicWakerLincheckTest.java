package dev.spindle.sync;

import dev.spindle.Waker;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static dev.spindle.LincheckSupport.check;
import static dev.spindle.LincheckSupport.startAndJoin;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of {@link AtomicWaker}'s register/wake protocol: Lincheck's model checker runs
 * each scenario under many interleavings, switching threads at the shared accesses (the state
 * word's compare-and-sets and get-and-or, the waker field).
 *
 * <p>The property is the one a waiting future relies on: a waiter registers, then checks a
 * condition; a notifier sets the condition, then wakes. If the waiter saw the condition unset
 * (so it would return pending), the waker it registered last must be woken. And a waker is
 * never woken more than once per registration.
 *
 * <p>Current behaviour: {@value dev.spindle.LincheckSupport#INVOCATIONS} interleavings per scenario;
 * {@code mvn -Dspindle.lincheck.invocations=N} runs more.
 */
class AtomicWakerLincheckTest {



    /** Registers each waker in turn, then reads the condition once. */
    static final class Waiter extends Thread {
        final AtomicWaker slot;
        final AtomicBoolean condition;
        final Waker[] wakers;
        volatile boolean sawCondition;

        Waiter(AtomicWaker slot, AtomicBoolean condition, Waker... wakers) {
            this.slot = slot;
            this.condition = condition;
            this.wakers = wakers;
        }

        @Override
        public void run() {
            for (Waker w : wakers) {
                slot.register(w);
            }
            sawCondition = condition.get();
        }
    }

    /**
     * Sets the condition (if given), then wakes. A named class, not a lambda: Lincheck cannot
     * track a lambda's captured fields and says so on the build log.
     */
    static final class Notifier extends Thread {
        final AtomicWaker slot;
        final AtomicBoolean condition;

        Notifier(AtomicWaker slot, AtomicBoolean condition) {
            this.slot = slot;
            this.condition = condition;
        }

        @Override
        public void run() {
            if (condition != null) {
                condition.set(true);
            }
            slot.wake();
        }
    }

    static Thread notifier(AtomicWaker slot, AtomicBoolean condition) {
        return new Notifier(slot, condition);
    }

    @Test
    void aWakeRacingARegisterIsNeverLost() {
        check(() -> {
            AtomicWaker slot = new AtomicWaker();
            AtomicBoolean condition = new AtomicBoolean();
            CountingWaker a = new CountingWaker();
            Waiter waiter = new Waiter(slot, condition, a);
            startAndJoin(waiter, notifier(slot, condition), notifier(slot, null));
            if (!waiter.sawCondition) {
                assertTrue(a.woken() >= 1, "lost wake-up: the waiter saw no condition and was never woken");
            }
            assertTrue(a.woken() <= 1, "woken " + a.woken() + " times for one registration");
        });
    }

    @Test
    void theLastOfSeveralRegisteredWakersIsWoken() {
        check(() -> {
            AtomicWaker slot = new AtomicWaker();
            AtomicBoolean condition = new AtomicBoolean();
            CountingWaker a = new CountingWaker();
            CountingWaker b = new CountingWaker();
            Waiter waiter = new Waiter(slot, condition, a, b);
            startAndJoin(waiter, notifier(slot, condition), notifier(slot, null));
            if (!waiter.sawCondition) {
                assertTrue(b.woken() >= 1, "lost wake-up: the last registered waker was never woken");
            }
            assertTrue(a.woken() <= 1 && b.woken() <= 1, "a waker was woken twice");
        });
    }

    /** Re-registering the same waker takes the no-store path; it must not lose a wake either. */
    @Test
    void reRegisteringTheSameWakerNeverLosesAWake() {
        check(() -> {
            AtomicWaker slot = new AtomicWaker();
            AtomicBoolean condition = new AtomicBoolean();
            CountingWaker a = new CountingWaker();
            Waiter waiter = new Waiter(slot, condition, a, a);
            startAndJoin(waiter, notifier(slot, condition));
            if (!waiter.sawCondition) {
                assertTrue(a.woken() >= 1, "lost wake-up after re-registering the same waker");
            }
        });
    }
    /**
     * The slot's own promise, stronger than the register-then-check pattern needs: a wake that
     * starts while {@code register} holds the slot wakes the waker being registered (here the
     * register's {@code willWake} call on the previous waker marks that it holds the slot). The
     * waiter in the scenarios above re-checks its condition after registering, so it cannot
     * tell this hand-off from a wake ordered before the register; this scenario can.
     */
    @Test
    void aWakeStartingWhileRegisterHoldsTheSlotWakesTheNewWaker() {
        check(() -> {
            AtomicWaker slot = new AtomicWaker();
            AtomicBoolean inside = new AtomicBoolean();
            MarkingWaker previous = new MarkingWaker(inside);
            slot.register(previous);
            CountingWaker a = new CountingWaker();
            Waiter waiter = new Waiter(slot, new AtomicBoolean(), a);
            InsideWaker notifier = new InsideWaker(slot, inside);
            startAndJoin(waiter, notifier);
            if (notifier.sawInside) {
                assertTrue(a.woken() == 1 && previous.woken() == 0,
                        "a wake during register woke " + a.woken() + " new and " + previous.woken() + " previous wakers");
            }
            // A register that finds a wake holding the slot wakes its own waker as well as the
            // one the wake took: one spurious wake-up, by design. Each is woken at most once.
            assertTrue(a.woken() <= 1 && previous.woken() <= 1, "a waker was woken twice");
        });
    }

    /** A waker whose willWake (called by a register holding the slot) marks {@code inside}. */
    static final class MarkingWaker extends CountingWaker {
        final AtomicBoolean inside;

        MarkingWaker(AtomicBoolean inside) {
            this.inside = inside;
        }

        @Override
        public boolean willWake(Waker other) {
            inside.set(true);
            return false;
        }
    }

    /** Reads whether a register holds the slot, then wakes. */
    static final class InsideWaker extends Thread {
        final AtomicWaker slot;
        final AtomicBoolean inside;
        volatile boolean sawInside;

        InsideWaker(AtomicWaker slot, AtomicBoolean inside) {
            this.slot = slot;
            this.inside = inside;
        }

        @Override
        public void run() {
            sawInside = inside.get();
            slot.wake();
        }
    }
}
