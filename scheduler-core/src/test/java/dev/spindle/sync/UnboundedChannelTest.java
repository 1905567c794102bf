package dev.spindle.sync;

import org.junit.jupiter.api.Test;

import static dev.spindle.sync.SyncTestSupport.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnboundedChannelTest extends ChannelContract {
    @Override
    <T> Channel<T> newChannel() {
        return Channel.unbounded();
    }

    @Test
    void sendsNeverWait() {
        Channel<Integer> ch = Channel.unbounded();
        CountingWaker w = new CountingWaker();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(poll(ch.sender().send(i), w).isReady());
        }
        assertEquals(10_000, ch.receiver().size());
        assertEquals(Integer.MAX_VALUE, ch.capacity());
    }
}
