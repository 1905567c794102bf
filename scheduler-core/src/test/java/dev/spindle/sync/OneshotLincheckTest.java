package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Poll;
import org.junit.jupiter.api.Test;

import static dev.spindle.LincheckSupport.check;
import static dev.spindle.LincheckSupport.startAndJoin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of {@link Oneshot}: a receiver polling while the sender sends or closes. A
 * receiver that answered pending must be woken exactly once, and its next poll must see the
 * outcome.
 *
 * <p>Current behaviour: {@value dev.spindle.LincheckSupport#INVOCATIONS} interleavings per scenario.
 */
class OneshotLincheckTest {

    /** Polls the receiver once with its own counting waker. */
    static final class ReceiverPoll extends Thread {
        final Oneshot<Integer> ch;
        final CountingWaker waker = new CountingWaker();
        volatile Poll<Integer> answer;
        volatile boolean sawClosed;

        ReceiverPoll(Oneshot<Integer> ch) {
            this.ch = ch;
        }

        @Override
        public void run() {
            try {
                answer = ch.receiver().poll(Context.of(waker, 128));
            } catch (ClosedException e) {
                sawClosed = true;
            }
        }
    }

    /** Sends 7, or closes the sender without sending. */
    static final class SenderSide extends Thread {
        final Oneshot<Integer> ch;
        final boolean send;

        SenderSide(Oneshot<Integer> ch, boolean send) {
            this.ch = ch;
            this.send = send;
        }

        @Override
        public void run() {
            if (send) {
                ch.sender().send(7);
            } else {
                ch.sender().close();
            }
        }
    }

    @Test
    void aSendRacingThePollIsReceived() {
        check(() -> {
            Oneshot<Integer> ch = Oneshot.channel();
            ReceiverPoll rx = new ReceiverPoll(ch);
            startAndJoin(rx, new SenderSide(ch, true));
            if (rx.answer.isPending()) {
                assertEquals(1, rx.waker.woken(), "a pending receiver must be woken once by the send");
                assertEquals(7, ch.receiver().poll(Context.of(rx.waker, 128)).value());
            } else {
                assertEquals(7, rx.answer.value());
            }
            assertFalse(rx.sawClosed);
        });
    }

    @Test
    void aCloseRacingThePollFailsTheReceiver() {
        check(() -> {
            Oneshot<Integer> ch = Oneshot.channel();
            ReceiverPoll rx = new ReceiverPoll(ch);
            startAndJoin(rx, new SenderSide(ch, false));
            if (!rx.sawClosed) {
                assertTrue(rx.answer.isPending(), "ready on a channel that was never sent to");
                assertEquals(1, rx.waker.woken(), "a pending receiver must be woken once by the close");
            }
            assertThrows(ClosedException.class, () -> ch.receiver().poll(Context.of(rx.waker, 128)));
        });
    }
}
