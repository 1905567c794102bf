package dev.spindle.io.internal;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

import java.io.IOException;

/**
 * One socket operation as a future: it spends a unit of the cooperative budget per poll, tries
 * the operation while its direction is ready, and otherwise waits as its own {@link Waiter}.
 * A failure fails the polling task with an {@link IOException} that names the operation and
 * the address (thrown unchecked through {@code poll}).
 */
public abstract class IoOp<T> extends Waiter implements PollFuture<T> {
    private final Registration reg;
    private final int direction;
    /** The readiness word the running attempt was made under. */
    private long observed;

    protected IoOp(Registration reg, int direction) {
        this.reg = reg;
        this.direction = direction;
    }

    /** Tries the operation once; returns null if it would block. */
    protected abstract T attempt() throws IOException;

    /**
     * Called by an attempt that succeeded but moved fewer bytes than it could (a short read or
     * write): the socket is most likely drained (or full), so the next operation waits for
     * readiness rather than trying first and seeing would-block, unless readiness newer than
     * this attempt's arrived meanwhile.
     */
    protected final void drained() {
        reg.clearIfUnchanged(direction, observed);
    }

    /** The operation and address, for error messages: "read from /127.0.0.1:8080". */
    protected abstract String describe();

    @Override
    public final Poll<T> poll(Context cx) {
        if (!cx.consumeBudget()) {
            return Poll.pending(); // spent: the context has woken the task to run again after its peers
        }
        for (;;) {
            long s = reg.readiness();
            if (Registration.isClosed(s)) {
                reg.done(this);
                IOException why = reg.closedBecause();
                throw IoErrors.sneaky(new IOException(describe() + " failed: " + why.getMessage(), why));
            }
            if (Registration.isReady(s, direction)) {
                observed = s;
                T r;
                try {
                    r = attempt();
                } catch (IOException e) {
                    reg.done(this);
                    throw IoErrors.sneaky(IoErrors.named(describe(), e));
                }
                if (r != null) {
                    reg.done(this);
                    return Poll.ready(r);
                }
            }
            if (reg.await(this, direction, s, cx.waker())) {
                cx.refundBudget(); // waiting for readiness is not progress
                return Poll.pending();
            }
        }
    }

    @Override
    public void drop() {
        reg.done(this);
    }
}
