package dev.spindle;

import org.jetbrains.lincheck.Lincheck;

/**
 * What every Lincheck scenario in this module starts with: how many interleavings to explore,
 * and how its threads are started and joined.
 */
public final class LincheckSupport {
    /**
     * Interleavings per scenario unless {@code -Dspindle.lincheck.invocations=N} says otherwise
     * (the build passes the pom's {@code lincheck.invocations}; {@code -Pstress} raises it).
     */
    public static final int INVOCATIONS = 300;

    private LincheckSupport() {
    }

    /** Runs {@code scenario} under the model checker, once per explored interleaving. */
    public static void check(Runnable scenario) {
        check(0, scenario);
    }

    /**
     * As {@link #check(Runnable)}, exploring at least {@code atLeast} interleavings: for a test
     * whose deliberately broken protocols were only caught at that many, which the default
     * (kept low for CI's time) must not undercut.
     */
    public static void check(int atLeast, Runnable scenario) {
        Lincheck.runConcurrentTest(Math.max(atLeast, Integer.getInteger("spindle.lincheck.invocations", INVOCATIONS)), scenario);
    }

    /**
     * Starts the threads, then joins them with a plain {@code join()}: the model checker schedules
     * every thread itself, and a scenario that cannot finish fails as "Concurrent test has hung"
     * with its interleaving.
     */
    public static void startAndJoin(Thread... threads) {
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
