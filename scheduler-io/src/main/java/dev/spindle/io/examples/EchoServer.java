package dev.spindle.io.examples;

import dev.spindle.Context;
import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Runtime;
import dev.spindle.io.Reactor;
import dev.spindle.io.TcpListener;
import dev.spindle.io.TcpStream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A TCP echo server: every byte a client sends comes back. One task accepts; one task per
 * connection reads into a buffer and writes it back before reading again, so a client that
 * does not read its echoes stops being read from (no unbounded buffering).
 *
 * <pre>{@code java -cp ... dev.spindle.io.examples.EchoServer 7000}</pre>
 */
public final class EchoServer implements AutoCloseable {
    private final TcpListener listener;
    private final JoinHandle<Void> acceptor;

    private EchoServer(TcpListener listener, JoinHandle<Void> acceptor) {
        this.listener = listener;
        this.acceptor = acceptor;
    }

    /** Binds {@code address} on {@code rt} (which must have a {@link Reactor}) and starts serving. */
    public static EchoServer start(Runtime rt, SocketAddress address) throws IOException {
        TcpListener l = TcpListener.bind(rt, address, TcpListener.DEFAULT_BACKLOG);
        return new EchoServer(l, rt.spawn(new Servers.AcceptLoop(l, Connection::new)));
    }

    /** The address clients connect to. */
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    /** Stops accepting; connections already open run until their clients close them. */
    @Override
    public void close() throws IOException {
        acceptor.abort();
        listener.close();
    }

    /** One connection: read, write back, repeat until end of stream or an error. */
    static final class Connection implements PollFuture<Void> {
        private final TcpStream stream;
        private final ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        private PollFuture<Integer> reading;
        private PollFuture<Integer> writing;

        Connection(TcpStream stream) {
            this.stream = stream;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            try {
                for (;;) {
                    if (writing != null) {
                        if (writing.poll(cx).isPending()) {
                            return Poll.pending();
                        }
                        writing = null;
                        buf.clear();
                    }
                    if (reading == null) {
                        reading = stream.read(buf);
                    }
                    Poll<Integer> r = reading.poll(cx);
                    if (r.isPending()) {
                        return Poll.pending();
                    }
                    reading = null;
                    if (r.value() < 0) {
                        Servers.closeQuietly(stream);
                        return Poll.ready(null);
                    }
                    buf.flip();
                    writing = stream.writeAll(buf);
                }
            } catch (Throwable e) {
                return Servers.endConnection(stream, e);
            }
        }

        @Override
        public void drop() {
            Servers.closeQuietly(stream);
        }
    }

    /** Serves on the port given as the first argument (default 7000) until the process ends. */
    public static void main(String[] args) throws IOException {
        int port = Servers.portArgument(args, 7000);
        Runtime rt = Runtime.builder().driver(Reactor::create).build();
        EchoServer server = start(rt, new InetSocketAddress(port));
        System.out.println("echo server on " + server.address());
        rt.blockOn(cx -> Poll.pending()); // forever: never woken
    }
}
