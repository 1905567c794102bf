package dev.spindle.io.examples;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.io.Reactor;
import dev.spindle.io.TcpStream;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A TCP echo server: every byte a client sends comes back. One task accepts; one task per
 * connection reads into a buffer and writes it back before reading again, so a client that
 * does not read its echoes stops being read from (no unbounded buffering).
 *
 * <pre>{@code java -cp ... dev.spindle.io.examples.EchoServer 7000}</pre>
 */
public final class EchoServer extends ExampleServer {
    /** Binds {@code address} on {@code rt} (which must have a {@link Reactor}) and starts serving. */
    public static EchoServer start(Spindle rt, SocketAddress address) throws IOException {
        return new EchoServer(rt, address);
    }

    private EchoServer(Spindle rt, SocketAddress address) throws IOException {
        super(rt, address, Connection::new);
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
        serveForever(args, 7000, "echo server", EchoServer::start);
    }
}
