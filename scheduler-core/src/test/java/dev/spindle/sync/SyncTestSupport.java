package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Waker;

/** Plumbing for the sync tests: hand polling (the counting waker and quiet runtimes are CountingWaker and SyncTestBase). */
final class SyncTestSupport {
    private SyncTestSupport() {
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
}
