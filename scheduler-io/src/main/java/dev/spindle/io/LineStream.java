package dev.spindle.io;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.io.internal.IoErrors;
import dev.spindle.io.internal.IoOp;
import dev.spindle.io.internal.Registration;
import dev.spindle.stream.AsyncStream;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * {@link TcpStream#lines(int)}: the lines a peer sends, split at {@code '\n'} in one buffer that
 * the stream reads into and reuses.
 *
 * <p>The buffer: bytes {@code [start, buffer.position())} are read and not yet handed out, the
 * first {@code scanned} of them hold no {@code '\n'}. When it is full, the unread bytes move to
 * its front; when they fill it, it grows (doubling) for a line longer than its first size, up to
 * the limit plus room for {@code "\r\n"}. A line longer than the limit fails the stream as soon as the bytes
 * read show it, without waiting for its end, so a peer cannot make the buffer grow past the limit.
 *
 * <p>Budget: each line spends one unit. A read spends one through its {@link IoOp} (given back if
 * it waits), and the first line found in what it read is paid by it; a read that completes no
 * line is paid for anyway, so a peer sending a long line a byte at a time cannot hold a task.
 */
final class LineStream implements AsyncStream<String> {
    /** Current behaviour: the buffer's first size; a small limit does not make reads smaller. */
    private static final int FIRST_CAPACITY = 8 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final SocketAddress remote;
    private final int limit;
    private final IoOp<Integer> reading;
    private byte[] bytes;
    private ByteBuffer buffer;
    private int start;
    private int scanned;
    /** The peer ended its output: what is buffered is all there will be. */
    private boolean eof;
    /** The end was answered, or the stream failed. */
    private boolean finished;

    LineStream(SocketChannel channel, Registration reg, SocketAddress remote, int limit) {
        this.remote = remote;
        this.limit = limit;
        this.bytes = new byte[FIRST_CAPACITY];
        this.buffer = ByteBuffer.wrap(bytes);
        this.reading = new IoOp<>(reg, Registration.READ) {
            @Override
            protected Integer attempt() throws IOException {
                int n = channel.read(buffer);
                if (n == 0) {
                    return null;
                }
                if (n > 0 && buffer.hasRemaining()) {
                    drained(); // a short read: nothing more to read now, most likely
                }
                return n;
            }

            @Override
            protected String describe() {
                return "read lines from " + remote;
            }
        };
    }

    @Override
    public Poll<String> pollNext(Context cx) {
        if (finished) {
            throw new IllegalStateException("the lines from " + remote
                    + " polled after their end (or after they failed)");
        }
        try {
            boolean paid = false; // a read made in this call paid for the line it completes
            for (;;) {
                int end = buffer.position();
                int newline = indexOfNewline(end);
                if (newline >= 0 || (eof && start < end)) {
                    if (!paid && !cx.consumeBudget()) {
                        return Poll.pending();
                    }
                    return Poll.ready(newline >= 0 ? takeLine(newline, newline + 1) : takeLine(end, end));
                }
                if (eof) {
                    finished = true;
                    return Poll.ready(null);
                }
                checkLength(end);
                makeRoom();
                Poll<Integer> r = reading.poll(cx);
                if (r.isPending()) {
                    return Poll.pending();
                }
                paid = true;
                if (r.value() < 0) {
                    eof = true;
                }
            }
        } catch (Throwable t) {
            finished = true;
            reading.drop();
            throw t;
        }
    }

    /** The index of the first '\n' among the unread bytes before {@code end}, or -1. */
    private int indexOfNewline(int end) {
        for (int i = start + scanned; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        scanned = end - start;
        return -1;
    }

    /** The line of bytes {@code [start, lineEnd)} less a trailing '\r'; the next line starts at {@code next}. */
    private String takeLine(int lineEnd, int next) {
        int n = lineEnd - start;
        if (n > 0 && bytes[lineEnd - 1] == '\r') {
            n--;
        }
        if (n > limit) {
            throw tooLong();
        }
        String line = new String(bytes, start, n, StandardCharsets.UTF_8);
        if (next == buffer.position()) { // nothing unread: start over at the front
            buffer.position(0);
            start = 0;
        } else {
            start = next;
        }
        scanned = 0;
        return line;
    }

    /** Fails once the unread bytes, which hold no '\n', cannot be a line within the limit. */
    private void checkLength(int end) {
        int n = end - start;
        if (n > 0 && bytes[end - 1] == '\r') {
            n--; // may be the first half of "\r\n"
        }
        if (n > limit) {
            throw tooLong();
        }
    }

    /** Makes room to read at least one byte: moves the unread bytes to the front, or grows. */
    private void makeRoom() {
        if (buffer.hasRemaining()) {
            return;
        }
        int unread = buffer.position() - start;
        if (start > 0) {
            System.arraycopy(bytes, start, bytes, 0, unread);
            start = 0;
            buffer.position(unread);
            return;
        }
        // Unread bytes fill the buffer and hold no '\n': at most limit + 1 of them (checkLength),
        // so only a limit above the first size gets here.
        int capacity = (int) Math.min(Math.min(limit + 2L, MAX_ARRAY), 2L * bytes.length);
        if (capacity <= bytes.length) {
            throw tooLong(); // only for limits near the largest array
        }
        byte[] grown = new byte[capacity];
        System.arraycopy(bytes, 0, grown, 0, unread);
        bytes = grown;
        buffer = ByteBuffer.wrap(grown);
        buffer.position(unread);
    }

    private RuntimeException tooLong() {
        throw IoErrors.sneaky(new LineTooLongException("a line from " + remote + " is longer than the limit of "
                + limit + " bytes", limit));
    }

    @Override
    public void drop() {
        finished = true;
        reading.drop();
    }

    @Override
    public String toString() {
        return "lines from " + remote;
    }
}
