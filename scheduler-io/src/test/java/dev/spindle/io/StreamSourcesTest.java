package dev.spindle.io;

import dev.spindle.Context;
import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Spindle;
import dev.spindle.Waker;
import dev.spindle.stream.AsyncStream;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The socket stream sources over loopback: a listener's {@code incoming()} connections and a
 * stream's {@code lines(max)}, against blocking JDK client sockets.
 */
class StreamSourcesTest extends IoTestBase {

    private static void send(Socket c, String text) throws Exception {
        OutputStream out = c.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static BufferedReader reader(Socket c) throws Exception {
        return new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Accepts one connection on {@code l} and returns the server's end of it. */
    private TcpStream acceptOne(Spindle rt, TcpListener l, Socket[] client) throws Exception {
        JoinHandle<TcpStream> accepted = rt.spawn(l.accept());
        client[0] = client(l.localAddress());
        return closeLater(join(accepted));
    }

    @Test
    void incomingGivesConnectionsInOrderAndTakeStopsAccepting() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        JoinHandle<List<TcpStream>> three = rt.spawn(l.incoming().take(3).collect());
        List<Integer> clientPorts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clientPorts.add(client(l.localAddress()).getLocalPort());
        }
        List<Integer> acceptedPorts = new ArrayList<>();
        for (TcpStream s : join(three)) {
            closeLater(s);
            acceptedPorts.add(s.remoteAddress().getPort());
        }
        assertEquals(clientPorts, acceptedPorts);
        // take dropped the stream: the next connection is the next accept's.
        JoinHandle<TcpStream> next = rt.spawn(l.accept());
        int fourth = client(l.localAddress()).getLocalPort();
        assertEquals(fourth, closeLater(join(next)).remoteAddress().getPort());
    }

    @Test
    void closingTheListenerEndsItsIncomingStreamQuietly() throws Exception {
        List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
        Spindle rt = Spindle.builder().workers(2).driver(Reactor::create)
                .uncaughtExceptionHandler((t, e) -> uncaught.add(e)).onStall(r -> { }).build();
        List<TcpStream> accepted = Collections.synchronizedList(new ArrayList<>());
        JoinHandle<Void> loop;
        try {
            TcpListener l = TcpListener.bind(rt, anyPort(), 16);
            loop = rt.spawn(l.incoming().forEach(accepted::add)); // not joined until it ended
            client(l.localAddress());
            awaitTrue(() -> accepted.size() == 1, "the loop accepted a connection");
            l.close();
            awaitTrue(loop::isFinished, "the accept loop ended with the listener");
        } finally {
            Thread closer = new Thread(rt::close, "closer"); // after the loop: any report is made by now
            closer.start();
            closer.join(TIMEOUT.toMillis());
            assertTrue(rt.isTerminated());
        }
        assertEquals(List.of(), uncaught, "nothing reported: the loop ended, it did not fail");
        assertNull(join(loop));
        accepted.get(0).close();

        // Polled by hand: a listener closed before the first poll ends at once; then it is finished.
        Spindle rt2 = runtime(1);
        TcpListener closed = TcpListener.bind(rt2, anyPort(), 16);
        closed.close();
        AsyncStream<TcpStream> incoming = closed.incoming();
        Context cx = Context.of(Waker.noop(), 8);
        assertNull(incoming.pollNext(cx).value());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> incoming.pollNext(cx));
        assertTrue(e.getMessage().contains("after their end"), e.getMessage());
    }

    @Test
    void aLineServerRepliesToEachLineInOrder() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        Socket[] c = new Socket[1];
        TcpStream s = acceptOne(rt, l, c);
        JoinHandle<Void> server = rt.spawn(s.lines(64).forEachAsync(line -> s.writeAll(
                ByteBuffer.wrap(("<" + line.toUpperCase() + ">\n").getBytes(StandardCharsets.UTF_8)))));
        BufferedReader replies = reader(c[0]);
        send(c[0], "one\ntw");            // a line and the start of the next
        assertEquals("<ONE>", replies.readLine());
        send(c[0], "o\r");                 // "tw" waits in the stream's buffer meanwhile
        send(c[0], "\nthree\n\nhé ✓\r\n"); // CRLF split across writes, an empty line, UTF-8
        assertEquals("<TWO>", replies.readLine());
        assertEquals("<THREE>", replies.readLine());
        assertEquals("<>", replies.readLine());
        assertEquals("<HÉ ✓>", replies.readLine());
        send(c[0], "four");
        c[0].shutdownOutput();             // the peer ends mid-line: that line, then the end
        assertEquals("<FOUR>", replies.readLine());
        assertNull(join(server));
    }

    @Test
    void aPeerClosingMidLineGivesThePartialLineThenTheEnd() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        Socket[] c = new Socket[1];
        TcpStream s = acceptOne(rt, l, c);
        AsyncStream<String> lines = s.lines(16);
        JoinHandle<List<String>> all = rt.spawn(lines.collect());
        send(c[0], "a\r\nb\nhalf a li");
        c[0].close();
        assertEquals(List.of("a", "b", "half a li"), join(all));
        assertThrows(IllegalStateException.class, () -> lines.pollNext(Context.of(Waker.noop(), 8)),
                "polled after its end");

        Socket[] c2 = new Socket[1];
        TcpStream s2 = acceptOne(rt, l, c2);
        JoinHandle<List<String>> crOnly = rt.spawn(s2.lines(16).collect());
        send(c2[0], "x\r");
        c2[0].shutdownOutput();
        assertEquals(List.of("x"), join(crOnly), "a trailing \\r is removed from the last line too");

        Socket[] c3 = new Socket[1];
        TcpStream s3 = acceptOne(rt, l, c3);
        JoinHandle<List<String>> nothing = rt.spawn(s3.lines(16).collect());
        c3[0].shutdownOutput();
        assertEquals(List.of(), join(nothing));
    }

    @Test
    void aLineOverTheLimitFailsTheStreamAndLeavesTheSocketOpen() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        Socket[] c = new Socket[1];
        TcpStream s = acceptOne(rt, l, c);
        AsyncStream<String> lines = s.lines(8);
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        JoinHandle<Void> reading = rt.spawn(lines.forEach(got::add));
        send(c[0], "12345678\r\n12345678\n123456789\nnever seen\n"); // 8 bytes fit, with "\r\n" or "\n"
        Throwable t = failure(reading);
        LineTooLongException e = assertInstanceOf(LineTooLongException.class, t);
        assertEquals(8, e.limit());
        assertTrue(e.getMessage().contains("limit of 8 bytes"), e.getMessage());
        assertEquals(List.of("12345678", "12345678"), got);
        assertThrows(IllegalStateException.class, () -> lines.pollNext(Context.of(Waker.noop(), 8)),
                "a stream that failed is finished");
        // The socket is still the server's to use: say why, and close.
        rt.blockOn(s.writeAll(ByteBuffer.wrap("line too long\n".getBytes(StandardCharsets.UTF_8))));
        s.close();
        BufferedReader r = reader(c[0]);
        assertEquals("line too long", r.readLine());
        assertNull(r.readLine());
    }

    @Test
    void aLongLineFailsBeforeItsEndArrives() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        Socket[] c = new Socket[1];
        TcpStream s = acceptOne(rt, l, c);
        // The limit counts bytes: "é" is two, so "éé" (4 bytes) is over a limit of 3.
        JoinHandle<List<String>> utf8 = rt.spawn(s.lines(3).collect());
        send(c[0], "éé\n");
        assertEquals(3, assertInstanceOf(LineTooLongException.class, failure(utf8)).limit());

        Socket[] c2 = new Socket[1];
        TcpStream s2 = acceptOne(rt, l, c2);
        // No '\n' ever comes and the peer stays: the stream fails once the bytes exceed the limit.
        JoinHandle<List<String>> endless = rt.spawn(s2.lines(100_000).collect());
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        Thread writer = new Thread(() -> {
            try {
                c2[0].getOutputStream().write(chunk);
                c2[0].getOutputStream().write(chunk);
            } catch (Exception closedByTheTest) {
                // the test closes the socket once the stream failed
            }
        }, "long-line-writer");
        writer.start();
        assertEquals(100_000, assertInstanceOf(LineTooLongException.class, failure(endless)).limit());
        s2.close();
        c2[0].close();
        writer.join(TIMEOUT.toMillis());
        assertFalse(writer.isAlive());
    }

    @Test
    void eachLineSpendsAUnitOfBudget() throws Exception {
        Spindle rt = runtime(2);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        Socket[] c = new Socket[1];
        TcpStream s = acceptOne(rt, l, c);
        int n = 300;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append("line ").append(i).append('\n');
        }
        send(c[0], text.toString());
        c[0].shutdownOutput();
        // Polled by hand with a budget of 5 per poll: never more than 5 lines pass in one poll.
        Semaphore woken = new Semaphore(0);
        List<String> got = new ArrayList<>();
        PollFuture<Void> each = s.lines(32).forEach(got::add);
        int budgetYields = 0;
        for (;;) {
            int before = got.size();
            Poll<Void> p = each.poll(Context.of(woken::release, 5));
            assertTrue(got.size() - before <= 5, "at most 5 lines in one poll, got " + (got.size() - before));
            if (p.isReady()) {
                break;
            }
            if (woken.tryAcquire()) {
                budgetYields++; // woken before the poll returned: the budget was spent
            } else {
                assertTrue(woken.tryAcquire(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "woken by the reactor");
            }
        }
        assertEquals(n, got.size());
        assertEquals("line 299", got.get(n - 1));
        // All 300 lines were in the socket before the first poll: the budget, not the reactor,
        // ended most polls.
        assertTrue(budgetYields >= n / 10, "polls the budget ended: " + budgetYields);
    }

    @Test
    void badArgumentsFailAtTheCall() throws Exception {
        Spindle rt = runtime(1);
        TcpListener l = closeLater(TcpListener.bind(rt, anyPort(), 16));
        Socket[] c = new Socket[1];
        TcpStream s = acceptOne(rt, l, c);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> s.lines(0));
        assertTrue(zero.getMessage().contains("maxLineLength"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.lines(-5));
        // The operators' own checks are in the core's StreamTest; they hold here too.
        assertThrows(NullPointerException.class, () -> s.lines(10).forEachAsync(null));
    }
}
