package dev.spindle.io;

import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.io.internal.IoErrors;
import dev.spindle.io.internal.IoOp;
import dev.spindle.io.internal.Registration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.Objects;

/** A UDP socket whose sends and receives are futures. */
public final class UdpSocket implements AutoCloseable {
    private final Reactor reactor;
    private final DatagramChannel channel;
    private final Registration reg;
    private final SocketAddress local;

    private UdpSocket(Reactor reactor, DatagramChannel channel, Registration reg) throws IOException {
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
    public static UdpSocket bind(SocketAddress address) throws IOException {
        return bind(Spindle.current(), address);
    }

    /** As {@link #bind(SocketAddress)}, on {@code rt}'s reactor (from any thread). */
    public static UdpSocket bind(Spindle rt, SocketAddress address) throws IOException {
        Objects.requireNonNull(rt, "rt");
        Objects.requireNonNull(address, "address");
        Reactor reactor = Reactor.of(rt);
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address);
            Registration reg = reactor.driver.register(ch, SelectionKey.OP_READ, SelectionKey.OP_WRITE);
            return new UdpSocket(reactor, ch, reg);
        } catch (IOException e) {
            ch.close();
            throw IoErrors.named("bind to " + address, e);
        }
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) local;
    }

    /**
     * Sends {@code src}'s remaining bytes as one datagram to {@code target}, waiting while the
     * socket cannot take it; the value is the number of bytes sent.
     */
    public PollFuture<Integer> send(ByteBuffer src, SocketAddress target) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(target, "target");
        return new IoOp<>(reg, Registration.WRITE) {
            @Override
            protected Integer attempt() throws IOException {
                int size = src.remaining();
                int n = channel.send(src, target);
                return n == 0 && size > 0 ? null : n;
            }

            @Override
            protected String describe() {
                return "send from " + local + " to " + target;
            }
        };
    }

    /**
     * Receives one datagram into {@code dst} (bytes beyond its room are lost, as with
     * {@link DatagramChannel#receive}); the value is the sender's address.
     */
    public PollFuture<SocketAddress> receive(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        return new IoOp<>(reg, Registration.READ) {
            @Override
            protected SocketAddress attempt() throws IOException {
                return channel.receive(dst);
            }

            @Override
            protected String describe() {
                return "receive on " + local;
            }
        };
    }

    /** Closes the socket; operations waiting on it fail. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        reactor.driver.close(reg, channel, new IOException("the socket on " + local + " was closed"));
    }

    @Override
    public String toString() {
        return "UdpSocket[" + local + "]";
    }
}
