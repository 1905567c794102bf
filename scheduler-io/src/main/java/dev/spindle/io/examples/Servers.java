package dev.spindle.io.examples;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import dev.spindle.io.TcpListener;
import dev.spindle.io.TcpStream;
import dev.spindle.io.internal.IoErrors;

import java.io.IOException;
import java.util.function.Function;

/** What the example servers share: the accept loop and how a connection ends. */
final class Servers {
    private Servers() {
    }

    /** Accepts until the listener closes, spawning one task per connection. */
    static final class AcceptLoop implements PollFuture<Void> {
        private final TcpListener listener;
        private final Function<TcpStream, PollFuture<Void>> handler;
        private PollFuture<TcpStream> accepting;

        AcceptLoop(TcpListener listener, Function<TcpStream, PollFuture<Void>> handler) {
            this.listener = listener;
            this.handler = handler;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            for (;;) {
                if (accepting == null) {
                    accepting = listener.accept();
                }
                Poll<TcpStream> p;
                try {
                    p = accepting.poll(cx);
                } catch (Throwable e) {
                    accepting = null;
                    if (e instanceof IOException && !listener.isOpen()) {
                        return Poll.ready(null); // closed: the server stops
                    }
                    if (e instanceof IOException) {
                        continue; // one failed accept (say, out of descriptors) does not stop the server
                    }
                    throw e;
                }
                if (p.isPending()) {
                    return Poll.pending();
                }
                accepting = null;
                Tasks.spawn(handler.apply(p.value()));
            }
        }

        @Override
        public void drop() {
            if (accepting != null) {
                accepting.drop();
            }
        }
    }

    /**
     * Ends a connection's task after {@code e}: an {@link IOException} (a reset, a vanished
     * client) ends it quietly; anything else is a bug and fails the task.
     */
    static Poll<Void> endConnection(TcpStream stream, Throwable e) {
        closeQuietly(stream);
        if (e instanceof IOException) {
            return Poll.ready(null);
        }
        throw IoErrors.sneaky(e);
    }

    static void closeQuietly(TcpStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the connection is going away anyway
        }
    }

    static int portArgument(String[] args, int otherwise) {
        if (args.length == 0) {
            return otherwise;
        }
        try {
            int port = Integer.parseInt(args[0]);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port must be a number from 0 to 65535, was '" + args[0] + "'");
        }
    }
}
