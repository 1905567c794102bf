package dev.spindle.io.examples;

import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import dev.spindle.future.Futures;
import dev.spindle.future.Step;
import dev.spindle.io.TcpListener;
import dev.spindle.io.TcpStream;
import dev.spindle.io.internal.IoErrors;

import java.io.IOException;
import java.util.function.Function;

/** What the example servers share: the accept loop and how a connection ends. */
final class Servers {
    private Servers() {
    }

    /**
     * Accepts until the listener closes, spawning one task per connection. An accept that fails
     * otherwise (out of file descriptors, say) ends one {@code incoming()} stream; the loop takes
     * a new one, so the server goes on.
     */
    static PollFuture<Void> acceptLoop(TcpListener listener, Function<TcpStream, PollFuture<Void>> handler) {
        return Futures.loop(null, ignored -> Futures.catching(
                Futures.map(listener.incoming().forEach(conn -> Tasks.spawn(handler.apply(conn))),
                        closed -> Step.<Object, Void>done(null)),
                IOException.class, failedAccept -> Step.next(null)));
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
