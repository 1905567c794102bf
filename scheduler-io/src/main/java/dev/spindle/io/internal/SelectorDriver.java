package dev.spindle.io.internal;

import dev.spindle.Waker;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The reactor's machinery: one {@link Selector}, waited in by whichever worker keeps the
 * runtime's driver. See the package notes.
 */
public final class SelectorDriver {
    private final Selector selector;
    /** True while the keeping worker is blocked in {@code select} (not in {@code selectNow}). */
    private volatile boolean blocked;
    private volatile boolean shut;
    /** Wakers of one dispatch; only the thread in {@link #park} uses it. */
    private final ArrayList<Waker> scratch = new ArrayList<>();
    private final Consumer<SelectionKey> onKey = this::dispatch;

    public SelectorDriver() throws IOException {
        this.selector = Selector.open();
    }

    /**
     * Registers {@code ch} (made non-blocking) with no interest yet. Any thread: since JDK 11 a
     * registration does not wait for a select in progress.
     */
    public Registration register(SelectableChannel ch, int readOp, int writeOp) throws IOException {
        if (shut) {
            throw new IOException("the runtime has terminated: its reactor takes no new channels");
        }
        ch.configureBlocking(false);
        SelectionKey key;
        try {
            key = ch.register(selector, 0);
        } catch (ClosedSelectorException e) {
            throw new IOException("the runtime has terminated: its reactor takes no new channels", e);
        }
        Registration r = new Registration(new KeyInterest(key), readOp, writeOp);
        key.attach(r); // interest is 0 until a waiter arms it, so no event can find it unattached
        return r;
    }

    /** A registration's interest: its key, armed through this driver. */
    private final class KeyInterest implements Registration.Interest {
        private final SelectionKey key;

        KeyInterest(SelectionKey key) {
            this.key = key;
        }

        @Override
        public void arm(int ops) {
            SelectorDriver.this.arm(key, ops);
        }

        @Override
        public void cancel() {
            key.cancel();
        }
    }

    /** Adds {@code ops} to the key's interest; wakes the selector only if a worker is blocked in it. */
    void arm(SelectionKey key, int ops) {
        if ((key.interestOps() & ops) != ops) {
            key.interestOpsOr(ops);
            // The update is queued under the selector's lock; a select that starts after our
            // read of `blocked` applies it. A select already blocked needs a wake-up.
            if (blocked) {
                selector.wakeup();
            }
        }
    }

    /** Closes the channel and fails its waiters; lets a blocked select release the descriptor. */
    public void close(Registration r, SelectableChannel ch, IOException cause) throws IOException {
        try {
            r.close(cause);
        } finally {
            ch.close(); // the descriptor is freed when the selector deregisters the cancelled key
            if (blocked) {
                selector.wakeup();
            }
        }
    }

    /** Waits for readiness (see {@code Driver.park}). Only the keeping worker, or a poller. */
    public void park(long timeoutNanos) {
        if (shut) {
            return;
        }
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(onKey);
                return;
            }
            blocked = true;
            try {
                if (timeoutNanos == Long.MAX_VALUE) {
                    selector.select(onKey);
                } else {
                    // Whole milliseconds, rounded up: returning early would make the keeper spin.
                    long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999));
                    selector.select(onKey, ms);
                }
            } finally {
                blocked = false;
            }
        } catch (ClosedSelectorException e) {
            // shut down concurrently: nothing more to dispatch
        } catch (IOException e) {
            System.getLogger("dev.spindle.io").log(System.Logger.Level.WARNING, "select failed", e);
        }
    }

    private void dispatch(SelectionKey key) {
        Registration r = (Registration) key.attachment();
        if (r == null) {
            return;
        }
        int ops;
        try {
            ops = key.readyOps();
        } catch (CancelledKeyException e) {
            return; // closed: its close woke the waiters
        }
        int readOps = ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        int writeOps = ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        int had = r.ready(readOps != 0, writeOps != 0, scratch);
        // Level-triggered: a direction nobody waits in (or is about to) would be reported by
        // every select until somebody uses it, so it goes quiet; `ready` says which directions
        // stay armed (see the package notes). Disarm, then look for waiters that came meanwhile:
        // a waiter files itself before it reads the interest, so one of the two sees the other.
        int quiet = ((had & Registration.HAD_READ_WAITERS) == 0 ? readOps : 0)
                | ((had & Registration.HAD_WRITE_WAITERS) == 0 ? writeOps : 0);
        if (quiet != 0) {
            try {
                key.interestOpsAnd(~quiet);
                int again = ((quiet & readOps) != 0 && r.hasWaiter(Registration.READ) ? readOps : 0)
                        | ((quiet & writeOps) != 0 && r.hasWaiter(Registration.WRITE) ? writeOps : 0);
                if (again != 0) {
                    key.interestOpsOr(again);
                }
            } catch (CancelledKeyException e) {
                // closed meanwhile
            }
        }
    }

    public void unpark() {
        selector.wakeup();
    }

    /** Fails every registration's waiters and closes the selector; channels stay their owners'. */
    public void shutdown() {
        shut = true;
        try {
            for (SelectionKey k : selector.keys()) {
                Object r = k.attachment();
                if (r instanceof Registration) {
                    ((Registration) r).close(new IOException("the runtime has terminated"));
                }
            }
        } catch (ClosedSelectorException ignored) {
            // closed already
        }
        try {
            selector.close();
        } catch (IOException e) {
            System.getLogger("dev.spindle.io").log(System.Logger.Level.WARNING, "closing the selector failed", e);
        }
    }

    /** Channels registered and not yet deregistered; for tests. */
    public int registeredCount() {
        return selector.keys().size();
    }
}
