package dev.spindle.sync;

import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.TestSupport;
import dev.spindle.Waker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicWakerTest extends SyncTestBase {

    @Test
    void registerThenWakeWakesOnceAndEmptiesTheSlot() {
        AtomicWaker slot = new AtomicWaker();
        CountingWaker w = new CountingWaker();
        slot.register(w);
        slot.wake();
        slot.wake();
        assertEquals(1, w.woken());
        assertNull(slot.take());
    }

    @Test
    void aWakeWithNothingRegisteredIsNotRemembered() {
        AtomicWaker slot = new AtomicWaker();
        slot.wake();
        CountingWaker w = new CountingWaker();
        slot.register(w);
        assertEquals(0, w.woken(), "register after a finished wake must not wake (callers re-check their condition)");
        assertSame(w, slot.take());
    }

    @Test
    void reRegisteringAnEquivalentWakerKeepsTheStoredOne() {
        AtomicWaker slot = new AtomicWaker();
        CountingWaker first = new CountingWaker();
        Waker sameTask = new Waker() {
            @Override
            public void wake() {
                first.wake();
            }

            @Override
            public boolean willWake(Waker other) {
                return other == first || other == this;
            }
        };
        slot.register(sameTask);
        slot.register(first); // sameTask.willWake(first): no store
        assertSame(sameTask, slot.take());
    }

    @Test
    void registeringADifferentWakerReplacesTheStoredOne() {
        AtomicWaker slot = new AtomicWaker();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        slot.register(a);
        slot.register(b);
        slot.wake();
        assertEquals(0, a.woken());
        assertEquals(1, b.woken());
    }

    @Test
    void nullWakerIsRejectedByName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new AtomicWaker().register(null));
        assertEquals("w", e.getMessage());
    }

    /** A future waiting on a flag that another thread sets, 2,000 times: no wake-up is lost. */
    @Test
    void tasksWaitingOnAFlagAreAlwaysWoken() {
        Spindle rt = runtime(2);
        for (int round = 0; round < 2_000; round++) {
            AtomicWaker slot = new AtomicWaker();
            AtomicBoolean flag = new AtomicBoolean();
            PollFuture<Void> waitFlag = cx -> {
                slot.register(cx.waker());
                return flag.get() ? Poll.ready(null) : Poll.pending();
            };
            JoinHandle<Void> h = rt.spawn(waitFlag);
            flag.set(true);
            slot.wake();
            TestSupport.await(h.toCompletableFuture(), "waiter of round " + round);
        }
    }

    /** Many threads waking while one re-registers: every register either returns or is woken. */
    @Test
    void concurrentWakesNeverThrowAndTheLastRegisteredWakerIsWoken() {
        AtomicWaker slot = new AtomicWaker();
        List<Thread> wakers = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        for (int i = 0; i < 3; i++) {
            wakers.add(TestSupport.start("waker-" + i, () -> {
                while (!stop.get()) {
                    slot.wake();
                }
            }));
        }
        for (int i = 0; i < 20_000; i++) {
            slot.register(new CountingWaker());
        }
        CountingWaker last = new CountingWaker();
        slot.register(last);
        TestSupport.awaitTrue(() -> last.woken() >= 1, "the last registered waker to be woken");
        stop.set(true);
        wakers.forEach(TestSupport::join);
        assertTrue(last.woken() <= 1, "a waker was woken twice for one registration");
    }
}
