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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneshotTest extends SyncTestBase {

    @Test
    void aValueSentBeforeThePollIsReceived() {
        Oneshot<String> ch = Oneshot.channel();
        assertTrue(ch.sender().send("v"));
        assertEquals("v", ch.receiver().poll(cx(new CountingWaker())).value());
    }

    @Test
    void aSendWakesAWaitingReceiver() {
        Oneshot<String> ch = Oneshot.channel();
        CountingWaker w = new CountingWaker();
        assertTrue(ch.receiver().poll(cx(w)).isPending());
        assertTrue(ch.sender().send(null));
        assertEquals(1, w.woken());
        assertNull(ch.receiver().poll(cx(w)).value());
    }

    @Test
    void closingTheSenderFailsTheReceiverWithClosedException() {
        Oneshot<String> ch = Oneshot.channel();
        CountingWaker w = new CountingWaker();
        assertTrue(ch.receiver().poll(cx(w)).isPending());
        ch.sender().close();
        assertEquals(1, w.woken());
        ClosedException e = assertThrows(ClosedException.class, () -> ch.receiver().poll(cx(w)));
        assertTrue(e.getMessage().contains("closed without sending"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ch.sender().send("late"));
    }

    @Test
    void aSendAfterTheReceiverIsDroppedReturnsFalse() {
        Oneshot<String> ch = Oneshot.channel();
        assertFalse(ch.sender().isClosed());
        ch.receiver().drop();
        assertTrue(ch.sender().isClosed());
        assertFalse(ch.sender().send("lost"));
    }

    @Test
    void aSecondSendOrReceiveIsRejected() {
        Oneshot<String> ch = Oneshot.channel();
        ch.sender().send("once");
        assertThrows(IllegalStateException.class, () -> ch.sender().send("twice"));
        assertEquals("once", ch.receiver().poll(cx(new CountingWaker())).value());
        assertThrows(IllegalStateException.class, () -> ch.receiver().poll(cx(new CountingWaker())));
    }

    @Test
    void aSpentBudgetAnswersPendingAndReWakes() {
        Oneshot<String> ch = Oneshot.channel();
        ch.sender().send("v");
        CountingWaker w = new CountingWaker();
        assertTrue(ch.receiver().poll(Context.of(w, 0)).isPending());
        assertEquals(1, w.woken());
        Context cx = Context.of(w, 1);
        assertEquals("v", ch.receiver().poll(cx).value());
        assertEquals(0, cx.remainingBudget());
    }

    /** A sender closed by a task on a runtime: the receiving task fails with ClosedException. */
    @Test
    void aReceivingTaskFailsWhenTheSenderCloses() throws InterruptedException {
        Spindle rt = runtime(2);
        Oneshot<String> ch = Oneshot.channel();
        JoinHandle<String> rx = rt.spawn(ch.receiver());
        rt.spawn(cx -> {
            ch.sender().close();
            return Poll.ready(null);
        });
        CompletableFuture<String> f = rx.toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> f.get(TestSupport.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        assertInstanceOf(ClosedException.class, e.getCause());
    }

    /**
     * Ping-pong between two tasks over 2 x 1,000 oneshots: the pinger sends i on ping[i] and
     * waits for i + 1 on pong[i]; the ponger answers each ping.
     */
    @Test
    void pingPongBetweenTwoTasks() {
        Spindle rt = runtime(2);
        int rounds = 1_000;
        List<Oneshot<Integer>> ping = new ArrayList<>();
        List<Oneshot<Integer>> pong = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            ping.add(Oneshot.channel());
            pong.add(Oneshot.channel());
        }
        JoinHandle<Integer> ponger = rt.spawn(new Player(pong, ping, false));
        JoinHandle<Integer> pinger = rt.spawn(new Player(ping, pong, true));
        assertEquals(rounds, TestSupport.await(pinger.toCompletableFuture(), "pinger"));
        assertEquals(rounds, TestSupport.await(ponger.toCompletableFuture(), "ponger"));
    }

    /** Sends on out[i] and receives on in[i], in the order its role needs; counts the rounds. */
    private static final class Player implements PollFuture<Integer> {
        private final List<Oneshot<Integer>> out;
        private final List<Oneshot<Integer>> in;
        private final boolean sendsFirst;
        private int round;
        private boolean sent;

        Player(List<Oneshot<Integer>> out, List<Oneshot<Integer>> in, boolean sendsFirst) {
            this.out = out;
            this.in = in;
            this.sendsFirst = sendsFirst;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            while (round < out.size()) {
                if (sendsFirst && !sent) {
                    assertTrue(out.get(round).sender().send(round));
                    sent = true;
                }
                Poll<Integer> got = in.get(round).receiver().poll(cx);
                if (got.isPending()) {
                    return Poll.pending();
                }
                int expected = sendsFirst ? round + 1 : round;
                assertEquals(expected, got.value());
                if (!sendsFirst) {
                    assertTrue(out.get(round).sender().send(round + 1));
                }
                sent = false;
                round++;
            }
            return Poll.ready(round);
        }
    }
}
