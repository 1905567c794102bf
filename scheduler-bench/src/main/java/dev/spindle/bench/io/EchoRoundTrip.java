package dev.spindle.bench.io;

import dev.spindle.bench.JmhSettings;
import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.io.Reactor;
import dev.spindle.io.TcpStream;
import dev.spindle.io.examples.EchoServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Loopback TCP echo round trips (stresses: reactor wake-up to task poll, both ways): an echo
 * server and {@value #CONNECTIONS} client connections on the same runtime (Spindle's
 * {@link EchoServer} and {@link TcpStream} clients) or the same NIO event loop group (Netty's
 * echo handler and {@code Bootstrap} clients). One invocation sends one
 * {@value #MESSAGE}-byte message on every connection at once and waits until each has its echo
 * back, checked byte for byte; the score is per round trip.
 *
 * <p>The run shape is the runner's ({@link JmhSettings}: forks, fixed heap, many 1 s iterations,
 * time per operation); this class does not extend {@code BenchmarkBase} because its executors
 * are a runtime with a reactor and an event loop group, not {@code ExecutorService}s. Both sides
 * start an operation from the benchmark thread the same way: Spindle spawns each connection's
 * task (through the injector), Netty hands a task to each connection's event loop.
 */
public class EchoRoundTrip extends JmhSettings {
    static final int CONNECTIONS = 16;
    static final int MESSAGE = 64;
    public static final String SPINDLE = "spindle";
    public static final String NETTY = "netty";

    static {
        NettyQuiet.configure(); // before any Netty class initializes
    }

    /** Who serves and connects: Spindle's reactor runtime, or Netty's NIO event loops. */
    @Param({SPINDLE, NETTY})
    public String impl;

    /** Worker threads (Spindle) or event loops (Netty); 0 means one per available processor. */
    @Param({"0"})
    public int workers;

    /** How long one operation may take before it fails instead of hanging the run. */
    long opTimeoutNanos = TimeUnit.SECONDS.toNanos(60);

    private final Arrivals arrivals = new Arrivals();
    private Side side;
    /** Operations started, for the message sequence numbers. */
    private long seq;

    /** One implementation: its server, its clients, and how an operation starts. */
    private interface Side {
        /** Starts one round trip on every connection; each calls {@link Arrivals#arrive} when done. */
        void startRound(long seq);

        /** Round trips completed, and those whose echo differed from what was sent (read after an await). */
        long roundTrips();

        long mismatches();

        void close() throws IOException;
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        int n = workers > 0 ? workers : java.lang.Runtime.getRuntime().availableProcessors();
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        side = SPINDLE.equals(impl) ? new SpindleSide(n, any, arrivals)
                : NETTY.equals(impl) ? new NettySide(n, any, arrivals)
                : null;
        if (side == null) {
            throw new IllegalArgumentException("unknown impl: " + impl);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        Side s = side;
        side = null;
        if (s != null) {
            s.close();
        }
    }

    /** One round trip on each of the {@value #CONNECTIONS} connections at once. */
    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public void roundTrip() throws TimeoutException, InterruptedException {
        arrivals.arm(CONNECTIONS);
        side.startRound(++seq);
        arrivals.await(opTimeoutNanos);
    }

    /** For tests, after {@code operations} operations: every echo came back, and came back intact. */
    void checkResult(int operations) {
        long expected = (long) operations * CONNECTIONS;
        if (side.roundTrips() != expected || side.mismatches() != 0) {
            throw new AssertionError(impl + ": " + side.roundTrips() + " round trips (expected " + expected + "), "
                    + side.mismatches() + " echoes differed from what was sent");
        }
    }

    /** The message of operation {@code seq} on connection {@code conn}: both numbers, then a pattern. */
    static void fill(ByteBuffer b, long seq, int conn) {
        b.putLong(seq).putInt(conn);
        for (int i = 12; i < MESSAGE; i++) {
            b.put((byte) (seq + conn + i));
        }
    }

    // ---------------------------------------------------------------------------------- Spindle

    private static final class SpindleSide implements Side {
        private final Spindle rt;
        private final EchoServer server;
        private final Client[] clients = new Client[CONNECTIONS];

        private final java.util.concurrent.atomic.AtomicInteger stalls = new java.util.concurrent.atomic.AtomicInteger();

        SpindleSide(int workers, InetSocketAddress any, Arrivals arrivals) throws IOException {
            // Daemon workers, as BenchmarkBase's, so a failed trial cannot keep the JVM alive.
            // Stalls are counted, not logged: on a loaded 2-core machine a worker descheduled for
            // 100 ms inside one poll is noise here, and a log line would clutter JMH's output.
            rt = Spindle.builder().workers(workers).daemon(true).driver(Reactor::create)
                    .onStall(r -> stalls.incrementAndGet()).build();
            try {
                server = EchoServer.start(rt, any);
                for (int i = 0; i < CONNECTIONS; i++) {
                    clients[i] = new Client(rt.blockOn(TcpStream.connect(rt, server.address())), i, arrivals);
                }
            } catch (IOException | RuntimeException e) {
                rt.close();
                throw e;
            }
        }

        @Override
        public void startRound(long seq) {
            for (Client c : clients) {
                c.rearm(seq);
                rt.spawn(c);
            }
        }

        @Override
        public long roundTrips() {
            long n = 0;
            for (Client c : clients) {
                n += c.roundTrips;
            }
            return n;
        }

        @Override
        public long mismatches() {
            long n = 0;
            for (Client c : clients) {
                n += c.mismatches;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            try {
                for (Client c : clients) {
                    if (c != null) {
                        c.stream.close();
                    }
                }
                server.close();
            } finally {
                rt.close(); // the server's connection tasks end at the clients' end of stream
                if (stalls.get() > 0) {
                    System.err.println("# spindle reported " + stalls.get() + " stalls (a worker over 100 ms in one poll) in this trial");
                }
            }
        }
    }

    /** A client connection's task for one operation: write the message, read its echo, compare. */
    private static final class Client implements PollFuture<Void> {
        final TcpStream stream;
        private final int conn;
        private final Arrivals arrivals;
        private final ByteBuffer out = ByteBuffer.allocate(MESSAGE);
        private final ByteBuffer in = ByteBuffer.allocate(MESSAGE);
        private PollFuture<Integer> writing;
        private PollFuture<ByteBuffer> reading;
        // Written by the task, read by the benchmark thread after Arrivals.await.
        long roundTrips;
        long mismatches;

        Client(TcpStream stream, int conn, Arrivals arrivals) {
            this.stream = stream;
            this.conn = conn;
            this.arrivals = arrivals;
        }

        /** Before the task is spawned for operation {@code seq}; the previous one has arrived. */
        void rearm(long seq) {
            out.clear();
            fill(out, seq, conn);
            out.flip();
            in.clear();
            writing = stream.writeAll(out);
            reading = null;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            try {
                if (writing != null) {
                    if (writing.poll(cx).isPending()) {
                        return Poll.pending();
                    }
                    writing = null;
                    reading = stream.readExact(in);
                }
                if (reading.poll(cx).isPending()) {
                    return Poll.pending();
                }
                reading = null;
                if (!in.flip().equals(out.rewind())) {
                    mismatches++;
                }
            } catch (Throwable e) {
                mismatches++; // counted as a failed round trip; the check reports it
            }
            roundTrips++;
            arrivals.arrive(); // last: the benchmark thread may rearm this object from here on
            return Poll.ready(null);
        }
    }

    // ------------------------------------------------------------------------------------ Netty

    private static final class NettySide implements Side {
        private final EventLoopGroup group;
        private final NettyPeer server;
        private final NettyClient[] clients = new NettyClient[CONNECTIONS];

        NettySide(int workers, InetSocketAddress any, Arrivals arrivals) throws InterruptedException {
            group = NettyPeer.nioGroup(workers, "netty-loop");
            // One group for accepting, the server's connections and the clients, as one Spindle runtime.
            server = NettyPeer.serve(group, group, any, NettyPeer.echoHandler());
            try {
                Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true);
                for (int i = 0; i < CONNECTIONS; i++) {
                    NettyClient c = new NettyClient(i, arrivals);
                    b.handler(c).connect(server.address()).sync();
                    clients[i] = c;
                }
            } catch (InterruptedException | RuntimeException e) {
                server.close();
                throw e;
            }
        }

        @Override
        public void startRound(long seq) {
            for (NettyClient c : clients) {
                c.seq = seq; // published by execute's hand-off to the event loop
                c.ctx.executor().execute(c);
            }
        }

        @Override
        public long roundTrips() {
            long n = 0;
            for (NettyClient c : clients) {
                n += c.roundTrips;
            }
            return n;
        }

        @Override
        public long mismatches() {
            long n = 0;
            for (NettyClient c : clients) {
                n += c.mismatches;
            }
            return n;
        }

        @Override
        public void close() {
            for (NettyClient c : clients) {
                if (c != null && c.ctx != null) {
                    c.ctx.channel().close().syncUninterruptibly();
                }
            }
            server.close(); // stops the shared group
        }
    }

    /** A client connection's handler; run as a task on its event loop, it sends the operation's message. */
    private static final class NettyClient extends ChannelInboundHandlerAdapter implements Runnable {
        private final int conn;
        private final Arrivals arrivals;
        private final ByteBuffer expected = ByteBuffer.allocate(MESSAGE);
        private final ByteBuffer in = ByteBuffer.allocate(MESSAGE);
        volatile ChannelHandlerContext ctx;
        long seq;
        // Written on the event loop, read by the benchmark thread after Arrivals.await.
        long roundTrips;
        long mismatches;

        NettyClient(int conn, Arrivals arrivals) {
            this.conn = conn;
            this.arrivals = arrivals;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void run() {
            expected.clear();
            fill(expected, seq, conn);
            expected.flip();
            in.clear();
            ByteBuf msg = ctx.alloc().buffer(MESSAGE);
            msg.writeBytes(expected.duplicate());
            ctx.writeAndFlush(msg, ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                int n = Math.min(b.readableBytes(), in.remaining());
                b.readBytes(in.limit(in.position() + n));
                in.limit(MESSAGE);
                if (b.isReadable()) {
                    mismatches++; // more than was sent
                }
            } finally {
                b.release();
            }
            if (!in.hasRemaining()) {
                if (!in.flip().equals(expected)) {
                    mismatches++;
                }
                in.clear();
                roundTrips++;
                arrivals.arrive();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            mismatches++;
            ctx.close();
        }
    }
}
