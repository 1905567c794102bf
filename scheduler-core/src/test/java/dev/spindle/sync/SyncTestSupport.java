package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Runtime;
import dev.spindle.TestSupport;
import dev.spindle.Waker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plumbing for the sync tests: counting wakers, hand polling, and quiet runtimes. */
final class SyncTestSupport {
    private SyncTestSupport() {
    }

    /** A waker that counts its wakes. */
    static final class CountingWaker implements Waker {
        final AtomicInteger woken = new AtomicInteger();

        @Override
        public void wake() {
            woken.incrementAndGet();
        }

        int woken() {
            return woken.get();
        }
    }

    /** Polls once with a full budget. */
    static <T> Poll<T> poll(PollFuture<T> f, Waker w) {
        return f.poll(Context.of(w, 128));
    }

    /**
     * Polls {@code f} until ready, waiting between polls for a wake of {@code w}: a lost
     * wake-up spins forever (a model checker reports it as a hang).
     */
    static <T> T pollUntilReady(PollFuture<T> f, CountingWaker w) {
        while (true) {
            int seen = w.woken();
            Poll<T> p = f.poll(Context.of(w, 128));
            if (p.isReady()) {
                return p.value();
            }
            while (w.woken() == seen) {
                Thread.yield();
            }
        }
    }

    /** Quiet runtimes, closed (within the scaled timeout) by {@link #close()}. */
    static final class Runtimes implements AutoCloseable {
        private final List<Runtime> all = new ArrayList<>();

        Runtime make(int workers) {
            Runtime rt = dev.spindle.RuntimeTestBase.quiet().workers(workers).build();
            all.add(rt);
            return rt;
        }

        @Override
        public void close() {
            for (Runtime rt : all) {
                TestSupport.closeWithin(rt);
                assertTrue(rt.isTerminated());
            }
        }
    }
}
