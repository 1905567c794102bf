package dev.spindle.stream;

import dev.spindle.sync.Channel;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A channel's receiver, as a stream, answers to the finite stream contract. */
class ReceiverStreamTest extends FiniteStreamContract {
    @Override
    AsyncStream<Integer> streamOf(int n) {
        Channel<Integer> ch = Channel.unbounded();
        for (int i = 0; i < n; i++) {
            assertTrue(ch.sender().trySend(i));
        }
        ch.sender().close();
        return ch.receiver();
    }
}
