package dev.spindle.internal;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StripedCounterTest {

    /** Every increment from every thread is in the sum, once. */
    @Test
    void theSumHoldsEveryIncrementOfEveryThread() throws InterruptedException {
        StripedCounter c = new StripedCounter(StripedCounter.stripesFor(2));
        Thread[] threads = new Thread[6];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int k = 0; k < 10_000; k++) {
                    c.increment();
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(60_000, c.sum());
    }

    /**
     * Threads started one after another (a set of producers, a pool) take different stripes, up
     * to the stripe count, rather than meeting on one by the chance of a hash; and a thread
     * keeps its stripe whatever happens to its monitor (here, a join waiting on it).
     */
    @Test
    void threadsStartedInARowTakeDifferentStripesAndKeepThem() throws InterruptedException {
        int mask = StripedCounter.stripesFor(2) - 1; // 8 stripes
        int n = mask + 1;
        int[] before = new int[n];
        int[] after = new int[n];
        Thread[] threads = new Thread[n];
        Object gate = new Object();
        for (int i = 0; i < n; i++) {
            int me = i;
            threads[i] = new Thread(() -> {
                before[me] = StripedCounter.stripeOfCurrentThread(mask);
                synchronized (gate) {
                    try {
                        gate.wait(20); // meanwhile the test thread joins this one
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                after[me] = StripedCounter.stripeOfCurrentThread(mask);
            });
        }
        long first = threads[0].getId();
        boolean consecutive = true;
        for (int i = 0; i < n; i++) {
            consecutive &= threads[i].getId() == first + i;
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < n; i++) {
            assertEquals(before[i], after[i], "thread " + i + " changed stripes");
        }
        // Another thread created in between (by some other test's runtime) breaks the row.
        assumeTrue(consecutive, "thread ids were not consecutive");
        Set<Integer> stripes = new HashSet<>();
        for (int s : before) {
            stripes.add(s);
        }
        assertEquals(n, stripes.size(), "stripes of " + n + " threads started in a row: " + stripes);
    }
}
