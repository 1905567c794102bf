package dev.spindle.sync;

import dev.spindle.sync.SyncLincheckTest.Consumer;
import dev.spindle.sync.SyncLincheckTest.Producer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.spindle.LincheckSupport.check;
import static dev.spindle.LincheckSupport.startAndJoin;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model checks of the unbounded {@link Channel}: two producers and the consumer racing, and
 * the last sender's close racing a waiting receiver. The consumer spins until its own waker
 * was woken since its last poll (the producer and consumer threads of
 * {@link SyncLincheckTest}), so a lost wake-up, by a send or by the close that ends the
 * stream, leaves it spinning forever, which Lincheck reports as a hang. Outcomes are checked
 * after the joins.
 *
 * <p>Current behaviour: {@value dev.spindle.LincheckSupport#INVOCATIONS} interleavings per scenario;
 * {@code mvn -Dspindle.lincheck.invocations=N} runs more.
 */
class UnboundedChannelLincheckTest {

    /** Closes a sender handle; it sends nothing. */
    static final class Closer extends Thread {
        final Channel.Sender<Integer> tx;

        Closer(Channel.Sender<Integer> tx) {
            this.tx = tx;
        }

        @Override
        public void run() {
            tx.close();
        }
    }

    /**
     * Two producers (two messages and one, then each closes its own handle) and the consumer:
     * every message is received exactly once, the first producer's in the order it sent them,
     * and the stream then ends.
     */
    @Test
    void twoProducersLoseDuplicateAndReorderNothing() {
        check(() -> {
            Channel<Integer> ch = Channel.unbounded();
            Channel.Sender<Integer> tx2 = ch.sender().newSender();
            Consumer consumer = new Consumer(ch.receiver());
            startAndJoin(new Producer(ch.sender(), 1, 2), new Producer(tx2, 11), consumer);
            List<Integer> got = consumer.received;
            List<Integer> first = new ArrayList<>();
            List<Integer> second = new ArrayList<>();
            for (int m : got) {
                (m < 10 ? first : second).add(m);
            }
            assertEquals(List.of(1, 2), first, () -> "received " + got);
            assertEquals(List.of(11), second, () -> "received " + got);
        });
    }

    /**
     * The consumer waits on an empty channel while the two sender handles are closed by two
     * threads: the close that ends the stream wakes it, and it sees the end (else it spins
     * forever); nothing is received.
     */
    @Test
    void aReceiverWaitingWhileTheLastSenderClosesSeesTheEnd() {
        check(() -> {
            Channel<Integer> ch = Channel.unbounded();
            Channel.Sender<Integer> tx2 = ch.sender().newSender();
            Consumer consumer = new Consumer(ch.receiver());
            startAndJoin(new Closer(ch.sender()), new Closer(tx2), consumer);
            assertEquals(List.of(), consumer.received);
        });
    }

    /**
     * One producer sends a message and closes while the other handle is closed by another
     * thread and the consumer waits: the message arrives, then the end of the stream, never
     * the end first.
     */
    @Test
    void aMessageSentJustBeforeTheLastCloseIsReceivedBeforeTheEnd() {
        check(() -> {
            Channel<Integer> ch = Channel.unbounded();
            Channel.Sender<Integer> tx2 = ch.sender().newSender();
            Consumer consumer = new Consumer(ch.receiver());
            startAndJoin(new Producer(ch.sender(), 1), new Closer(tx2), consumer);
            assertEquals(List.of(1), consumer.received);
        });
    }
}
