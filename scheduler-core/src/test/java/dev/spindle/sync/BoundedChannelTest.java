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
