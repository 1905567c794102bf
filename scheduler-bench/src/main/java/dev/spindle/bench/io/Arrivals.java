package dev.spindle.bench.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the connections of one operation that have finished their round trip; the benchmark
 * thread parks until the last one arrives. Rearmed per operation, so it allocates nothing.
 * (The same idea as {@code dev.spindle.bench.Countdown}, which is package-private there.)
 */
final class Arrivals {
    private static final VarHandle REMAINING;

    static {
        try {
            REMAINING = MethodHandles.lookup().findVarHandle(Arrivals.class, "remaining", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through REMAINING
    private volatile int remaining;
    private volatile Thread waiter;

    /** Before the operation starts: {@code n} arrivals are expected, by the calling thread. */
    void arm(int n) {
        waiter = Thread.currentThread();
        remaining = n;
    }

    /** One connection is done; the last one wakes the waiter. Nothing of the caller's is read after this. */
    void arrive() {
        // Volatile read-modify-write: pairs with the waiter's volatile read of remaining.
        if ((int) REMAINING.getAndAdd(this, -1) == 1) {
            LockSupport.unpark(waiter);
        }
    }

    void await(long timeoutNanos) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        int left;
        while ((left = remaining) > 0) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                throw new TimeoutException(left + " connections had not finished their round trip within "
                        + timeoutNanos / 1_000_000 + " ms");
            }
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                throw new InterruptedException(left + " connections were still waiting for their echo");
            }
        }
    }
}
