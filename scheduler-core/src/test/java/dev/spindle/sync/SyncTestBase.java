package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Runtime;
import dev.spindle.TestSupport;
import dev.spindle.Waker;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quiet runtimes closed after each test (bounded by the scaled timeout), and a counting waker. */
abstract class SyncTestBase {
    private final List<Runtime> runtimes = new ArrayList<>();

    Runtime runtime(int workers) {
        Runtime rt = dev.spindle.RuntimeTestBase.quiet().workers(workers).build();
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

    /** A context with a fresh counting waker and a large budget. */
    static Context cx(CountingWaker w) {
        return Context.of(w, 128);
    }

    /** A waker that counts its wake-ups; identity is the object. */
    static class CountingWaker implements Waker {
        final AtomicInteger woken = new AtomicInteger();

        @Override
        public void wake() {
            woken.incrementAndGet();
        }

        int woken() {
            return woken.get();
        }
    }
}
