package dev.spindle.io;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.io.internal.IoErrors;
import dev.spindle.io.internal.IoOp;
import dev.spindle.io.internal.Registration;
import dev.spindle.stream.AsyncStream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A TCP server socket whose {@link #accept} is a future. Any number of tasks may accept on one
 * listener at once; each connection goes to exactly one of them.
 *
 * <p>Current behaviour: {@code SO_REUSEADDR} is on; the default backlog is 1024; accepted
 * streams have {@code TCP_NODELAY} on.
 */
public final class TcpListener implements AutoCloseable {
    /** The backlog {@link #bind(SocketAddress)} asks for. */
    public static final int DEFAULT_BACKLOG = 1024;

    private final Reactor reactor;
    private final ServerSocketChannel channel;
    private final Registration reg;
    private final SocketAddress local;
    /** Set by close() before it fails the waiters, so that a woken accept knows why. */
    private volatile boolean closed;

    private TcpListener(Reactor reactor, ServerSocketChannel channel, Registration reg) throws IOException {
        this.reactor = reactor;
        this.channel = channel;
        this.reg = reg;
        this.local = channel.getLocalAddress();
    }

    /**
     * Binds to {@code address} (port 0: any free port) on the current runtime's reactor.
     *
     * @throws IOException if the address cannot be bound (the message names it)
     * @throws IllegalStateException outside a runtime with a reactor
     */
    public static TcpListener bind(SocketAddress address) throws IOException {
        return bind(Spindle.current(), address, DEFAULT_BACKLOG);
    }

    /**
     * Binds to {@code address} with a backlog of {@code backlog} pending connections, on
     * {@code rt}'s reactor (from any thread).
     *
     * @throws IOException if the address cannot be bound (the message names it)
     * @throws IllegalArgumentException if backlog is below 1
     * @throws IllegalStateException if rt has no reactor
     */
    public static TcpListener bind(Spindle rt, SocketAddress address, int backlog) throws IOException {
        Objects.requireNonNull(rt, "rt");
        Objects.requireNonNull(address, "address");
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, was " + backlog);
        }
        Reactor reactor = Reactor.of(rt);
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, backlog);
            Registration reg = reactor.driver.register(ch, SelectionKey.OP_ACCEPT, 0);
            return new TcpListener(reactor, ch, reg);
        } catch (IOException e) {
            ch.close();
            throw IoErrors.named("bind to " + address, e);
        }
    }

    /** The bound address (with the chosen port if 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) local;
    }

    /**
     * The next incoming connection. The future fails with an {@link IOException} if the
     * listener is closed while waiting, or if accepting fails.
     */
    public PollFuture<TcpStream> accept() {
        return acceptOp(false);
    }

    /**
     * The incoming connections as a stream, in the order they are accepted; each spends one unit
     * of the cooperative budget. The stream ends when the listener is closed (while waiting or
     * before), rather than failing as {@link #accept()} does, so an accept loop stops quietly:
     *
     * <pre>{@code
     * rt.spawn(listener.incoming().forEach(conn -> Tasks.spawn(serve(conn))));
     * // ... later, from anywhere: the loop's task ends with null.
     * listener.close();
     * }</pre>
     *
     * <p>A connection that fails while it is being set up (its peer reset it before it was
     * accepted) is closed and passed over: it is the peer's failure, not the listener's. Any
     * other accept failure (out of file descriptors, say) fails the stream with its
     * {@link IOException}, thrown through {@code pollNext}; the stream is then finished, and a new
     * {@code incoming()} goes on accepting. Dropping the stream does not close the listener. Each
     * call returns a new stream; several may accept at once, as several {@code accept()}s may.
     */
    public AsyncStream<TcpStream> incoming() {
        IoOp<TcpStream> accepting = acceptOp(true); // one waiter, reused for every connection
        return new AsyncStream<TcpStream>() {
            private boolean finished;

            @Override
            public Poll<TcpStream> pollNext(Context cx) {
                if (finished) {
                    throw new IllegalStateException("the connections to " + local
                            + " polled after their end (or after they failed)");
                }
                try {
                    return accepting.poll(cx);
                } catch (Throwable e) {
                    finished = true;
                    if (closed) {
                        return Poll.ready(null);
                    }
                    throw e;
                }
            }

            @Override
            public void drop() {
                finished = true;
                accepting.drop();
            }

            @Override
            public String toString() {
                return "connections to " + local;
            }
        };
    }

    /** An accept; with {@code skipVanished}, a connection whose set-up fails is passed over. */
    private IoOp<TcpStream> acceptOp(boolean skipVanished) {
        return new IoOp<TcpStream>(reg, Registration.READ) {
            @Override
            protected TcpStream attempt() throws IOException {
                for (;;) { // at most the backlog's worth of vanished connections
                    SocketChannel c = channel.accept();
                    if (c == null) {
                        return null;
                    }
                    try {
                        return TcpStream.accepted(reactor, c); // closes c if it fails
                    } catch (IOException vanished) {
                        if (!skipVanished) {
                            throw vanished;
                        }
                    }
                }
            }

            @Override
            protected String describe() {
                return "accept on " + local;
            }
        };
    }

    /** True until {@link #close}. */
    public boolean isOpen() {
        return !closed && channel.isOpen();
    }

    /** Stops listening; waiting accepts fail. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        closed = true;
        reactor.driver.close(reg, channel, new IOException("the listener on " + local + " was closed"));
    }

    @Override
    public String toString() {
        return "TcpListener[" + local + "]";
    }
}
