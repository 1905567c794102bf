package dev.spindle.bench.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Blocking servers with one virtual thread per connection (JDK 21 and later): a plain
 * {@link ServerSocket} accepted on one platform thread, each connection served by blocking
 * reads and writes on its own virtual thread. The virtual-thread executor is looked up
 * reflectively, so this module still compiles with {@code --release 17}; on JDK 17
 * {@link #executor()} is empty.
 *
 * <p>The HTTP server answers as Spindle's does ({@code GET /} → {@code 200 Hello, World!},
 * keep-alive, {@code Content-Type} and {@code Content-Length}, all answers to one read's
 * requests in one write); it reads only what a benchmark client sends (no request bodies).
 */
final class VirtualThreadServer implements AutoCloseable {
    private static final int MAX_HEAD = 8 * 1024;
    private static final byte[] HELLO = response("200 OK", "Hello, World!", false);
    private static final byte[] NOT_FOUND = response("404 Not Found", "Not Found", false);
    private static final byte[] BAD_REQUEST = response("400 Bad Request", "Bad Request", true);

    private final ServerSocket server;
    private final ExecutorService connections;
    private final Thread acceptor;
    private final boolean http;

    private VirtualThreadServer(ServerSocket server, ExecutorService connections, boolean http) {
        this.server = server;
        this.connections = connections;
        this.http = http;
        this.acceptor = new Thread(this::acceptLoop, "vthreads-acceptor");
        this.acceptor.setDaemon(true);
    }

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21 and later; empty on older
     * JDKs (the caller says it skips).
     */
    static Optional<ExecutorService> executor() {
        try {
            return Optional.of((ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null));
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the virtual-thread executor", e);
        }
    }

    /** True if this JVM has virtual threads. */
    static boolean available() {
        return java.lang.Runtime.version().feature() >= 21;
    }

    /** Starts an HTTP ({@code http}) or echo server on {@code address}; empty before JDK 21. */
    static Optional<VirtualThreadServer> start(InetSocketAddress address, boolean http) throws IOException {
        if (!available()) {
            return Optional.empty();
        }
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address, 1024); // Spindle's TcpListener.DEFAULT_BACKLOG
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot bind " + address + ": " + e.getMessage(), e);
        }
        ExecutorService ex = executor().orElseThrow();
        VirtualThreadServer v = new VirtualThreadServer(s, ex, http);
        v.acceptor.start();
        return Optional.of(v);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                continue; // one failed accept does not stop the server
            }
            try {
                connections.execute(() -> serve(c));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(c); // closing down
            }
        }
    }

    private void serve(Socket c) {
        try (c) {
            c.setTcpNoDelay(true);
            if (http) {
                serveHttp(c.getInputStream(), c.getOutputStream());
            } else {
                serveEcho(c.getInputStream(), c.getOutputStream());
            }
        } catch (IOException e) {
            // a reset or a vanished client ends the connection quietly, as in Spindle's servers
        }
    }

    private static void serveEcho(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
    }

    private static void serveHttp(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[MAX_HEAD];
        byte[] answers = new byte[4 * 1024];
        int have = 0;
        for (;;) {
            int n = in.read(buf, have, buf.length - have);
            if (n < 0) {
                return;
            }
            have += n;
            int start = 0;
            int written = 0;
            boolean close = false;
            for (int end; !close && (end = headEnd(buf, start, have)) >= 0; start = end) {
                byte[] r;
                if (!requestLineOk(buf, start)) {
                    r = BAD_REQUEST;
                    close = true;
                } else {
                    r = isRoot(buf, start) ? HELLO : NOT_FOUND;
                    close = asksToClose(buf, start, end);
                }
                if (written + r.length > answers.length) {
                    answers = Arrays.copyOf(answers, Math.max(answers.length * 2, written + r.length));
                }
                System.arraycopy(r, 0, answers, written, r.length);
                written += r.length;
            }
            if (written > 0) {
                out.write(answers, 0, written);
            }
            if (close || (start == 0 && have == buf.length)) {
                return; // asked to close, malformed, or a head larger than the limit
            }
            System.arraycopy(buf, start, buf, 0, have - start);
            have -= start;
        }
    }

    private static int headEnd(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static boolean requestLineOk(byte[] b, int start) {
        int sp = start;
        while (b[sp] != ' ' && b[sp] != '\r') {
            sp++;
        }
        return b[sp] == ' ' && sp > start;
    }

    private static boolean isRoot(byte[] b, int start) {
        return b[start] == 'G' && b[start + 1] == 'E' && b[start + 2] == 'T' && b[start + 3] == ' '
                && b[start + 4] == '/' && b[start + 5] == ' ';
    }

    /** HTTP/1.0 without {@code Connection: keep-alive}, or a {@code Connection: close}; no allocation. */
    private static boolean asksToClose(byte[] b, int start, int end) {
        int lineEnd = start;
        while (b[lineEnd] != '\r') {
            lineEnd++;
        }
        boolean close = b[lineEnd - 1] == '0'; // HTTP/1.0
        for (int i = lineEnd + 2; i < end - 2; ) {
            int e = i;
            while (b[e] != '\r') {
                e++;
            }
            if (startsWithIgnoreCase(b, i, e, "connection:")) {
                int v = i + "connection:".length();
                while (v < e && b[v] == ' ') {
                    v++;
                }
                if (startsWithIgnoreCase(b, v, e, "close")) {
                    close = true;
                } else if (startsWithIgnoreCase(b, v, e, "keep-alive")) {
                    close = false;
                }
            }
            i = e + 2;
        }
        return close;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int from, int to, String lower) {
        if (to - from < lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if (Character.toLowerCase((char) b[from + i]) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] response(String status, String body, boolean close) {
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + (close ? "\r\nConnection: close" : "") + "\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(Socket c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // going away anyway
        }
    }

    /** Stops accepting, closes the listener and waits for the acceptor; open connections end with the JVM. */
    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller's to handle; the acceptor is a daemon
        } finally {
            connections.shutdownNow();
        }
    }
}
