package dev.spindle.io.internal;

import dev.spindle.Waker;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.util.ArrayList;

/**
 * A channel registered with a {@link SelectorDriver}: its readiness, and a list of waiting
 * tasks per direction. See the package notes for the protocol.
 */
public final class Registration {
    /** What a registration asks of its selector; a test gives it a fake one. */
    interface Interest {
        /** Adds {@code ops} to the channel's interest; may throw {@code CancelledKeyException}. */
        void arm(int ops);

        /** Forgets the channel (cancels its key). */
        void cancel();
    }

    public static final int READ = 0;
    public static final int WRITE = 1;

    /** Readiness bits in {@link #state}; the bits above {@link #TICK_SHIFT} count readiness events. */
    static final long READ_READY = 1;
    static final long WRITE_READY = 2;
    static final long CLOSED = 4;
    static final int TICK_SHIFT = 8;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Registration.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Interest interest;
    /** The selector's interest op for each direction ({@code OP_CONNECT} for writing while a connect is pending). */
    private final int readOp;
    private volatile int writeOp;
    /** What a closed registration's operations fail with; set before CLOSED is. */
    private volatile IOException closedBecause;
    @SuppressWarnings("unused") // through STATE
    private volatile long state = READ_READY | WRITE_READY; // optimistic: try the operation first
    // Guarded by this:
    private final Waiter[] heads = new Waiter[2];
    private final Waiter[] tails = new Waiter[2];

    Registration(Interest interest, int readOp, int writeOp) {
        this.interest = interest;
        this.readOp = readOp;
        this.writeOp = writeOp;
    }

    /** Waiting to write now means {@code op} (a connected stream: {@code OP_WRITE} after {@code OP_CONNECT}). */
    public void writeOp(int op) {
        this.writeOp = op;
    }

    /** The readiness word to pass back to {@link #await}. */
    public long readiness() {
        return state;
    }

    public static boolean isReady(long readiness, int direction) {
        return (readiness & bit(direction)) != 0;
    }

    public static boolean isClosed(long readiness) {
        return (readiness & CLOSED) != 0;
    }

    /** Why operations fail now that this is closed. */
    public IOException closedBecause() {
        return closedBecause;
    }

    private static long bit(int direction) {
        return direction == READ ? READ_READY : WRITE_READY;
    }

    /**
     * After an operation saw {@code observed} and would block: files {@code w} as waiting in
     * {@code direction} and clears that readiness, unless newer readiness (or a close) came
     * since {@code observed}. Returns true if the caller should answer pending; false if it
     * should try again at once ({@code w} stays filed; {@link #done} unfiles it).
     */
    public boolean await(Waiter w, int direction, long observed, Waker waker) {
        synchronized (this) {
            if (isClosed(state)) {
                return false;
            }
            if (w.waker == null || !w.waker.willWake(waker)) {
                w.waker = waker;
            }
            if (w.linkedIn != direction) {
                unlink(w);
                link(w, direction);
            }
        }
        // Filed first, read second: readiness that arrives from here on finds w in the list;
        // readiness that arrived before shows as a changed word.
        long bit = bit(direction);
        long cur = state;
        if ((cur & bit) != 0) {
            if (cur != observed || !STATE.compareAndSet(this, cur, cur & ~bit)) {
                return false; // a newer event: the operation may succeed now
            }
        }
        try {
            interest.arm(direction == READ ? readOp : writeOp);
        } catch (CancelledKeyException e) {
            return false; // closed meanwhile: the retry sees it
        }
        return true;
    }

    /** Clears {@code direction}'s readiness if the word is still {@code observed}. */
    void clearIfUnchanged(int direction, long observed) {
        long bit = bit(direction);
        if ((observed & bit) != 0) {
            STATE.compareAndSet(this, observed, observed & ~bit);
        }
    }

    /** The operation finished (or was dropped): {@code w} no longer waits. */
    public void done(Waiter w) {
        if (w.linkedIn >= 0) { // racy read: only a filed waiter takes the lock
            synchronized (this) {
                unlink(w);
            }
        }
    }

    /** Direction bits of {@link #ready}'s answer. */
    static final int HAD_READ_WAITERS = 1;
    static final int HAD_WRITE_WAITERS = 2;

    /**
     * Per direction, guarded by this: waiters were woken by the last report and none has come
     * back since. Used only by the reactor's thread, through {@link #ready}.
     */
    private final boolean[] wokenNotBack = new boolean[2];

    /**
     * From the reactor's thread: readiness arrived. Sets it, then wakes the waiters of those
     * directions; {@code scratch} is the reactor's reusable list, left empty. Returns the
     * directions whose interest should stay armed ({@link #HAD_READ_WAITERS},
     * {@link #HAD_WRITE_WAITERS}): those that had waiters, and, once, those whose woken
     * waiters have not come back yet (they are about to use the socket; a second report of a
     * socket nobody has read yet is the common case under load, and disarming it then costs
     * an {@code epoll_ctl} now and another when the task waits again).
     */
    int ready(boolean read, boolean write, ArrayList<Waker> scratch) {
        long bits = (read ? READ_READY : 0) | (write ? WRITE_READY : 0);
        for (;;) {
            long s = state;
            long next = (((s >>> TICK_SHIFT) + 1) << TICK_SHIFT) | (s & 0xFF) | bits;
            if (STATE.compareAndSet(this, s, next)) {
                break;
            }
        }
        int keep = 0;
        synchronized (this) {
            if (read && keepArmed(READ, scratch)) {
                keep |= HAD_READ_WAITERS;
            }
            if (write && keepArmed(WRITE, scratch)) {
                keep |= HAD_WRITE_WAITERS;
            }
        }
        wakeAll(scratch);
        return keep;
    }

    /** Under this: wakes direction {@code d}'s waiters; true if its interest should stay armed. */
    private boolean keepArmed(int d, ArrayList<Waker> scratch) {
        if (heads[d] != null) {
            takeAll(d, scratch);
            wokenNotBack[d] = true;
            return true;
        }
        boolean once = wokenNotBack[d];
        wokenNotBack[d] = false;
        return once;
    }

    /** True if a task waits in {@code direction} now. */
    synchronized boolean hasWaiter(int direction) {
        return heads[direction] != null;
    }

    /** Marks this closed with {@code cause} and wakes every waiter, which then sees it. Any thread. */
    public void close(IOException cause) {
        if (closedBecause == null) {
            closedBecause = cause;
        }
        for (;;) {
            long s = state;
            if ((s & CLOSED) != 0 || STATE.compareAndSet(this, s, s | CLOSED)) {
                break;
            }
        }
        interest.cancel();
        ArrayList<Waker> woken = new ArrayList<>();
        synchronized (this) {
            takeAll(READ, woken);
            takeAll(WRITE, woken);
        }
        wakeAll(woken);
    }

    // ------------------------------------------------------------------ the lists (under this)

    private void link(Waiter w, int d) {
        w.linkedIn = d;
        w.next = null;
        w.prev = tails[d];
        if (tails[d] == null) {
            heads[d] = w;
        } else {
            tails[d].next = w;
        }
        tails[d] = w;
    }

    private void unlink(Waiter w) {
        int d = w.linkedIn;
        if (d < 0) {
            return;
        }
        if (w.prev == null) {
            heads[d] = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tails[d] = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        w.linkedIn = -1;
    }

    /** Unlinks every waiter of direction {@code d}, adding its waker to {@code out}. */
    private void takeAll(int d, ArrayList<Waker> out) {
        for (Waiter w = heads[d]; w != null; ) {
            Waiter n = w.next;
            w.prev = null;
            w.next = null;
            w.linkedIn = -1;
            out.add(w.waker);
            w = n;
        }
        heads[d] = null;
        tails[d] = null;
    }

    /** Wakes outside the lock (a waker may run a task's schedule); leaves {@code wakers} empty. */
    private static void wakeAll(ArrayList<Waker> wakers) {
        for (int i = 0, n = wakers.size(); i < n; i++) {
            try {
                wakers.get(i).wake();
            } catch (Throwable ignored) {
                // a foreign waker that throws must not stop the others
            }
        }
        wakers.clear();
    }
}
