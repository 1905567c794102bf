package dev.spindle.sync;

import dev.spindle.Poll;
import dev.spindle.PollFuture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.spindle.LincheckSupport.check;
import static dev.spindle.LincheckSupport.startAndJoin;
import static dev.spindle.sync.SyncTestSupport.poll;
import static dev.spindle.sync.SyncTestSupport.pollUntilReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of {@link Semaphore} and the bounded {@link Channel} on small instances.
 * Lincheck's model checker runs each scenario many times under different interleavings,
 * switching threads at shared accesses (the monitors, the queues, the wakers). A thread that
 * waits spins until its own waker was woken since its last poll, so a lost wake-up leaves it
 * spinning forever, which Lincheck reports as a hang with the interleaving that caused it.
 * Each scenario checks its outcome once its threads are joined.
 *
 * <p>Scenario threads are named classes, not lambdas: Lincheck cannot see the fields of a
 * lambda's hidden class and says so on the console.
 *
 * <p>Current behaviour: {@value dev.spindle.LincheckSupport#INVOCATIONS} interleavings per scenario;
 * {@code mvn -Dspindle.lincheck.invocations=N} runs more.
 */
class SyncLincheckTest {



    /** Acquires {@code n} permits, waiting for wakes, records the count, releases. */
    static final class Acquirer extends Thread {
        final Semaphore s;
        final int n;
        int got;

        Acquirer(Semaphore s, int n) {
            this.s = s;
            this.n = n;
        }

        @Override
        public void run() {
            try (Semaphore.Permit p = pollUntilReady(s.acquire(n), new CountingWaker())) {
                got = p.count();
            }
        }
    }

    /** Polls one acquire once; if it must wait, drops it. */
    static final class QuittingAcquirer extends Thread {
        final Semaphore s;

        QuittingAcquirer(Semaphore s) {
            this.s = s;
        }

        @Override
        public void run() {
            PollFuture<Semaphore.Permit> f = s.acquire(1);
            Poll<Semaphore.Permit> answer = poll(f, new CountingWaker());
            if (answer.isReady()) {
                answer.value().close();
            } else {
                f.drop();
            }
        }
    }

    /** Drops an acquire that was polled (pending) before it started, without polling it again. */
    static final class AcquireDropper extends Thread {
        final PollFuture<Semaphore.Permit> future;

        AcquireDropper(PollFuture<Semaphore.Permit> future) {
            this.future = future;
        }

        @Override
        public void run() {
            future.drop();
        }
    }

    /**
     * Sends its messages in order, waiting for wakes, until they are all in or the receiver is
     * closed; records what went in, then closes its handle.
     */
    static final class Producer extends Thread {
        final Channel.Sender<Integer> tx;
        final int[] messages;
        final List<Integer> sent = new ArrayList<>();

        Producer(Channel.Sender<Integer> tx, int... messages) {
            this.tx = tx;
            this.messages = messages;
        }

        @Override
        public void run() {
            try {
                for (int m : messages) {
                    pollUntilReady(tx.send(m), new CountingWaker());
                    sent.add(m);
                }
            } catch (ClosedException expected) {
                // the consumer stopped: the rest is not sent
            }
            tx.close();
        }
    }

    /** Polls one send once; if it must wait, drops it; then closes its handle. */
    static final class QuittingProducer extends Thread {
        final Channel.Sender<Integer> tx;
        final int message;
        boolean sent;

        QuittingProducer(Channel.Sender<Integer> tx, int message) {
            this.tx = tx;
            this.message = message;
        }

        @Override
        public void run() {
            PollFuture<Void> f = tx.send(message);
            if (poll(f, new CountingWaker()).isReady()) {
                sent = true;
            } else {
                f.drop();
            }
            tx.close();
        }
    }

    /** Receives to the end of the stream; with {@code closeAfterFirst}, closes the receiver after the first message. */
    static final class Consumer extends Thread {
        final Channel.Receiver<Integer> rx;
        final boolean closeAfterFirst;
        final List<Integer> received = new ArrayList<>();

        Consumer(Channel.Receiver<Integer> rx) {
            this(rx, false);
        }

        Consumer(Channel.Receiver<Integer> rx, boolean closeAfterFirst) {
            this.rx = rx;
            this.closeAfterFirst = closeAfterFirst;
        }

        @Override
        public void run() {
            CountingWaker w = new CountingWaker();
            PollFuture<Integer> f = rx.receive();
            Integer m;
            while ((m = pollUntilReady(f, w)) != null) {
                received.add(m);
                if (closeAfterFirst && received.size() == 1) {
                    rx.close();
                }
            }
        }
    }

    /**
     * Two waiting acquires (two permits, then one) race a third that gives up after one pending
     * poll: every waiter that stays gets its permits (no lost wake-up, no permit kept by the
     * dropped one), and all permits are back at the end.
     */
    @Test
    void semaphoreWaitersAndADroppedAcquireLoseNothing() {
        check(() -> {
            Semaphore s = new Semaphore(2);
            Acquirer big = new Acquirer(s, 2);
            Acquirer small = new Acquirer(s, 1);
            startAndJoin(big, small, new QuittingAcquirer(s));
            assertEquals(2, big.got);
            assertEquals(1, small.got);
            assertEquals(2, s.availablePermits(), "permits lost");
            assertTrue(s.tryAcquire(2).isPresent(), "a waiter was left queued");
        });
    }

    /**
     * A large acquire (two permits) queued at the head while only one is free holds back a
     * small one behind it; it is dropped while the small one arrives. Its leaving must let the
     * small one have the free permit (nothing else will release one, so otherwise the small
     * one spins forever), and no permit is lost.
     */
    @Test
    void aDroppedLargeHeadLetsASmallerWaiterThrough() {
        check(() -> {
            Semaphore s = new Semaphore(2);
            Semaphore.Permit held = s.tryAcquire(1).orElseThrow();
            PollFuture<Semaphore.Permit> big = s.acquire(2);
            assertTrue(poll(big, new CountingWaker()).isPending());
            Acquirer small = new Acquirer(s, 1);
            startAndJoin(new AcquireDropper(big), small);
            assertEquals(1, small.got);
            held.close();
            assertEquals(2, s.availablePermits(), "permits lost");
            assertTrue(s.tryAcquire(2).isPresent(), "a waiter was left queued");
        });
    }

    /**
     * Two producers (then each closes its own handle) and one consumer on a one-slot channel:
     * every message is received exactly once, each producer's in order, and the stream then
     * ends; no sender or receiver waits forever.
     */
    @Test
    void boundedChannelLosesAndDuplicatesNothing() {
        check(() -> {
            Channel<Integer> ch = Channel.bounded(1);
            Channel.Sender<Integer> tx2 = ch.sender().newSender();
            Consumer consumer = new Consumer(ch.receiver());
            startAndJoin(new Producer(ch.sender(), 1, 2), new Producer(tx2, 11), consumer);
            List<Integer> got = consumer.received;
            assertEquals(3, got.size(), () -> "received " + got);
            assertTrue(got.contains(11), () -> "received " + got);
            assertTrue(got.indexOf(1) >= 0 && got.indexOf(1) < got.indexOf(2), () -> "order " + got);
        });
    }

    /**
     * Two producers on a one-slot channel whose consumer closes the receiver after its first
     * message: every send either went in, and is received exactly once, in its producer's
     * order, or failed, and is never received; a send waiting when the receiver closes fails
     * instead of waiting forever, and the consumer's stream ends.
     */
    @Test
    void closingTheReceiverLosesNoMessageThatWentInAndStrandsNoSender() {
        check(() -> {
            Channel<Integer> ch = Channel.bounded(1);
            Channel.Sender<Integer> tx2 = ch.sender().newSender();
            Producer p1 = new Producer(ch.sender(), 1, 2);
            Producer p2 = new Producer(tx2, 11);
            Consumer consumer = new Consumer(ch.receiver(), true);
            startAndJoin(p1, p2, consumer);
            List<Integer> sent = new ArrayList<>(p1.sent);
            sent.addAll(p2.sent);
            List<Integer> got = consumer.received;
            assertEquals(sent.size(), got.size(), () -> "sent " + sent + ", received " + got);
            assertTrue(got.containsAll(sent), () -> "sent " + sent + ", received " + got);
            assertTrue(!got.contains(2) || got.indexOf(1) < got.indexOf(2), () -> "order " + got);
        });
    }

    /**
     * A send that gives up after one pending poll races another waiting sender and the
     * consumer on a full one-slot channel: the dropped message never arrives, its slot (if it
     * had been granted one) goes to the other sender, and nobody waits forever.
     */
    @Test
    void droppedSendPassesItsSlotOn() {
        check(() -> {
            Channel<Integer> ch = Channel.bounded(1);
            Channel.Sender<Integer> tx2 = ch.sender().newSender();
            assertTrue(ch.sender().trySend(0));
            QuittingProducer quitter = new QuittingProducer(ch.sender(), 1);
            Consumer consumer = new Consumer(ch.receiver());
            startAndJoin(quitter, new Producer(tx2, 2), consumer);
            List<Integer> got = consumer.received;
            assertEquals(0, got.get(0));
            assertTrue(got.contains(2), () -> "lost: " + got);
            assertEquals(quitter.sent, got.contains(1), () -> "dropped send delivered, or a sent one lost: " + got);
            assertEquals(quitter.sent ? 3 : 2, got.size(), () -> "received " + got);
        });
    }
}
