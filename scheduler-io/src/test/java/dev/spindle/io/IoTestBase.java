package dev.spindle.io;

import dev.spindle.JoinHandle;
import dev.spindle.Spindle;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runtimes with a reactor, closed after each test; blocking loopback clients; waits bounded by
 * one scaled timeout ({@code -Dspindle.test.timeoutSeconds}).
 */
abstract class IoTestBase {
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("spindle.test.timeoutSeconds", 20));
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<Spindle> runtimes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    Spindle runtime(int workers) {
        Spindle rt = Spindle.builder().workers(workers).driver(Reactor::create)
                .uncaughtExceptionHandler((t, e) -> { }).onStall(r -> { }).build();
        runtimes.add(rt);
        return rt;
    }

    static InetSocketAddress anyPort() {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    /** A blocking client socket, closed after the test. */
    Socket client(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout((int) TIMEOUT.toMillis());
        s.connect(to, (int) TIMEOUT.toMillis());
        return closeLater(s);
    }

    static byte[] readN(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            fail("wanted " + n + " bytes, the stream ended after " + b.length);
        }
        return b;
    }

    static <T> T join(JoinHandle<T> h) {
        try {
            return h.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("the task failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the task did not finish within " + TIMEOUT);
        }
    }

    /** The exception {@code h} failed with (fails the test if it succeeded or hangs). */
    static Throwable failure(JoinHandle<?> h) {
        try {
            h.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the task did not fail within " + TIMEOUT, e);
        }
        throw new AssertionError("the task succeeded; a failure was expected");
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Open file descriptors of this process (Linux), or -1 where /proc is missing. */
    static long openDescriptors() {
        java.io.File fd = new java.io.File("/proc/self/fd");
        String[] names = fd.list();
        return names == null ? -1 : names.length;
    }

    @AfterEach
    final void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        closeables.clear();
        for (Spindle rt : runtimes) {
            // close() cancels the tasks still waiting on sockets once nothing else can run.
            Thread closer = new Thread(rt::close, "closer");
            closer.start();
            closer.join(TIMEOUT.toMillis());
            assertTrue(rt.isTerminated(), "runtime did not terminate");
        }
        runtimes.clear();
    }
}
