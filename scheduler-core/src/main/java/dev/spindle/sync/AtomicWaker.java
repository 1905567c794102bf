package dev.spindle.sync;

import dev.spindle.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One waker slot that a single waiting task fills with {@link #register(Waker)} and any number
 * of threads empty with {@link #wake()} or {@link #take()}, without a lock.
 *
 * <p>What users can rely on: a {@link #wake()} that starts after {@code register(w)} has
 * returned, or that runs while {@code register(w)} runs, wakes {@code w} (either
 * {@code wake()} wakes it, or {@code register} wakes it itself before returning). A wake that
 * finishes before the register starts finds the slot empty (or holding an older waker) and is
 * not remembered, so a waiting future follows the usual pattern: register, then check its
 * condition once more, and only then return pending. Registering a waker that
 * {@linkplain Waker#willWake will wake} the same task as the one already stored leaves the
 * slot as it is (no store of the waker field). Only one thread at a time may call
 * {@code register}; a register overlapping another register wakes its own waker at once, so
 * misuse costs a spurious poll, never a lost wake-up.
 *
 * <h2>State machine</h2>
 * One {@code int} word holds two bits beside the {@code waker} field:
 * <ul>
 *   <li>{@code WAITING} (0): nobody touches {@code waker}; a register or a wake may claim it.
 *   <li>{@code REGISTERING}: a register owns {@code waker} and is storing into it.
 *   <li>{@code WAKING}: a wake owns {@code waker} and is taking it out; set alone, or set on
 *       top of {@code REGISTERING} to tell the register that a wake arrived meanwhile.
 * </ul>
 * Whoever moves the word out of {@code WAITING} owns the field until it stores
 * {@code WAITING} again, so the field itself needs no atomics: the owner's plain accesses are
 * ordered by the acquire of its claiming compare-and-set / get-and-or and the release of the
 * store or compare-and-set that gives the word back.
 *
 * <h2>Interleavings</h2>
 * <ul>
 *   <li><b>register, then wake</b>: register goes {@code WAITING -> REGISTERING}, stores,
 *       {@code REGISTERING -> WAITING}; the wake's get-and-or then sees {@code WAITING}, owns
 *       the field, takes the waker, stores {@code WAITING}, wakes it.
 *   <li><b>wake during register</b>: the wake's get-and-or sees {@code REGISTERING} and leaves
 *       {@code REGISTERING|WAKING}; it returns without touching the field. The register's
 *       closing compare-and-set {@code REGISTERING -> WAITING} then fails; the register still
 *       owns the field, so it takes the waker out, stores {@code WAITING} and wakes it itself.
 *       This looks like the wake "did nothing", but the register cannot return before waking.
 *   <li><b>register during wake</b>: the register's opening compare-and-set fails on
 *       {@code WAKING}; the running wake may have read the field before the register could
 *       store, so the register wakes its new waker directly and leaves the slot alone.
 *   <li><b>two wakes</b>: the second get-and-or sees {@code WAKING} already set and returns;
 *       the first one takes and wakes the waker. Nothing is lost: a waker is consumed by
 *       one wake, and both wakes happened after the register.
 * </ul>
 */
public final class AtomicWaker {
    static final int WAITING = 0;
    static final int REGISTERING = 1;
    static final int WAKING = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AtomicWaker.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    /** Owned by whoever moved {@code state} out of WAITING; see the class notes. */
    private Waker waker;

    /** An empty slot. */
    public AtomicWaker() {
    }

    /**
     * Stores {@code w} as the waker to wake, replacing the stored one unless that one
     * {@linkplain Waker#willWake will wake} the same task. If a wake runs concurrently,
     * {@code w} is woken before this returns.
     *
     * @param w the waker of the task that waits
     * @throws NullPointerException if w is null
     */
    public void register(Waker w) {
        Objects.requireNonNull(w, "w");
        // Acquire: pairs with the release that handed the word back, so we see the last waker.
        if (!STATE.compareAndSet(this, WAITING, REGISTERING)) {
            // A wake owns the field (or, by misuse, another register does): it may already have
            // read the old waker, so wake ours now rather than lose the wake-up.
            w.wake();
            return;
        }
        Waker current = waker;
        if (current == null || !current.willWake(w)) {
            waker = w;
        }
        // Release: publishes the store to the next owner. Fails only if a wake set WAKING.
        if (STATE.compareAndSet(this, REGISTERING, WAITING)) {
            return;
        }
        // REGISTERING|WAKING: the wake left the waking to us; we still own the field.
        Waker toWake = waker;
        waker = null;
        STATE.setRelease(this, WAITING);
        toWake.wake();
    }

    /** Wakes the stored waker, if any, and empties the slot. Never blocks. */
    public void wake() {
        Waker w = take();
        if (w != null) {
            w.wake();
        }
    }

    /**
     * Empties the slot and returns the waker it held, without waking it; null if the slot was
     * empty or a concurrent register or wake is responsible for the waking.
     *
     * @return the waker taken out, or null
     */
    public Waker take() {
        int prev = (int) STATE.getAndBitwiseOr(this, WAKING);
        if (prev != WAITING) {
            return null; // a register will wake (REGISTERING) or another wake is running (WAKING)
        }
        Waker w = waker;
        waker = null;
        STATE.setRelease(this, WAITING);
        return w;
    }

    @Override
    public String toString() {
        return "AtomicWaker[state=" + (int) STATE.getVolatile(this) + "]";
    }
}
