package dev.spindle.sync;

import dev.spindle.PollFuture;
import org.junit.jupiter.api.Test;

import static dev.spindle.sync.SyncTestSupport.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedChannelTest extends ChannelContract {
    @Override
    <T> Channel<T> newChannel() {
        return Channel.bounded(64);
    }

    /** A one-slot channel: nearly every send waits, so the grant path runs across workers. */
    @Test
    void oneSlotChannelUnderFourProducersLosesAndDuplicatesNothing() {
        sendFromProducersAndCheckEachReceivedOnce(Channel.bounded(1), 4, 25_000);
    }

    /**
     * A consumer that stops early closes the receiver: a waiting send is woken and fails, so
     * is a later one (and trySend), the messages already in still arrive, and then the stream
     * ends although the sender is open.
     */
    @Test
    void closingTheReceiverFailsWaitingAndLaterSendsAndKeepsWhatIsIn() {
        Channel<String> ch = Channel.bounded(1);
        Channel.Sender<String> tx = ch.sender();
        CountingWaker ws = new CountingWaker();
        CountingWaker wr = new CountingWaker();
        assertTrue(tx.trySend("in"));
        PollFuture<Void> waiting = tx.send("waits");
        assertTrue(poll(waiting, ws).isPending());
        assertFalse(ch.receiver().isClosed());
        ch.receiver().close();
        ch.receiver().close(); // again: nothing more
        assertTrue(ch.receiver().isClosed());
        assertEquals(1, ws.woken(), "the waiting sender is woken to fail");
        assertThrows(ClosedException.class, () -> poll(waiting, ws));
        assertThrows(ClosedException.class, () -> tx.trySend("late"));
        PollFuture<Void> late = tx.send("late");
        assertThrows(ClosedException.class, () -> poll(late, ws));
        assertEquals("in", poll(ch.receiver().receive(), wr).value());
        assertNull(poll(ch.receiver().receive(), wr).value(), "the end, with the sender still open");
    }

    /**
     * A send granted a slot but not polled yet when the receiver closes: the receiver, which
     * has nothing else, waits for it, and is woken when that send fails and gives the slot
     * back; the stream then ends.
     */
    @Test
    void aGrantedSendFailsAtItsNextPollAndThenTheStreamEnds() {
        Channel<String> ch = Channel.bounded(1);
        Channel.Sender<String> tx = ch.sender();
        CountingWaker ws = new CountingWaker();
        CountingWaker wr = new CountingWaker();
        assertTrue(tx.trySend("1"));
        PollFuture<Void> granted = tx.send("2");
        assertTrue(poll(granted, ws).isPending());
        assertEquals("1", poll(ch.receiver().receive(), wr).value());
        assertEquals(1, ws.woken(), "the slot went to the waiting send");
        ch.receiver().close();
        PollFuture<String> r = ch.receiver().receive();
        assertTrue(poll(r, wr).isPending(), "a granted send may still come");
        assertThrows(ClosedException.class, () -> poll(granted, ws));
        assertEquals(1, wr.woken(), "the failed send woke the receiver for the end");
        assertNull(poll(r, wr).value());
    }

    @Test
    void capacityBelowOneThrows() {
        assertThrows(IllegalArgumentException.class, () -> Channel.bounded(0));
        assertThrows(IllegalArgumentException.class, () -> Channel.bounded(-3));
    }

    @Test
    void fullChannelMakesSendersWaitInOrder() {
        Channel<String> ch = Channel.bounded(2);
        Channel.Sender<String> tx = ch.sender();
        CountingWaker wa = new CountingWaker();
        CountingWaker wb = new CountingWaker();
        CountingWaker wr = new CountingWaker();
        assertTrue(tx.trySend("1"));
        assertTrue(tx.trySend("2"));
        assertFalse(tx.trySend("x"));
        PollFuture<Void> a = tx.send("a");
        PollFuture<Void> b = tx.send("b");
        assertTrue(poll(a, wa).isPending());
        assertTrue(poll(b, wb).isPending());
        assertEquals("1", poll(ch.receiver().receive(), wr).value());
        assertEquals(1, wa.woken(), "the first waiting sender gets the freed slot");
        assertEquals(0, wb.woken());
        assertFalse(tx.trySend("x"), "trySend must not take a slot granted to a waiter");
        assertTrue(poll(a, wa).isReady());
        assertEquals("2", poll(ch.receiver().receive(), wr).value());
        assertEquals(1, wb.woken());
        assertTrue(poll(b, wb).isReady());
        assertEquals("a", poll(ch.receiver().receive(), wr).value());
        assertEquals("b", poll(ch.receiver().receive(), wr).value());
    }

    @Test
    void droppedSendSendsNothingAndPassesItsSlotOn() {
        Channel<String> ch = Channel.bounded(1);
        Channel.Sender<String> tx = ch.sender();
        CountingWaker wa = new CountingWaker();
        CountingWaker wb = new CountingWaker();
        CountingWaker wr = new CountingWaker();
        assertTrue(tx.trySend("1"));
        PollFuture<Void> a = tx.send("a");
        PollFuture<Void> b = tx.send("b");
        assertTrue(poll(a, wa).isPending());
        assertTrue(poll(b, wb).isPending());
        assertEquals("1", poll(ch.receiver().receive(), wr).value());
        assertEquals(1, wa.woken(), "granted to a");
        a.drop();
        assertEquals(1, wb.woken(), "a's slot goes to b");
        assertTrue(poll(b, wb).isReady());
        tx.close();
        assertEquals("b", poll(ch.receiver().receive(), wr).value());
        assertNull(poll(ch.receiver().receive(), wr).value());
    }

    @Test
    void streamWaitsForSendsPendingWhenTheLastSenderCloses() {
        Channel<String> ch = Channel.bounded(1);
        Channel.Sender<String> tx = ch.sender();
        CountingWaker ws = new CountingWaker();
        CountingWaker wr = new CountingWaker();
        assertTrue(tx.trySend("1"));
        PollFuture<Void> s = tx.send("2");
        assertTrue(poll(s, ws).isPending());
        tx.close();
        assertEquals("1", poll(ch.receiver().receive(), wr).value());
        PollFuture<String> rx = ch.receiver().receive();
        assertTrue(poll(rx, wr).isPending(), "a send is still on its way");
        assertTrue(poll(s, ws).isReady());
        assertEquals("2", poll(rx, wr).value());
        assertNull(poll(rx, wr).value());
    }

    @Test
    void droppingTheLastPendingSendEndsTheStream() {
        Channel<String> ch = Channel.bounded(1);
        Channel.Sender<String> tx = ch.sender();
        CountingWaker ws = new CountingWaker();
        CountingWaker wr = new CountingWaker();
        assertTrue(tx.trySend("1"));
        PollFuture<Void> s = tx.send("2");
        assertTrue(poll(s, ws).isPending());
        tx.close();
        assertEquals("1", poll(ch.receiver().receive(), wr).value());
        PollFuture<String> rx = ch.receiver().receive();
        assertTrue(poll(rx, wr).isPending());
        int before = wr.woken();
        s.drop();
        assertEquals(before + 1, wr.woken(), "the receiver waits on that send: wake it");
        assertNull(poll(rx, wr).value());
    }
}
