package dev.spindle.io.examples;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.io.Reactor;
import dev.spindle.io.TcpStream;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A plaintext HTTP/1.1 server: {@code GET /} answers {@code 200 Hello, World!}. Connections are
 * kept alive; pipelined requests are answered in order, all responses to what one read
 * brought in going out in one write; a malformed request line gets {@code 400} and the
 * connection is closed, and so does a request whose head is larger than the limit
 * ({@code 431}); a request body announced by {@code Content-Length} is skipped.
 *
 * <pre>{@code java -cp ... dev.spindle.io.examples.HttpServer 8080}</pre>
 *
 * <p>Current behaviour: the request-head limit is {@value #MAX_HEAD} bytes.
 */
public final class HttpServer extends ExampleServer {
    /** The largest request head (request line and headers) accepted. */
    public static final int MAX_HEAD = 8 * 1024;

    private static final byte[] HELLO = response("200 OK", "Hello, World!", false);
    private static final byte[] NOT_FOUND = response("404 Not Found", "Not Found", false);
    private static final byte[] BAD_REQUEST = response("400 Bad Request", "Bad Request", true);
    private static final byte[] TOO_LARGE = response("431 Request Header Fields Too Large", "Request Header Fields Too Large", true);
    private static final byte[] NOT_ALLOWED = response("405 Method Not Allowed", "Method Not Allowed", false);

    /** Binds {@code address} on {@code rt} (which must have a {@link Reactor}) and starts serving. */
    public static HttpServer start(Spindle rt, SocketAddress address) throws IOException {
        return new HttpServer(rt, address);
    }

    private HttpServer(Spindle rt, SocketAddress address) throws IOException {
        super(rt, address, Connection::new);
    }


    private static byte[] response(String status, String body, boolean close) {
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + (close ? "\r\nConnection: close" : "") + "\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** One connection: read, answer every complete request in the buffer, write, repeat. */
    static final class Connection implements PollFuture<Void> {
        private final TcpStream stream;
        private final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
        private ByteBuffer out = ByteBuffer.allocate(4 * 1024);
        /** Body bytes still to skip, of a request already answered. */
        private long skip;
        /** Close once the pending output is written. */
        private boolean closing;
        private PollFuture<Integer> reading;
        private PollFuture<Integer> writing;

        Connection(TcpStream stream) {
            this.stream = stream;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            try {
                for (;;) {
                    if (writing != null) {
                        if (writing.poll(cx).isPending()) {
                            return Poll.pending();
                        }
                        writing = null;
                        out.clear();
                        if (closing) {
                            Servers.closeQuietly(stream);
                            return Poll.ready(null);
                        }
                    }
                    if (reading == null) {
                        reading = stream.read(in);
                    }
                    Poll<Integer> r = reading.poll(cx);
                    if (r.isPending()) {
                        return Poll.pending();
                    }
                    reading = null;
                    if (r.value() < 0) {
                        Servers.closeQuietly(stream);
                        return Poll.ready(null);
                    }
                    in.flip();
                    answerAll();
                    in.compact();
                    if (out.position() > 0) {
                        out.flip();
                        writing = stream.writeAll(out);
                    }
                }
            } catch (Throwable e) {
                return Servers.endConnection(stream, e);
            }
        }

        /** Answers the complete requests in {@code in} (flipped), leaving what is left unread. */
        private void answerAll() {
            while (!closing) {
                if (skip > 0) {
                    int n = (int) Math.min(skip, in.remaining());
                    in.position(in.position() + n);
                    skip -= n;
                    if (skip > 0) {
                        return;
                    }
                }
                int start = in.position();
                int end = headEnd(start);
                if (end < 0) {
                    if (in.remaining() >= in.capacity()) {
                        answer(TOO_LARGE); // the whole buffer and still no end of head
                        closing = true;
                    }
                    return;
                }
                in.position(end);
                answerOne(start, end);
            }
        }

        /** The index just past the blank line ending the head that starts at {@code from}, or -1. */
        private int headEnd(int from) {
            for (int i = from, limit = in.limit() - 3; i < limit; i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    return i + 4;
                }
            }
            return -1;
        }

        private void answerOne(int start, int end) {
            int lineEnd = start;
            while (in.get(lineEnd) != '\r') {
                lineEnd++;
            }
            // Request line: METHOD SP TARGET SP HTTP/1.x
            int sp1 = indexOf(' ', start, lineEnd);
            int sp2 = sp1 < 0 ? -1 : indexOf(' ', sp1 + 1, lineEnd);
            if (sp1 <= start || sp2 <= sp1 + 1 || !isToken(start, sp1) || !isVersion(sp2 + 1, lineEnd)
                    || indexOf(' ', sp2 + 1, lineEnd) >= 0) {
                answer(BAD_REQUEST);
                closing = true;
                return;
            }
            boolean http10 = in.get(lineEnd - 1) == '0';
            boolean close = http10;
            long contentLength = 0;
            for (int i = lineEnd + 2; i < end - 2; ) {
                int e = i;
                while (in.get(e) != '\r') {
                    e++;
                }
                if (headerIs(i, e, "connection")) {
                    String v = value(i, e);
                    if (v.equalsIgnoreCase("close")) {
                        close = true;
                    } else if (v.equalsIgnoreCase("keep-alive")) {
                        close = false;
                    }
                } else if (headerIs(i, e, "content-length")) {
                    try {
                        contentLength = Long.parseLong(value(i, e));
                    } catch (NumberFormatException ex) {
                        contentLength = -1;
                    }
                    if (contentLength < 0) {
                        answer(BAD_REQUEST);
                        closing = true;
                        return;
                    }
                }
                i = e + 2;
            }
            skip = contentLength;
            boolean get = sp1 - start == 3 && in.get(start) == 'G' && in.get(start + 1) == 'E' && in.get(start + 2) == 'T';
            boolean root = sp2 - sp1 == 2 && in.get(sp1 + 1) == '/';
            answer(!get ? NOT_ALLOWED : root ? HELLO : NOT_FOUND);
            if (close) {
                closing = true;
            }
        }

        private void answer(byte[] response) {
            if (out.remaining() < response.length) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + response.length));
                out.flip();
                bigger.put(out);
                out = bigger;
            }
            out.put(response);
        }

        private int indexOf(char c, int from, int to) {
            for (int i = from; i < to; i++) {
                if (in.get(i) == c) {
                    return i;
                }
            }
            return -1;
        }

        private boolean isToken(int from, int to) {
            for (int i = from; i < to; i++) {
                byte b = in.get(i);
                if (b <= ' ' || b >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(b) >= 0) {
                    return false;
                }
            }
            return true;
        }

        private boolean isVersion(int from, int to) {
            if (to - from != 8) {
                return false;
            }
            String v = new String(in.array(), in.arrayOffset() + from, 8, StandardCharsets.US_ASCII);
            return v.equals("HTTP/1.1") || v.equals("HTTP/1.0");
        }

        private boolean headerIs(int from, int to, String lowerName) {
            int n = lowerName.length();
            if (to - from <= n || in.get(from + n) != ':') {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (Character.toLowerCase((char) in.get(from + i)) != lowerName.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private String value(int from, int to) {
            int colon = indexOf(':', from, to);
            return new String(in.array(), in.arrayOffset() + colon + 1, to - colon - 1, StandardCharsets.US_ASCII).trim();
        }

        @Override
        public void drop() {
            Servers.closeQuietly(stream);
        }
    }

    /** Serves on the port given as the first argument (default 8080) until the process ends. */
    public static void main(String[] args) throws IOException {
        serveForever(args, 8080, "HTTP server", HttpServer::start);
    }
}
