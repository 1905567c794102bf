package dev.spindle.bench.model;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.bench.JmhSettings;
import dev.spindle.io.Reactor;
import dev.spindle.io.TcpStream;
import dev.spindle.stream.AsyncStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Lines from a loopback socket: a writer thread (a platform thread on a blocking socket) sends
 * blocks of {@value #LINES} lines of {@value #LINE_BYTES} bytes without end, and one operation
 * reads one block's lines and checks their lengths. The score is per line. The readers:
 * {@code spindle} (a task polling {@code TcpStream.lines(4096)}, one stream for the trial),
 * {@code platform} ({@code BufferedReader.readLine} on a blocking socket, on the benchmark
 * thread) and {@code virtual} (the same on one virtual thread, handed each block as a task;
 * JDK 21+, skipped with a message before).
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LineRead extends JmhSettings {
    static final int LINES = 10_000;
    static final int LINE_BYTES = 64; // including the '\n'

    /** Who reads: a Spindle task, a platform thread or a virtual thread (JDK 21+). */
    @Param({"spindle", "platform", "virtual"})
    public String impl;

    private ServerSocket server;
    private Thread writer;
    private volatile boolean stopping;

    private Spindle rt;
    private TcpStream stream;
    private LinesOfABlock spindleBlock;

    private Socket socket;
    private BufferedReader reader;
    private ExecutorService virtual;
    private Callable<Integer> readBlock;

    @Setup
    public void start() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        server = new ServerSocket(0, 1, loopback);
        InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
        writer = new Thread(this::writeForever, "line-writer");
        writer.setDaemon(true);
        writer.start();
        switch (impl) {
            case "spindle":
                rt = Spindle.builder().workers(1).daemon(true).driver(Reactor::create).onStall(r -> { }).build();
                stream = rt.blockOn(TcpStream.connect(rt, address));
                spindleBlock = new LinesOfABlock(stream.lines(4096));
                break;
            case "virtual":
            case "platform": // the same blocking reader; the virtual case runs it on a virtual thread
                virtual = "virtual".equals(impl) ? virtualThreadPerTask() : null;
                socket = new Socket(loopback, address.getPort());
                reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                readBlock = this::readBlockBlocking;
                break;
            default:
                throw new IllegalArgumentException("impl must be spindle, platform or virtual, was " + impl);
        }
    }

    private static ExecutorService virtualThreadPerTask() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            System.err.println("# virtual threads need JDK 21 or later; this JDK is "
                    + java.lang.Runtime.version().feature() + ": virtual skipped");
            throw new IllegalStateException("virtual threads need JDK 21 or later");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeForever() {
        byte[] block = new byte[LINES * LINE_BYTES];
        for (int i = 0; i < LINES; i++) {
            for (int j = 0; j < LINE_BYTES - 1; j++) {
                block[i * LINE_BYTES + j] = (byte) ('a' + (i + j) % 26);
            }
            block[i * LINE_BYTES + LINE_BYTES - 1] = '\n';
        }
        try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
            while (!stopping) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!stopping) {
                e.printStackTrace();
            }
        }
    }

    @TearDown
    public void stop() throws Exception {
        stopping = true;
        server.close();
        if (rt != null) {
            spindleBlock.lines.drop();
            stream.close();
            rt.close();
        }
        if (socket != null) {
            socket.close();
        }
        if (virtual != null) {
            virtual.shutdown();
        }
        writer.join(TimeUnit.SECONDS.toMillis(10));
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int run() throws Exception {
        int lines;
        if (rt != null) {
            spindleBlock.remaining = LINES;
            lines = rt.blockOn(rt.spawn(spindleBlock));
        } else if (virtual != null) {
            lines = virtual.submit(readBlock).get();
        } else {
            lines = readBlock.call();
        }
        if (lines != LINES) {
            throw new IllegalStateException(lines + " lines read, not " + LINES);
        }
        return lines;
    }

    private int readBlockBlocking() throws IOException {
        for (int i = 0; i < LINES; i++) {
            String line = reader.readLine();
            if (line == null || line.length() != LINE_BYTES - 1) {
                throw new IllegalStateException("line " + i + ": " + line);
            }
        }
        return LINES;
    }

    /** Takes one block's lines from the trial's stream, checking each one's length. */
    private static final class LinesOfABlock implements PollFuture<Integer> {
        final AsyncStream<String> lines;
        int remaining;

        LinesOfABlock(AsyncStream<String> lines) {
            this.lines = lines;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            while (remaining > 0) {
                Poll<String> p = lines.pollNext(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                String line = p.value();
                if (line == null || line.length() != LINE_BYTES - 1) {
                    throw new IllegalStateException("a line of " + (line == null ? "the end" : line.length() + " chars"));
                }
                remaining--;
            }
            return Poll.ready(LINES);
        }
    }
}
