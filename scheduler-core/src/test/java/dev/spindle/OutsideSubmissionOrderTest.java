package dev.spindle;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Outside threads submit through striped queues (each thread its own stripe): with one worker
 * taking everything, each thread's runnables still run in the order that thread submitted
 * them, and none is lost or run twice, while four threads submit at once.
 */
class OutsideSubmissionOrderTest extends RuntimeTestBase {
    private static final int THREADS = 4;
    /** More than a stripe's lock-free part holds, so its ring is used when the worker falls behind. */
    private static final int PER_THREAD = 5_000;

    @Test
    void eachOutsideThreadsRunnablesRunInItsOrderOnOneWorker() throws Exception {
        Spindle rt = manage(quiet().workers(1).build());
        // Only the one worker writes these: plain arrays, read after the latch.
        int[] lastSeen = new int[THREADS];
        int[] outOfOrder = new int[THREADS];
        int[] runs = new int[THREADS * PER_THREAD];
        CountDownLatch done = new CountDownLatch(THREADS * PER_THREAD);
        // The worker is not held back (a blocked worker would be compensated by a second thread,
        // and two threads promise no order): it takes batches while the threads submit.
        AtomicInteger failures = new AtomicInteger();
        Thread[] submitters = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            lastSeen[t] = -1;
            submitters[t] = new Thread(() -> {
                for (int i = 0; i < PER_THREAD; i++) {
                    int seq = i;
                    rt.execute(() -> {
                        if (seq <= lastSeen[thread]) {
                            outOfOrder[thread]++;
                        }
                        lastSeen[thread] = seq;
                        runs[thread * PER_THREAD + seq]++;
                        done.countDown();
                    });
                }
            }, "outside-submitter-" + t);
        }
        for (Thread s : submitters) {
            s.start();
        }
        for (Thread s : submitters) {
            s.join(TestSupport.TIMEOUT.toMillis());
            if (s.isAlive()) {
                failures.incrementAndGet();
            }
        }
        TestSupport.await(done, "every runnable to run");
        assertEquals(0, failures.get(), "a submitter did not finish");
        for (int t = 0; t < THREADS; t++) {
            assertEquals(0, outOfOrder[t], "thread " + t + "'s runnables ran out of its order");
            assertEquals(PER_THREAD - 1, lastSeen[t]);
        }
        for (int i = 0; i < runs.length; i++) {
            assertEquals(1, runs[i], "runnable " + i + " ran " + runs[i] + " times");
        }
    }
}
