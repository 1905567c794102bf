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

import static dev.spindle.sync.SyncTestSupport.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every channel variant answers to; subclasses add what only their variant does. */
abstract class ChannelContract extends SyncTestBase {

    /** A fresh channel of the variant under test. */
    abstract <T> Channel<T> newChannel();


    @Test
    void messagesArriveInOrderThenEndOfStream() {
        Channel<String> ch = newChannel();
        CountingWaker w = new CountingWaker();
        assertTrue(poll(ch.sender().send("a"), w).isReady());
        assertTrue(ch.sender().trySend("b"));
        ch.sender().close();
        assertEquals("a", poll(ch.receiver().receive(), w).value());
        assertEquals("b", poll(ch.receiver().receive(), w).value());
        assertNull(poll(ch.receiver().receive(), w).value(), "end of stream");
        assertNull(poll(ch.receiver().receive(), w).value(), "and it stays ended");
    }

    @Test
    void streamEndsOnlyWhenEverySenderIsClosed() {
        Channel<String> ch = newChannel();
        CountingWaker w = new CountingWaker();
        Channel.Sender<String> second = ch.sender().newSender();
        ch.sender().close();
        ch.sender().close(); // harmless
        PollFuture<String> rx = ch.receiver().receive();
        assertTrue(poll(rx, w).isPending());
        assertTrue(second.trySend("x"));
        assertEquals(1, w.woken());
        assertEquals("x", poll(rx, w).value());
        assertTrue(poll(rx, w).isPending());
        second.close();
        assertEquals(2, w.woken(), "the last close wakes a waiting receiver");
        assertNull(poll(rx, w).value());
        assertThrows(IllegalStateException.class, second::newSender);
    }

    @Test
    void badUseThrowsAtTheCall() {
        Channel<String> ch = newChannel();
        assertThrows(NullPointerException.class, () -> ch.sender().send(null));
        assertThrows(NullPointerException.class, () -> ch.sender().trySend(null));
        ch.sender().close();
        assertThrows(IllegalStateException.class, () -> ch.sender().send("a"));
        assertThrows(IllegalStateException.class, () -> ch.sender().trySend("a"));
    }

    @Test
    void spentBudgetAnswersPending() {
        Channel<String> ch = newChannel();
        CountingWaker w = new CountingWaker();
        PollFuture<Void> send = ch.sender().send("a");
        assertTrue(send.poll(Context.of(w, 0)).isPending());
        assertEquals(1, w.woken());
        assertEquals(0, ch.receiver().size(), "nothing sent on a spent budget");
        assertTrue(poll(send, w).isReady());
        assertTrue(ch.receiver().receive().poll(Context.of(w, 0)).isPending());
        assertEquals(1, ch.receiver().size(), "nothing taken on a spent budget");
        assertEquals("a", poll(ch.receiver().receive(), w).value());
    }

    @Test
    void receiverBlockedInATaskIsWokenFromAnotherThread() {
        Spindle rt = runtime(2);
        Channel<Integer> ch = newChannel();
        JoinHandle<Integer> sum = rt.spawn(new PollFuture<Integer>() {
            final PollFuture<Integer> rx = ch.receiver().receive();
            int total;

            @Override
            public Poll<Integer> poll(Context cx) {
                while (true) {
                    Poll<Integer> p = rx.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    if (p.value() == null) {
                        return Poll.ready(total);
                    }
                    total += p.value();
                }
            }
        });
        Thread producer = TestSupport.start("producer", () -> {
            for (int i = 1; i <= 1000; i++) {
                while (!ch.sender().trySend(i)) {
                    Thread.yield();
                }
            }
            ch.sender().close();
        });
        assertEquals(1000 * 1001 / 2, TestSupport.await(sum.toCompletableFuture(), "receiver"));
        TestSupport.join(producer);
    }

    /**
     * The bounded stress: 1,000,000 messages from 4 producer tasks across workers, each
     * received exactly once, each producer's in the order sent.
     */
    @Test
    void millionMessagesFromFourProducersEachReceivedExactlyOnce() {
        sendFromProducersAndCheckEachReceivedOnce(newChannel(), 4, 250_000);
    }

    /**
     * {@code producers} tasks each send {@code perProducer} messages on {@code ch} while one task
     * receives them: each arrives exactly once, each producer's in order.
     */
    final void sendFromProducersAndCheckEachReceivedOnce(Channel<Integer> ch, int producers, int perProducer) {
        Spindle rt = runtime(4);
        List<Channel.Sender<Integer>> senders = new ArrayList<>();
        senders.add(ch.sender());
        for (int p = 1; p < producers; p++) {
            senders.add(ch.sender().newSender());
        }
        Consumer consumer = new Consumer(ch.receiver(), producers, perProducer);
        JoinHandle<Void> rx = rt.spawn(consumer);
        List<JoinHandle<Void>> txs = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            txs.add(rt.spawn(new Producer(senders.get(p), p * perProducer, (p + 1) * perProducer)));
        }
        for (JoinHandle<Void> h : txs) {
            TestSupport.await(h.toCompletableFuture(), "producer");
        }
        TestSupport.await(rx.toCompletableFuture(), "consumer");
        assertEquals(0, consumer.duplicates, "duplicated messages");
        assertEquals(0, consumer.outOfOrder, "a producer's messages out of order");
        assertEquals(producers * perProducer, consumer.received, "lost messages");
        assertEquals(producers * perProducer, consumer.seen.cardinality());
    }

    /** Sends {@code [from, to)} one send at a time, then closes its handle. */
    static final class Producer implements PollFuture<Void> {
        private final Channel.Sender<Integer> tx;
        private final int to;
        private int next;
        private PollFuture<Void> send;

        Producer(Channel.Sender<Integer> tx, int from, int to) {
            this.tx = tx;
            this.next = from;
            this.to = to;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (true) {
                if (send == null) {
                    if (next == to) {
                        tx.close();
                        return Poll.ready(null);
                    }
                    send = tx.send(next++);
                }
                if (send.poll(cx).isPending()) {
                    return Poll.pending();
                }
                send = null;
            }
        }
    }

    /** Receives to the end of the stream, marking each message in a bitmap. */
    static final class Consumer implements PollFuture<Void> {
        private final PollFuture<Integer> rx;
        private final int perProducer;
        private final int[] last;
        final java.util.BitSet seen = new java.util.BitSet();
        int received;
        int duplicates;
        int outOfOrder;

        Consumer(Channel.Receiver<Integer> receiver, int producers, int perProducer) {
            this.rx = receiver.receive();
            this.perProducer = perProducer;
            this.last = new int[producers];
            java.util.Arrays.fill(last, -1);
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (true) {
                Poll<Integer> p = rx.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                Integer m = p.value();
                if (m == null) {
                    return Poll.ready(null);
                }
                received++;
                if (seen.get(m)) {
                    duplicates++;
                }
                seen.set(m);
                int producer = m / perProducer;
                if (m <= last[producer]) {
                    outOfOrder++;
                }
                last[producer] = m;
            }
        }
    }
}
