package dev.spindle;

import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runtimes a test makes are closed after it (each close bounded by the scaled timeout). */
public abstract class RuntimeTestBase {
    private final List<Spindle> runtimes = new ArrayList<>();

    /** For test classes; public only so that tests in sub-packages can reach {@link #quiet()}. */
    protected RuntimeTestBase() {
    }

    /**
     * A runtime closed after the test. Tests here fail tasks and block workers on purpose: the
     * default handlers' warnings (uncaught failures, stalls) are kept out of the build log.
     */
    protected Spindle runtime(int workers) {
        return manage(quiet().workers(workers).build());
    }

    /**
     * Waits (bounded by the scaled timeout) until the runtime's monitor has finished two more
     * ticks, so one whole tick, with its timer firing and stall checks, ran after this call.
     */
    static void awaitMonitorTicks(Spindle rt) {
        long start = rt.scheduler().monitorTicks();
        TestSupport.awaitTrue(() -> rt.scheduler().monitorTicks() >= start + 2, "two monitor ticks");
    }

    /** A builder whose failure and stall reports go nowhere. */
    public static SpindleBuilder quiet() {
        return Spindle.builder().uncaughtExceptionHandler((t, e) -> { }).onStall(r -> { });
    }

    /** Closes {@code rt} after the test too. */
    protected Spindle manage(Spindle rt) {
        runtimes.add(rt);
        return rt;
    }

    @AfterEach
    final void closeRuntimes() {
        closeManagedRuntimes();
    }

    /**
     * Closes the runtimes made so far; subclasses in other packages call it from their own
     * {@code @AfterEach} (an annotated protected method would put JUnit in this module's API).
     * Closing twice is harmless: the list is emptied.
     */
    protected final void closeManagedRuntimes() {
        for (Spindle rt : runtimes) {
            TestSupport.closeWithin(rt);
            assertTrue(rt.isTerminated());
        }
        runtimes.clear();
    }
}
