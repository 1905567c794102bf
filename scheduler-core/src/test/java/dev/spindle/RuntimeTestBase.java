package dev.spindle;

import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runtimes a test makes are closed after it (each close bounded by the scaled timeout). */
public abstract class RuntimeTestBase {
    private final List<Runtime> runtimes = new ArrayList<>();

    /** For test classes; public only so that tests in sub-packages can reach {@link #quiet()}. */
    protected RuntimeTestBase() {
    }

    /**
     * A runtime closed after the test. Tests here fail tasks and block workers on purpose: the
     * default handlers' warnings (uncaught failures, stalls) are kept out of the build log.
     */
    Runtime runtime(int workers) {
        return manage(quiet().workers(workers).build());
    }

    /** A builder whose failure and stall reports go nowhere. */
    public static RuntimeBuilder quiet() {
        return Runtime.builder().uncaughtExceptionHandler((t, e) -> { }).onStall(r -> { });
    }

    /** Closes {@code rt} after the test too. */
    Runtime manage(Runtime rt) {
        runtimes.add(rt);
        return rt;
    }

    @AfterEach
    final void closeRuntimes() {
        for (Runtime rt : runtimes) {
            TestSupport.closeWithin(rt);
            assertTrue(rt.isTerminated());
        }
    }
}
