package dev.spindle.io;

import dev.spindle.Context;
import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.future.Futures;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every TCP operation over loopback, against blocking JDK sockets and against itself. */
class TcpTest extends IoTestBase {

    /** A future built lazily, on the first poll (inside the task, where the runtime is current). */
    static <T> PollFuture<T> lazy(java.util.function.Supplier<PollFuture<T>> make) {
        return new PollFuture<>() {
            PollFuture<T> f;

            @Override
            public Poll<T> poll(Context cx) {
                if (f == null) {
                    f = make.get();
                }
                return f.poll(cx);
            }

            @Override
            public void drop() {
                if (f != null) {
                    f.drop();
                }
            }
        };
    }

    @Test
    void acceptReadExactAndWriteAllRoundTrip() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        JoinHandle<String> server = rt.spawn(Futures.andThen(l.accept(), s -> {
            ByteBuffer buf = ByteBuffer.allocate(5);
            return Futures.andThen(s.readExact(buf), b -> {
                b.flip();
                String got = StandardCharsets.US_ASCII.decode(b).toString();
                return Futures.map(s.writeAll(ByteBuffer.wrap(("echo:" + got).getBytes(StandardCharsets.US_ASCII))), n -> got);
            });
        }));
        Socket c = client(l.localAddress());
        c.getOutputStream().write("he".getBytes(StandardCharsets.US_ASCII)); // a partial read first
        c.getOutputStream().flush();
        c.getOutputStream().write("llo".getBytes(StandardCharsets.US_ASCII));
        assertEquals("hello", join(server));
        assertEquals("echo:hello", new String(readN(c.getInputStream(), 10), StandardCharsets.US_ASCII));
    }

    @Test
    void connectReadAndWriteFromATask() throws Exception {
        Spindle rt = runtime(2);
        try (ServerSocket ss = new ServerSocket(0, 16, LOOPBACK)) {
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, ss.getLocalPort());
            JoinHandle<Integer> h = rt.spawn(lazy(() -> Futures.andThen(TcpStream.connect(to), s -> {
                closeLater(s);
                return Futures.andThen(s.writeAll(ByteBuffer.wrap(new byte[] {1, 2, 3})),
                        n -> s.read(ByteBuffer.allocate(16)));
            })));
            try (Socket peer = ss.accept()) {
                assertArrayEquals(new byte[] {1, 2, 3}, readN(peer.getInputStream(), 3));
                peer.getOutputStream().write(new byte[] {9, 9});
                assertEquals(2, join(h));
            }
        }
    }

    @Test
    void readSeesEndOfStreamAndReadExactFailsWithEof() throws Exception {
        Spindle rt = runtime(1);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        JoinHandle<TcpStream> accepted = rt.spawn(l.accept());
        Socket c = client(l.localAddress());
        TcpStream s = closeLater(join(accepted));
        c.getOutputStream().write(new byte[] {7});
        c.shutdownOutput();
        Throwable t = failure(rt.spawn(s.readExact(ByteBuffer.allocate(4))));
        assertInstanceOf(EOFException.class, t);
        assertTrue(t.getMessage().contains(String.valueOf(c.getLocalPort())), t.getMessage());
        assertEquals(-1, join(rt.spawn(s.read(ByteBuffer.allocate(4)))));
    }

    @Test
    void halfCloseLetsThePeerFinishWriting() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        JoinHandle<TcpStream> accepted = rt.spawn(l.accept());
        Socket c = client(l.localAddress());
        TcpStream s = closeLater(join(accepted));
        s.shutdownOutput();
        assertEquals(-1, c.getInputStream().read(), "the client sees the end of the server's output");
        c.getOutputStream().write(new byte[] {4, 5, 6});
        ByteBuffer buf = ByteBuffer.allocate(3);
        join(rt.spawn(s.readExact(buf)));
        assertArrayEquals(new byte[] {4, 5, 6}, buf.array());
    }

    @Test
    void closingAStreamWakesEveryWaiterWithAnIOException() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        JoinHandle<TcpStream> accepted = rt.spawn(l.accept());
        client(l.localAddress());
        TcpStream s = join(accepted);
        List<JoinHandle<Integer>> readers = new ArrayList<>();
        AtomicInteger polled = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            readers.add(rt.spawn(counted(s.read(ByteBuffer.allocate(8)), polled)));
        }
        awaitTrue(() -> polled.get() >= 4, "every reader waiting");
        s.close();
        for (JoinHandle<Integer> r : readers) {
            Throwable t = failure(r);
            assertInstanceOf(IOException.class, t);
            assertTrue(t.getMessage().contains("closed"), t.getMessage());
        }
        assertFalse(s.isOpen());
        s.close(); // twice is harmless
    }

    @Test
    void closingAListenerFailsItsAccept() throws Exception {
        Spindle rt = runtime(1);
        TcpListener l = TcpListener.bind(rt, anyPort(), 16);
        AtomicInteger polled = new AtomicInteger();
        JoinHandle<TcpStream> a = rt.spawn(counted(l.accept(), polled));
        awaitTrue(() -> polled.get() >= 1, "the accept waiting");
        l.close();
        assertInstanceOf(IOException.class, failure(a));
    }

    /** Counts polls that answered pending, so a test knows a future is waiting. */
    static <T> PollFuture<T> counted(PollFuture<T> f, AtomicInteger pendingPolls) {
        return new PollFuture<>() {
            @Override
            public Poll<T> poll(Context cx) {
                Poll<T> p = f.poll(cx);
                if (p.isPending()) {
                    pendingPolls.incrementAndGet();
                }
                return p;
            }

            @Override
            public void drop() {
                f.drop();
            }
        };
    }

    /**
     * Several tasks wait to read one socket; one write wakes them all. With one waker slot per
     * direction, only the last registered reader would be woken and the others would wait
     * forever, although the bytes for them are there.
     */
    @Test
    void everyReaderWaitingOnOneSocketIsWoken() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        JoinHandle<TcpStream> accepted = rt.spawn(l.accept());
        Socket c = client(l.localAddress());
        TcpStream s = closeLater(join(accepted));
        int readers = 6;
        AtomicInteger pending = new AtomicInteger();
        List<JoinHandle<Integer>> hs = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            hs.add(rt.spawn(counted(s.read(ByteBuffer.allocate(1)), pending)));
        }
        awaitTrue(() -> pending.get() >= readers, "every reader waiting");
        c.getOutputStream().write(new byte[readers]);
        for (JoinHandle<Integer> h : hs) {
            assertEquals(1, join(h));
        }
    }

    /** Eight tasks write to one socket at once: every writer completes and every byte arrives. */
    @Test
    void eightConcurrentWritersLoseNothing() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        JoinHandle<TcpStream> accepted = rt.spawn(l.accept());
        Socket c = client(l.localAddress());
        TcpStream s = closeLater(join(accepted));
        int writers = 8;
        int each = 1 << 20; // far beyond the socket buffers: writers wait, several at once
        List<JoinHandle<Integer>> hs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            byte[] bytes = new byte[each];
            Arrays.fill(bytes, (byte) (w + 1));
            hs.add(rt.spawn(s.writeAll(ByteBuffer.wrap(bytes))));
        }
        long[] counts = new long[writers + 1];
        InputStream in = c.getInputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        while (total < (long) writers * each) {
            int n = in.read(buf);
            assertTrue(n > 0, "the stream ended after " + total + " bytes");
            for (int i = 0; i < n; i++) {
                counts[buf[i]]++;
            }
            total += n;
        }
        for (JoinHandle<Integer> h : hs) {
            assertEquals(each, join(h));
        }
        for (int w = 1; w <= writers; w++) {
            assertEquals(each, counts[w], "bytes of writer " + w);
        }
        assertEquals(0, counts[0]);
    }

    /**
     * A peer that does not read makes writeAll wait (the send buffers fill; nothing more is
     * taken), and reading lets it finish.
     */
    @Test
    void aSlowReaderMakesTheWriterWait() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        JoinHandle<TcpStream> accepted = rt.spawn(l.accept());
        Socket c = client(l.localAddress());
        TcpStream s = closeLater(join(accepted));
        int size = 32 << 20;
        AtomicInteger pending = new AtomicInteger();
        ByteBuffer src = ByteBuffer.allocate(size);
        JoinHandle<Integer> w = rt.spawn(counted(s.writeAll(src), pending));
        awaitTrue(() -> pending.get() >= 1, "the writer waiting");
        int taken = src.position();
        assertTrue(taken < size, "all " + size + " bytes were taken by a peer that reads nothing");
        assertFalse(w.toCompletableFuture().isDone());
        assertEquals(size, readN(c.getInputStream(), size).length);
        assertEquals(size, join(w));
    }

    @Test
    void errorsNameTheAddress() throws Exception {
        Spindle rt = runtime(1);
        int freePort;
        try (ServerSocket ss = new ServerSocket(0, 1, LOOPBACK)) {
            freePort = ss.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress(LOOPBACK, freePort);
        Throwable refused = failure(rt.spawn(TcpStream.connect(rt, nobody)));
        assertInstanceOf(IOException.class, refused);
        assertTrue(refused.getMessage().contains("connect to " + nobody), refused.getMessage());
        assertTrue(refused.getCause() != null);

        IOException ours = assertThrows(IOException.class, () -> {
            try (ServerSocket holder = new ServerSocket(0, 1, LOOPBACK)) {
                TcpListener.bind(rt, new InetSocketAddress(LOOPBACK, holder.getLocalPort()), 16);
            }
        });
        assertTrue(ours.getMessage().startsWith("bind to "), ours.getMessage());
    }

    @Test
    void badArgumentsAndMissingReactorFailAtTheCall() throws Exception {
        Spindle rt = runtime(1);
        assertThrows(IllegalArgumentException.class, () -> TcpListener.bind(rt, anyPort(), 0));
        assertThrows(NullPointerException.class, () -> TcpListener.bind(rt, null, 1));
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> TcpListener.bind(anyPort()));
        assertTrue(outside.getMessage().contains("not inside"), outside.getMessage());
        try (Spindle plain = Spindle.builder().workers(1).build()) {
            IllegalStateException none = assertThrows(IllegalStateException.class,
                    () -> TcpListener.bind(plain, anyPort(), 1));
            assertTrue(none.getMessage().contains("driver(Reactor::create)"), none.getMessage());
        }
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        JoinHandle<TcpStream> accepted = rt.spawn(l.accept());
        client(l.localAddress());
        TcpStream s = closeLater(join(accepted));
        assertThrows(NullPointerException.class, () -> s.read(null));
        assertThrows(NullPointerException.class, () -> s.writeAll(null));
    }

    @Test
    void bindAndConnectInsideTasksUseTheCurrentRuntime() throws Exception {
        Spindle rt = runtime(2);
        CountDownLatch bound = new CountDownLatch(1);
        InetSocketAddress[] where = new InetSocketAddress[1];
        JoinHandle<Integer> server = rt.spawn(lazy(() -> {
            TcpListener l;
            try {
                l = closeLater(TcpListener.bind(anyPort()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            where[0] = l.localAddress();
            bound.countDown();
            return Futures.andThen(l.accept(), s -> {
                closeLater(s);
                return s.read(ByteBuffer.allocate(8));
            });
        }));
        assertTrue(bound.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        JoinHandle<Integer> client = rt.spawn(lazy(() -> Futures.andThen(TcpStream.connect(where[0]), s -> {
            closeLater(s);
            return s.writeAll(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        })));
        assertEquals(4, join(client));
        assertEquals(4, join(server));
    }

    /** A reset in the middle of a request fails only that connection's task. */
    @Test
    void aResetFailsOnlyItsOwnConnection() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        JoinHandle<TcpStream> a1 = rt.spawn(l.accept());
        Socket resetter = client(l.localAddress());
        TcpStream s1 = closeLater(join(a1));
        JoinHandle<TcpStream> a2 = rt.spawn(l.accept());
        Socket other = client(l.localAddress());
        TcpStream s2 = closeLater(join(a2));

        AtomicInteger pending = new AtomicInteger();
        JoinHandle<ByteBuffer> victim = rt.spawn(counted(s1.readExact(ByteBuffer.allocate(100)), pending));
        resetter.getOutputStream().write(new byte[10]); // half a request
        awaitTrue(() -> pending.get() >= 1, "the read waiting for the rest");
        resetter.setSoLinger(true, 0);
        resetter.close(); // RST
        Throwable t = failure(victim);
        assertInstanceOf(IOException.class, t);

        OutputStream out = other.getOutputStream();
        out.write(new byte[] {1, 2});
        ByteBuffer b = ByteBuffer.allocate(2);
        join(rt.spawn(s2.readExact(b)));
        assertArrayEquals(new byte[] {1, 2}, b.array());
    }
}
