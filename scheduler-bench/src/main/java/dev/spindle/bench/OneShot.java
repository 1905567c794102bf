package dev.spindle.bench;

import dev.spindle.Context;
import dev.spindle.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A one-shot signal between one sender task and one receiver task, for the native ping-pong:
 * the receiver parks its waker in a single reference, the sender swaps in {@link #SENT} and
 * wakes whatever it found. Stands in until the core grows a {@code sync} package. Reusable
 * through {@link #reset()} once both sides are done with it.
 */
final class OneShot {
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(OneShot.class, "state", Waker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The state once sent; never a task's waker. */
    private static final Waker SENT = new Waker() {
        @Override
        public void wake() {
        }

        @Override
        public String toString() {
            return "OneShot.SENT";
        }
    };

    /** null: nothing sent, nobody waiting; {@link #SENT}; or the receiver's waker. */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile Waker state;

    /** Sends the signal and wakes the receiver if it is waiting. Call once per round. */
    void send() {
        // getAndSet and the receiver's compareAndSet are atomic on the same word: one sees the other.
        Waker w = (Waker) STATE.getAndSet(this, SENT);
        if (w != null && w != SENT) {
            w.wake();
        }
    }

    /**
     * True once sent; otherwise registers {@code cx.waker()} to be woken by {@link #send()}.
     * Only one task may receive.
     */
    boolean poll(Context cx) {
        Waker s = (Waker) STATE.getAcquire(this);
        if (s == SENT) {
            return true;
        }
        Waker w = cx.waker();
        if (s != null && s.willWake(w)) {
            return false;
        }
        // Only the sender competes for the word, so a failed swap means it was sent meanwhile.
        return !STATE.compareAndSet(this, s, w);
    }

    /** Back to empty; only between rounds, when neither side will touch it any more. */
    void reset() {
        STATE.setRelease(this, (Waker) null);
    }
}
