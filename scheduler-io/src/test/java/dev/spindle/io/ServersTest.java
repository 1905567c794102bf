package dev.spindle.io;

import dev.spindle.Spindle;
import dev.spindle.io.examples.EchoServer;
import dev.spindle.io.examples.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example servers over loopback: behaviour, faults, and descriptors after a soak. */
class ServersTest extends IoTestBase {
    private static final String HELLO = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads until the peer closes. */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void httpAnswersKeepAliveAndPipelinedRequestsInOrder() throws Exception {
        Spindle rt = runtime(2);
        HttpServer server = closeLater(HttpServer.start(rt, anyPort()));
        Socket c = client(server.address());
        OutputStream out = c.getOutputStream();
        InputStream in = c.getInputStream();
        for (int i = 0; i < 50; i++) { // one connection, many requests
            out.write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals(HELLO, new String(readN(in, HELLO.length()), StandardCharsets.US_ASCII));
        }
        // Three pipelined in one write, the middle one a 404, then one split across writes.
        out.write(ascii("GET / HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n\r\nGET / HT"));
        out.flush();
        out.write(ascii("TP/1.1\r\nConnection: close\r\n\r\n"));
        String all = readToEnd(in);
        String notFound = "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nNot Found";
        assertEquals(HELLO + notFound + HELLO + HELLO, all);
    }

    @Test
    void httpSkipsABodyByContentLength() throws Exception {
        Spindle rt = runtime(1);
        HttpServer server = closeLater(HttpServer.start(rt, anyPort()));
        Socket c = client(server.address());
        c.getOutputStream().write(ascii("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
        assertEquals(HELLO + HELLO, readToEnd(c.getInputStream()));
    }

    @Test
    void httpMalformedRequestLineGets400AndTheConnectionCloses() throws Exception {
        Spindle rt = runtime(1);
        HttpServer server = closeLater(HttpServer.start(rt, anyPort()));
        for (String bad : new String[] {"GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1 extra\r\n\r\n", "G(T / HTTP/1.1\r\n\r\n"}) {
            Socket c = client(server.address());
            c.getOutputStream().write(ascii(bad));
            String answer = readToEnd(c.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), bad + " -> " + answer);
            assertTrue(answer.contains("Connection: close"), answer);
        }
    }

    @Test
    void httpRequestOverTheSizeLimitClosesTheConnection() throws Exception {
        Spindle rt = runtime(1);
        HttpServer server = closeLater(HttpServer.start(rt, anyPort()));
        Socket c = client(server.address());
        byte[] huge = new byte[HttpServer.MAX_HEAD + 100];
        Arrays.fill(huge, (byte) 'a');
        OutputStream out = c.getOutputStream();
        out.write(ascii("GET / HTTP/1.1\r\nX-Long: "));
        try {
            out.write(huge);
        } catch (IOException closedWhileWriting) {
            // the server may close before it has read everything: that is the point
        }
        String answer = readToEnd(c.getInputStream());
        assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
    }

    @Test
    void echoSurvivesResetsVanishingClientsAndHalfCloses() throws Exception {
        Spindle rt = runtime(2);
        EchoServer server = closeLater(EchoServer.start(rt, anyPort()));
        Socket steady = client(server.address());
        for (int round = 0; round < 20; round++) {
            Socket reset = client(server.address());
            reset.getOutputStream().write(new byte[100]);
            reset.setSoLinger(true, 0);
            reset.close(); // RST, maybe while the server echoes
            Socket vanish = client(server.address());
            vanish.close(); // gone before saying anything
            Socket half = client(server.address());
            half.getOutputStream().write(new byte[] {1, 2, 3});
            half.shutdownOutput();
            assertArrayEquals(new byte[] {1, 2, 3}, half.getInputStream().readAllBytes(), "echo after half-close");
            half.close();
            steady.getOutputStream().write(new byte[] {(byte) round});
            assertEquals(round, steady.getInputStream().read(), "the steady connection still echoes");
        }
        Reactor reactor = Reactor.of(rt);
        awaitTrue(() -> reactor.registeredChannels() == 2, "only the listener and the steady connection left"
                + " (now " + reactor.registeredChannels() + ")");
    }

    /**
     * A client that sends a lot and reads nothing: the server stops reading it once its echo
     * cannot be written (no unbounded buffering), other clients go on, and reading resumes it.
     */
    @Test
    void echoAppliesBackpressureToAClientThatDoesNotRead() throws Exception {
        Spindle rt = runtime(2);
        EchoServer server = closeLater(EchoServer.start(rt, anyPort()));
        Socket hog = client(server.address());
        byte[] chunk = new byte[64 * 1024];
        new SplittableRandom(1).nextBytes(chunk);
        int sent = 0;
        hog.setSendBufferSize(64 * 1024);
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 256; i++) { // 16 MiB: far more than the buffers on the way
                    hog.getOutputStream().write(chunk);
                }
            } catch (IOException ignored) {
                // the test closes the socket at the end
            }
        }, "hog-writer");
        writer.start();
        Socket other = client(server.address());
        for (int i = 0; i < 100; i++) {
            other.getOutputStream().write(i);
            assertEquals(i, other.getInputStream().read());
        }
        InputStream in = hog.getInputStream();
        byte[] back = new byte[chunk.length];
        for (int i = 0; i < 256; i++) {
            assertEquals(chunk.length, in.readNBytes(back, 0, back.length));
            assertArrayEquals(chunk, back, "chunk " + i);
            sent++;
        }
        writer.join(TIMEOUT.toMillis());
        assertEquals(256, sent);
    }

    /**
     * Connections opened, used and closed against the echo server: the process's descriptors
     * come back to where they started. (Bounded here; {@code -Dspindle.soak.connections=N} for more.)
     */
    @Test
    void echoSoakLeaksNoDescriptors() throws Exception {
        int connections = Integer.getInteger("spindle.soak.connections", 10_000);
        Spindle rt = runtime(2);
        EchoServer server = closeLater(EchoServer.start(rt, anyPort()));
        Reactor reactor = Reactor.of(rt);
        // warm up: the first connection opens some descriptors the JDK keeps
        try (Socket s = new Socket(LOOPBACK, server.address().getPort())) {
            s.getOutputStream().write(1);
            assertEquals(1, s.getInputStream().read());
        }
        awaitTrue(() -> reactor.registeredChannels() == 1, "the warm-up connection released");
        long before = openDescriptors();
        byte[] msg = ascii("ping");
        for (int i = 0; i < connections; i++) {
            try (Socket s = new Socket(LOOPBACK, server.address().getPort())) {
                s.setSoTimeout((int) TIMEOUT.toMillis());
                s.getOutputStream().write(msg);
                assertArrayEquals(msg, readN(s.getInputStream(), msg.length));
            }
        }
        // The server closes its side when it reads the end of stream; the selector releases
        // the descriptor at its next select.
        awaitTrue(() -> reactor.registeredChannels() == 1, "every server-side connection released");
        if (before >= 0) {
            awaitTrue(() -> openDescriptors() <= before, "descriptors back to " + before + " (now " + openDescriptors() + ")");
        }
    }
}
