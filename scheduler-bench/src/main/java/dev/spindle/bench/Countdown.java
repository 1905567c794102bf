package dev.spindle.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * How the benchmark thread learns that one operation's tasks are all done: tasks count down,
 * the last one unparks the thread that armed the countdown. Reused for every operation, so it
 * allocates nothing; the same object serves every executor, so completion costs the same on
 * all of them.
 */
final class Countdown {
    private static final VarHandle REMAINING;

    static {
        try {
            REMAINING = MethodHandles.lookup().findVarHandle(Countdown.class, "remaining", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through REMAINING
    private volatile int remaining;
    /** Written by {@link #arm} before any task of the operation is submitted; read by the last task. */
    private volatile Thread waiter;

    /** Expects {@code n} count-downs; the calling thread is the one {@link #await} will unpark. */
    void arm(int n) {
        waiter = Thread.currentThread();
        remaining = n;
    }

    /** Count-downs still expected in this round; a volatile read, for tasks that stop once others are done. */
    int remaining() {
        return remaining;
    }

    /** One task is done; the last one wakes the waiter. Any thread. */
    void countDown() {
        // Volatile read-modify-write: the waiter's re-check of remaining sees it, or gets the unpark.
        if ((int) REMAINING.getAndAdd(this, -1) == 1) {
            LockSupport.unpark(waiter);
        }
    }

    /** Parks until every count-down has happened. A stale permit from an earlier round only costs one re-check. */
    void await(long timeoutNanos) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        int left;
        while ((left = remaining) > 0) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                throw new TimeoutException(left + " tasks of this operation did not finish within "
                        + timeoutNanos / 1_000_000 + " ms");
            }
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                throw new InterruptedException(left + " tasks of this operation were still running");
            }
        }
    }
}
