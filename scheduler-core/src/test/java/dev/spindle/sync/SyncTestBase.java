package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.RuntimeTestBase;
import org.junit.jupiter.api.AfterEach;

/** Quiet runtimes closed after each test (from {@link RuntimeTestBase}), and hand-made contexts. */
abstract class SyncTestBase extends RuntimeTestBase {

    @AfterEach
    final void closeSyncRuntimes() {
        closeManagedRuntimes();
    }

    /** A context with a fresh counting waker and a large budget. */
    static Context cx(CountingWaker w) {
        return Context.of(w, 128);
    }
}
