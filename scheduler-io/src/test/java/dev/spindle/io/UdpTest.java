package dev.spindle.io;

import dev.spindle.JoinHandle;
import dev.spindle.Spindle;
import dev.spindle.future.Futures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpTest extends IoTestBase {

    @Test
    void datagramsGoBothWays() throws Exception {
        Spindle rt = runtime(2);
        UdpSocket a = closeLater(UdpSocket.bind(rt, anyPort()));
        UdpSocket b = closeLater(UdpSocket.bind(rt, anyPort()));
        ByteBuffer got = ByteBuffer.allocate(16);
        JoinHandle<SocketAddress> received = rt.spawn(b.receive(got)); // waits: nothing sent yet
        assertEquals(3, join(rt.spawn(a.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), b.localAddress()))));
        assertEquals(a.localAddress(), join(received));
        got.flip();
        byte[] bytes = new byte[got.remaining()];
        got.get(bytes);
        assertArrayEquals(new byte[] {1, 2, 3}, bytes);

        // and back, as a chain inside one task
        ByteBuffer reply = ByteBuffer.allocate(16);
        JoinHandle<SocketAddress> back = rt.spawn(a.receive(reply));
        join(rt.spawn(Futures.andThen(b.send(ByteBuffer.wrap(new byte[] {9}), a.localAddress()), n -> Futures.ready(n))));
        assertEquals(b.localAddress(), join(back));
        assertEquals(1, reply.position());
    }

    @Test
    void closingTheSocketFailsAWaitingReceive() throws Exception {
        Spindle rt = runtime(1);
        UdpSocket s = UdpSocket.bind(rt, anyPort());
        AtomicInteger pending = new AtomicInteger();
        JoinHandle<SocketAddress> r = rt.spawn(TcpTest.counted(s.receive(ByteBuffer.allocate(8)), pending));
        awaitTrue(() -> pending.get() >= 1, "the receive waiting");
        s.close();
        Throwable t = failure(r);
        assertInstanceOf(IOException.class, t);
        assertTrue(t.getMessage().contains("receive on " + s.localAddress()), t.getMessage());
    }
}
