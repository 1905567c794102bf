package dev.spindle.bench.io;

import dev.spindle.Spindle;
import dev.spindle.io.Reactor;
import dev.spindle.io.examples.EchoServer;
import dev.spindle.io.examples.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one server for a load generator and serves until the process is killed:
 * <pre>{@code
 * java -cp benchmarks.jar dev.spindle.bench.io.ServeMain <spindle|netty|vthreads> <http|echo> <port> [workers]
 * }</pre>
 * Binds 127.0.0.1 ({@code port} 0: any free port) and prints one line,
 * {@code listening <impl> <kind> 127.0.0.1:<port> workers=<n>}, once it accepts. Every
 * implementation gets the same number of threads doing the work: Spindle's workers, Netty's
 * event loop group (plus one boss thread that only accepts), the virtual-thread scheduler's
 * parallelism. {@code workers} defaults to one per available processor. Exit status 2: bad
 * arguments; 3: {@code vthreads} on a JDK older than 21 (the message says it is skipped).
 */
public final class ServeMain {
    public static final List<String> IMPLS = List.of("spindle", "netty", "vthreads");
    public static final List<String> KINDS = List.of("http", "echo");

    private ServeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !IMPLS.contains(args[0]) || !KINDS.contains(args[1])) {
            System.err.println("usage: ServeMain <" + String.join("|", IMPLS) + "> <" + String.join("|", KINDS)
                    + "> <port> [workers]");
            System.exit(2);
        }
        String impl = args[0];
        boolean http = args[1].equals("http");
        int port = Integer.parseInt(args[2]);
        int workers = args.length > 3 ? Integer.parseInt(args[3]) : java.lang.Runtime.getRuntime().availableProcessors();
        InetSocketAddress addr = new InetSocketAddress("127.0.0.1", port);
        InetSocketAddress bound;
        switch (impl) {
            case "spindle":
                bound = spindle(addr, http, workers);
                break;
            case "netty":
                NettyQuiet.configure();
                NettyPeer n = http ? NettyPeer.http(addr, workers) : NettyPeer.echo(addr, workers);
                bound = n.address();
                break;
            default:
                if (System.getProperty("jdk.virtualThreadScheduler.parallelism") == null) {
                    // Read when the first virtual thread starts, which is after this line.
                    System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(workers));
                }
                Optional<VirtualThreadServer> v = VirtualThreadServer.start(addr, http);
                if (v.isEmpty()) {
                    System.err.println("vthreads skipped: virtual threads need JDK 21 or later, this is "
                            + java.lang.Runtime.version());
                    System.exit(3);
                }
                bound = v.get().address();
                break;
        }
        System.out.println("listening " + impl + " " + args[1] + " " + bound.getAddress().getHostAddress() + ":"
                + bound.getPort() + " workers=" + workers);
        System.out.flush();
        new CountDownLatch(1).await(); // until killed; every server thread is a daemon or outlives main
    }

    private static InetSocketAddress spindle(InetSocketAddress addr, boolean http, int workers) throws IOException {
        Spindle rt = Spindle.builder().workers(workers).driver(Reactor::create).build();
        return http ? HttpServer.start(rt, addr).address() : EchoServer.start(rt, addr).address();
    }
}
