package dev.spindle.io.examples;

import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.io.Reactor;
import dev.spindle.io.TcpListener;
import dev.spindle.io.TcpStream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Function;

/** What the example servers share: a listener, its accept loop, and how they are run. */
abstract class ExampleServer implements AutoCloseable {
    private final TcpListener listener;
    private final JoinHandle<Void> acceptor;

    /** Binds {@code address} on {@code rt} and spawns the accept loop, one task per connection. */
    ExampleServer(Spindle rt, SocketAddress address, Function<TcpStream, PollFuture<Void>> connection) throws IOException {
        this.listener = TcpListener.bind(rt, address, TcpListener.DEFAULT_BACKLOG);
        this.acceptor = rt.spawn(Servers.acceptLoop(listener, connection));
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

    /** A server's {@code main}: the port from the first argument, a runtime with a reactor, forever. */
    interface Starter {
        ExampleServer start(Spindle rt, SocketAddress address) throws IOException;
    }

    static void serveForever(String[] args, int defaultPort, String what, Starter starter) throws IOException {
        int port = Servers.portArgument(args, defaultPort);
        Spindle rt = Spindle.builder().driver(Reactor::create).build();
        ExampleServer server = starter.start(rt, new InetSocketAddress(port));
        System.out.println(what + " on " + server.address());
        rt.blockOn(cx -> Poll.pending()); // forever: never woken
    }
}
