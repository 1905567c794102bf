package dev.spindle.io;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.io.internal.IoErrors;
import dev.spindle.io.internal.IoOp;
import dev.spindle.io.internal.Registration;
import dev.spindle.stream.AsyncStream;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A TCP connection whose reads and writes are futures. Several tasks may wait on one stream at
 * once (say, many writers): each waits in its own place, and every one is woken when the
 * socket is ready. Writes by different tasks are not ordered against each other: a
 * {@link #writeAll} may be split into several writes, between which another task's bytes may go
 * out.
 *
 * <p>Current behaviour: {@code TCP_NODELAY} is on for connected and accepted streams.
 */
public final class TcpStream implements AutoCloseable {
    private final Reactor reactor;
    private final SocketChannel channel;
    private final Registration reg;
    private final SocketAddress remote;

    private TcpStream(Reactor reactor, SocketChannel channel, Registration reg, SocketAddress remote) {
        this.reactor = reactor;
        this.channel = channel;
        this.reg = reg;
        this.remote = remote;
    }

    static TcpStream accepted(Reactor reactor, SocketChannel c) throws IOException {
        try {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Registration reg = reactor.driver.register(c, SelectionKey.OP_READ, SelectionKey.OP_WRITE);
            return new TcpStream(reactor, c, reg, c.getRemoteAddress());
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Connects to {@code address} on the current runtime's reactor. Nothing happens until the
     * future is first polled; dropping it before it is ready closes the half-made socket.
     *
     * @throws IllegalStateException outside a runtime with a reactor
     */
    public static PollFuture<TcpStream> connect(SocketAddress address) {
        return connect(Spindle.current(), address);
    }

    /** As {@link #connect(SocketAddress)}, on {@code rt}'s reactor. */
    public static PollFuture<TcpStream> connect(Spindle rt, SocketAddress address) {
        Objects.requireNonNull(rt, "rt");
        Objects.requireNonNull(address, "address");
        return new Connect(Reactor.of(rt), address);
    }

    private static final class Connect implements PollFuture<TcpStream> {
        private final Reactor reactor;
        private final SocketAddress address;
        private SocketChannel channel;
        private IoOp<TcpStream> finish;

        Connect(Reactor reactor, SocketAddress address) {
            this.reactor = reactor;
            this.address = address;
        }

        @Override
        public Poll<TcpStream> poll(Context cx) {
            if (finish == null) {
                try {
                    channel = SocketChannel.open();
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    Registration reg = reactor.driver.register(channel, SelectionKey.OP_READ, SelectionKey.OP_CONNECT);
                    boolean now = channel.connect(address);
                    TcpStream s = new TcpStream(reactor, channel, reg, address);
                    if (now) {
                        reg.writeOp(SelectionKey.OP_WRITE);
                        return Poll.ready(s);
                    }
                    finish = new IoOp<>(reg, Registration.WRITE) {
                        @Override
                        protected TcpStream attempt() throws IOException {
                            if (!channel.finishConnect()) {
                                return null;
                            }
                            reg.writeOp(SelectionKey.OP_WRITE);
                            return s;
                        }

                        @Override
                        protected String describe() {
                            return "connect to " + address;
                        }
                    };
                } catch (IOException e) {
                    closeQuietly();
                    throw IoErrors.sneaky(IoErrors.named("connect to " + address, e));
                }
            }
            try {
                return finish.poll(cx);
            } catch (RuntimeException | Error e) {
                closeQuietly();
                throw e;
            } catch (Throwable e) { // the IOException thrown through poll
                closeQuietly();
                throw IoErrors.sneaky(e);
            }
        }

        @Override
        public void drop() {
            if (finish != null) {
                finish.drop();
            }
            closeQuietly();
        }

        private void closeQuietly() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a socket that never connected
                }
            }
        }
    }

    /** The address this stream is connected to. */
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) remote;
    }

    /** The local end's address. */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Turns Nagle's algorithm off ({@code true}, the default here) or on. */
    public void setNoDelay(boolean on) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, on);
    }

    /**
     * Reads what is available into {@code dst}, waiting until at least one byte is: the number
     * of bytes read, 0 if {@code dst} has no room, or -1 at end of stream.
     */
    public PollFuture<Integer> read(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        return new IoOp<>(reg, Registration.READ) {
            @Override
            protected Integer attempt() throws IOException {
                if (!dst.hasRemaining()) {
                    return 0;
                }
                int n = channel.read(dst);
                if (n == 0) {
                    return null;
                }
                if (n > 0 && dst.hasRemaining()) {
                    drained(); // a short read: nothing more to read now, most likely
                }
                return n;
            }

            @Override
            protected String describe() {
                return "read from " + remote;
            }
        };
    }

    /**
     * Fills {@code dst}'s remaining space, waiting as needed; the future's value is {@code dst}.
     * Fails with an {@link EOFException} if the stream ends first (the bytes read so far are in
     * {@code dst}).
     */
    public PollFuture<ByteBuffer> readExact(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        return new IoOp<>(reg, Registration.READ) {
            @Override
            protected ByteBuffer attempt() throws IOException {
                while (dst.hasRemaining()) {
                    int n = channel.read(dst);
                    if (n < 0) {
                        throw new EOFException("the stream ended with " + dst.remaining() + " bytes still expected");
                    }
                    if (n == 0) {
                        return null;
                    }
                }
                return dst;
            }

            @Override
            protected String describe() {
                return "read from " + remote;
            }
        };
    }

    /**
     * Writes some of {@code src}, waiting until the socket takes at least one byte: the number
     * of bytes written (0 if {@code src} is empty).
     */
    public PollFuture<Integer> write(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        return new IoOp<>(reg, Registration.WRITE) {
            @Override
            protected Integer attempt() throws IOException {
                if (!src.hasRemaining()) {
                    return 0;
                }
                int n = channel.write(src);
                if (n == 0) {
                    return null;
                }
                if (src.hasRemaining()) {
                    drained(); // a short write: the send buffer is full
                }
                return n;
            }

            @Override
            protected String describe() {
                return "write to " + remote;
            }
        };
    }

    /**
     * Writes all of {@code src}, waiting whenever the socket's send buffer is full (a slow
     * reader slows the writer; nothing is buffered beyond {@code src}). The value is the number
     * of bytes written.
     */
    public PollFuture<Integer> writeAll(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        int total = src.remaining();
        return new IoOp<>(reg, Registration.WRITE) {
            @Override
            protected Integer attempt() throws IOException {
                while (src.hasRemaining()) {
                    if (channel.write(src) == 0) {
                        return null;
                    }
                }
                return total;
            }

            @Override
            protected String describe() {
                return "write to " + remote;
            }
        };
    }

    /**
     * The lines the peer sends, as a stream of strings decoded as UTF-8 (a malformed sequence
     * becomes U+FFFD, as {@code new String(bytes, UTF_8)} makes it). A line ends at {@code '\n'};
     * the {@code '\n'} and a {@code '\r'} just before it are not part of the line. Each line
     * spends one unit of the cooperative budget.
     *
     * <p><b>The end.</b> The stream ends when the peer ends its output (or closes). If the peer
     * stops in the middle of a line, that last line, without its end, comes first and then the
     * end, as {@link java.io.BufferedReader#readLine()} does (a trailing {@code '\r'} is removed
     * from it too).
     *
     * <p><b>The limit.</b> A line longer than {@code maxLineLength} bytes (in UTF-8, not
     * counting its {@code "\n"} or {@code "\r\n"}) fails the stream with a
     * {@link LineTooLongException} that names the limit, as soon as the bytes read show it is
     * too long. The stream is then finished (polling it again throws
     * {@link IllegalStateException}) and so is any line after it; the socket stays open, so the
     * server may write an error and close. A read error fails the stream with the
     * {@link IOException} (thrown through {@code pollNext}) and finishes it the same way.
     *
     * <p><b>One reader at a time.</b> The stream reads ahead into its own buffer (reused from
     * line to line), so bytes after the line it returned may already be in it: while it is in use,
     * do not read the socket otherwise, and make only one lines stream per socket. Bytes it has
     * buffered are lost when it is dropped. Dropping it does not close the socket.
     *
     * <p>Current behaviour: the buffer is 8 KiB and grows only for longer lines, never past the
     * limit plus two bytes; a read that completes no line spends a unit of budget too.
     *
     * @param maxLineLength the longest line accepted, in bytes
     * @throws IllegalArgumentException if maxLineLength is zero or negative
     */
    public AsyncStream<String> lines(int maxLineLength) {
        if (maxLineLength <= 0) {
            throw new IllegalArgumentException("maxLineLength must be at least 1 byte, was " + maxLineLength);
        }
        return new LineStream(channel, reg, remote, maxLineLength);
    }

    /** Ends the sending side (the peer reads end of stream); reading goes on. */
    public void shutdownOutput() throws IOException {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            throw IoErrors.named("shutdown of output to " + remote, e);
        }
    }

    /** Closes the stream; operations waiting on it fail. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        reactor.driver.close(reg, channel, new IOException("the stream to " + remote + " was closed"));
    }

    /** True until {@link #close}. */
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public String toString() {
        return "TcpStream[" + remote + "]";
    }
}
