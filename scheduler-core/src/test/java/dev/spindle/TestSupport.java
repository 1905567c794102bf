package dev.spindle;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared test plumbing: one scaled timeout for every wait, and waits that dump every thread's
 * stack when they time out, so a hang explains itself.
 */
public final class TestSupport {
    /** Scale with -Dspindle.test.timeoutScale=N on slow machines. */
    public static final Duration TIMEOUT = Duration.ofSeconds(
            20L * Long.getLong("spindle.test.timeoutScale", 1L));

    private TestSupport() {
    }

    public static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("timed out waiting for " + what + " (" + latch.getCount() + " left)\n" + threadDump());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + what);
        }
    }

    public static <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("timed out waiting for " + what + "\n" + threadDump());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + what);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        }
    }

    /** Polls {@code condition} until true, failing with a thread dump after the timeout. */
    public static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what + "\n" + threadDump());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Waits for termination, failing with a thread dump on timeout. */
    public static void awaitTermination(java.util.concurrent.ExecutorService rt) {
        try {
            if (!rt.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("runtime did not terminate: " + rt + "\n" + threadDump());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** Runs close() on another thread so a hang fails the test instead of freezing it. */
    public static void closeWithin(Spindle rt) {
        CompletableFuture<Void> closed = CompletableFuture.runAsync(rt::close, r -> {
            Thread t = new Thread(r, "test-closer");
            t.setDaemon(true);
            t.start();
        });
        await(closed, "close() of " + rt);
    }

    public static String threadDump() {
        StringBuilder b = new StringBuilder("---- thread dump ----\n");
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            b.append('"').append(e.getKey().getName()).append("\" ").append(e.getKey().getState()).append('\n');
            for (StackTraceElement s : e.getValue()) {
                b.append("    at ").append(s).append('\n');
            }
        }
        return b.toString();
    }

    /** Starts a named platform thread. The caller joins it. */
    public static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public static void join(Thread t) {
        try {
            t.join(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            fail("thread " + t.getName() + " did not finish\n" + threadDump());
        }
    }

    /** A future that waits (once) for a wake, storing its waker where a test can reach it. */
    public static final class Parked<T> implements PollFuture<T> {
        private final T value;
        private volatile Waker waker;
        private volatile boolean released;
        public volatile int polls;
        public volatile Thread lastPolledOn;

        public Parked(T value) {
            this.value = value;
        }

        @Override
        public Poll<T> poll(Context cx) {
            polls++;
            lastPolledOn = Thread.currentThread();
            if (released) {
                return Poll.ready(value);
            }
            waker = cx.waker();
            if (released) { // re-check after publishing the waker
                return Poll.ready(value);
            }
            return Poll.pending();
        }

        public boolean isWaiting() {
            return waker != null;
        }

        public void release() {
            released = true;
            Waker w = waker;
            if (w != null) {
                w.wake();
            }
        }

        public Waker waker() {
            return waker;
        }
    }
}
