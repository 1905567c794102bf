package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The one allocation a task costs: its state word, its body (then its outcome), its home (then,
 * once something waits for it, a {@link Joined} record that keeps the home and the join waker),
 * and, being a {@link Waker} itself, the identity every waker of this task shares. See the
 * package notes for the state bits and transitions.
 *
 * @param <T> the task's output type
 */
public abstract class TaskCell<T> implements JoinHandle<T>, Waker {
    // The state bits (package notes). Only this package reads them: everybody else acts on the
    // outcome of run(), of a wake, or of an abort.
    static final int NOTIFIED = 1;
    static final int RUNNING = 2;
    static final int COMPLETE = 4;
    static final int CANCELLED = 8;
    /** The task's waker has been handed out (a poll asked for it); never cleared. */
    static final int ESCAPED = 16;

    /** What the thread that ran a task ({@link #run}) must do with it next. */
    public enum RunOutcome {
        /** The task has its outcome (a value, a failure, or cancelled): count the completion. */
        COMPLETED,
        /** The task waits for a wake-up; whoever wakes it queues it. */
        IDLE,
        /** The task must run again (it yielded, or was woken during its poll): queue it. */
        REQUEUE
    }

    /** Outcome of {@link #transitionToRunning()}. */
    enum ToRunning { POLL, CANCEL }

    /** Outcome of {@link #transitionToIdle(boolean, boolean, boolean)}. */
    enum ToIdle { IDLE, REQUEUE, CANCEL }

    /** Outcome of {@link #transitionToNotified()}. */
    enum ToNotified { SUBMIT, DO_NOTHING }

    /** Outcome of {@link #transitionToAborted()}. */
    enum ToAborted { SUBMIT, REQUESTED, TOO_LATE }

    private static final VarHandle STATE;
    private static final VarHandle LINK;
    private static final VarHandle PROMISE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(TaskCell.class, "state", int.class);
            LINK = l.findVarHandle(TaskCell.class, "link", Object.class);
            PROMISE = l.findVarHandle(Joined.class, "promise", Promise.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Object CANCELLED_OUTCOME = new Object();

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    /**
     * Two lives in one field, as a Tokio task's stage: until the task completes, its body (the
     * future, or the blocking callable; null once dropped), read and dropped only by the owner
     * of RUNNING (and racily by reports); from the COMPLETE transition on, the outcome (value,
     * {@link Failure}, or {@link #CANCELLED_OUTCOME}), written by the completer before the
     * compare-and-set that publishes COMPLETE, read only after a load that sees it.
     */
    private Object stage;
    /**
     * Where wakes go, and who waits: the task's {@link TaskHome} (the worker whose poll last
     * left it waiting, or its spawner's, or the scheduler itself when no worker is its home;
     * never null, and the only way to the scheduler that queues the task's wakes); or, once a
     * poller or a {@link CompletableFuture} asks for the outcome, a {@link Joined} record
     * holding that home and who to wake. One field for both keeps a native spawn's cell at 24
     * bytes (a 12-byte header, the state word and two references); a joined task pays the record
     * (24 bytes).
     * The home part is owned by the scheduler: written by the thread that owns the task through
     * RUNNING (or its spawner), read racily by wakers, so a stale value only sends a wake-up to a
     * worker the task recently lived on, of the same scheduler. A joiner swaps a home for a
     * record by compare-and-set; the owner moves a home by compare-and-set too, or, in a record,
     * by a plain store. The spawner's value reaches other threads with the cell (a queue's
     * release store), and a waker reaches them only from a poll, which comes after that.
     */
    @SuppressWarnings("unused") // accessed through LINK
    private volatile Object link;

    protected TaskCell(TaskHome home, Object body) {
        // Plain stores: a volatile one would cost a full fence on every spawn. The cell reaches
        // other threads only through a queue, whose offer is a release store.
        LINK.set(this, Objects.requireNonNull(home, "home"));
        this.stage = body;
        STATE.set(this, NOTIFIED);
    }

    /** The task's body, for its owner (the thread that polls or runs it); null once dropped. */
    protected final Object body0() {
        return stage;
    }

    /** Drops the task's body: the owner only, before the task completes. */
    protected final void clearBody() {
        stage = null;
    }

    /** Runs the task's own code once. Called only by the owner of RUNNING. */
    protected abstract Poll<T> pollTask(Context cx);

    /**
     * What the task wraps, for reports (stall and uncaught-exception messages): the body while
     * the task is alive, else a description of what it was. Racy from other threads.
     */
    public abstract Object body();

    // ---------------------------------------------------------------- the poll protocol

    /**
     * Runs the task once on the calling thread, which has just taken it from a queue (a dequeue
     * is exclusive): claim it, poll it, and move it on to complete, idle or requeued. The caller
     * acts on the outcome only: it counts a completion, or queues the task again; an idle task
     * has been logged in {@code cx}'s idle log first, since once idle another thread may own it.
     *
     * <p>A task whose waker was never handed out cannot be woken during its poll, so it is polled
     * without claiming RUNNING (see the package notes): a run-to-completion task then costs one
     * compare-and-set, at the end, and so does a first poll that hands its waker out and returns
     * pending (it goes idle marked ESCAPED, and is claimed by every later wake). After
     * {@code shutdownNow}, futures are cancelled rather than polled.
     */
    public RunOutcome run(PollContext cx) {
        int s = lvState();
        boolean claimed = (s & (ESCAPED | RUNNING)) != 0;
        boolean cancel = claimed ? transitionToRunning(s) == ToRunning.CANCEL : (s & CANCELLED) != 0;
        if (cancel || cx.runner().stopping()) {
            completeCancelled();
            return RunOutcome.COMPLETED;
        }
        cx.enter(this, claimed);
        Poll<T> p;
        try {
            p = pollTask(cx);
        } catch (Throwable e) {
            cx.exit();
            Object failed = body(); // before the outcome takes the body's place
            if (!completeExceptionally(e)) {
                cx.runner().reportUncaught(failed, e);
            }
            return RunOutcome.COMPLETED;
        }
        cx.exit();
        if (p.isReady()) {
            transitionToComplete(p.value(), cx.claimed());
            return RunOutcome.COMPLETED;
        }
        // The home moves only now, for a task that waits or runs again: only a wake that queues
        // the task reads it, and none can before the task is idle (a wake during the poll finds
        // it NOTIFIED or RUNNING). So a task that finishes in one poll, as most spawned from
        // outside or stolen do, never pays the compare-and-set. A guest (extra) leaves it as is.
        TaskHome newHome = cx.home();
        boolean moved = newHome != null && moveHome(newHome);
        boolean wokeItself = cx.wokeItself();
        if (moved || (s & RUNNING) == 0 && (claimed || !wokeItself)) {
            // Before giving the task up (once idle, another thread may own it), where no log may
            // list it yet: its first poll on this worker, or a poll that was not queued RUNNING
            // (the first wait is unclaimed). Every task queued RUNNING went idle, or was requeued
            // claimed, after a poll logged here (or on a guest, in the shared log) or queued
            // RUNNING itself, with no move since; so its home's log lists it, and keeps it while
            // its home stays (see IdleLog). An unclaimed yield is no wait and is not logged: its
            // next poll is unclaimed again, or claimed but not queued RUNNING, and logs then.
            cx.log().add(this);
        }
        switch (transitionToIdle(wokeItself, cx.claimed(), cx.wakerOut())) {
            case IDLE:
                return RunOutcome.IDLE;
            case REQUEUE:
                return RunOutcome.REQUEUE;
            case CANCEL:
                completeCancelled();
                return RunOutcome.COMPLETED;
            default:
                throw new AssertionError();
        }
    }

    /** {@code shutdownNow} took this task from a queue: claims it and completes it as cancelled. */
    public final void cancelDequeued() {
        transitionToRunning();
        completeCancelled();
    }

    // ---------------------------------------------------------------- the home

    /** The task's home now: racy from any thread but its owner's (see {@link #link}). */
    public final TaskHome home() {
        Object l = LINK.getAcquire(this);
        return l instanceof Joined ? ((Joined) l).home : (TaskHome) l;
    }

    /**
     * The owner of RUNNING, after a poll on {@code to} that left the task unfinished: makes it
     * the task's home.
     *
     * @return true if the home changed (the task was last polled elsewhere, or never on a worker)
     */
    final boolean moveHome(TaskHome to) {
        Object l = LINK.getAcquire(this);
        for (;;) {
            if (l == to) {
                return false;
            }
            if (l instanceof Joined) {
                Joined j = (Joined) l;
                if (j.home == to) {
                    return false;
                }
                j.home = to; // the record is the link for good: a plain store, as into the cell
                return true;
            }
            Object witness = LINK.compareAndExchange(this, l, to);
            if (witness == l) {
                return true;
            }
            l = witness; // a joiner put a record in meanwhile
        }
    }

    // ---------------------------------------------------------------- transitions

    private int lvState() {
        return (int) STATE.getAcquire(this);
    }

    private boolean casState(int expect, int update) {
        return STATE.compareAndSet(this, expect, update);
    }

    /*
     * Each transition first tries one compare-and-set from its common state without reading the
     * word: a cell last written on another core then moves here once, already exclusive, rather
     * than once to read it and once more to write it.
     */

    /** The worker that dequeued this task takes ownership of it. */
    final ToRunning transitionToRunning() {
        return transitionToRunning(lvState());
    }

    /**
     * The worker that dequeued this task takes ownership of it; {@code s} is the word as it just
     * read it. A task queued by a wake, an abort or its own poller is queued RUNNING (claimed on
     * the dequeuer's behalf), so taking it costs no atomic operation; only a NOTIFIED set by a
     * wake while it sat in the queue is cleared, since the poll about to start serves it.
     */
    final ToRunning transitionToRunning(int s) {
        for (;; s = lvState()) {
            assert (s & (NOTIFIED | RUNNING)) != 0 && (s & COMPLETE) == 0 : "dequeued in state " + describe(s);
            if ((s & RUNNING) != 0) {
                if ((s & NOTIFIED) != 0 && !casState(s, s & ~NOTIFIED)) {
                    continue;
                }
                return (s & CANCELLED) != 0 ? ToRunning.CANCEL : ToRunning.POLL;
            }
            // Queued NOTIFIED: an unclaimed poll requeued because a wake reached it, a blocking
            // cell, or a spawn that shutdownNow cancels.
            if (casState(s, (s & ~NOTIFIED) | RUNNING)) {
                return (s & CANCELLED) != 0 ? ToRunning.CANCEL : ToRunning.POLL;
            }
        }
    }

    /**
     * After a pending poll: give the task up, unless it must run again or be cancelled.
     *
     * <p>REQUEUE leaves the word RUNNING (perhaps with NOTIFIED) and the caller queues the task
     * as it is: while RUNNING is set no wake can queue it, CANCELLED can still be set and is seen
     * at the next dequeue, and that dequeue takes ownership (see transitionToRunning). A task
     * that woke itself during the poll ({@code wokeItself}: a yield, a spent budget, which the
     * worker noted without touching this word) is requeued with no atomic operation at all.
     *
     * <p>An unclaimed poll ({@code claimed} false) kept the word NOTIFIED throughout, so no wake
     * could queue the task meanwhile; a wake that reached it left ESCAPED on the word, and then
     * the task runs again rather than going idle. If the poll handed its waker out
     * ({@code wakerOut}) the task goes idle marked ESCAPED, so the next wake claims it for its
     * dequeuer as it does any task whose waker escaped.
     */
    final ToIdle transitionToIdle(boolean wokeItself, boolean claimed, boolean wakerOut) {
        if (wokeItself) {
            return (lvState() & CANCELLED) != 0 ? ToIdle.CANCEL : ToIdle.REQUEUE;
        }
        if (!claimed) {
            int idle = wakerOut ? ESCAPED : 0;
            if (casState(NOTIFIED, idle)) {
                return ToIdle.IDLE;
            }
            for (;;) {
                int s = lvState();
                if ((s & CANCELLED) != 0) {
                    return ToIdle.CANCEL;
                }
                if ((s & ESCAPED) != 0) {
                    return ToIdle.REQUEUE; // still NOTIFIED: no wake can queue it meanwhile
                }
                if (casState(s, (s & ~NOTIFIED) | idle)) {
                    return ToIdle.IDLE;
                }
            }
        }
        if (casState(ESCAPED | RUNNING, ESCAPED)) {
            return ToIdle.IDLE;
        }
        for (;;) {
            int s = lvState();
            if ((s & CANCELLED) != 0) {
                return ToIdle.CANCEL; // keep RUNNING: the caller completes it as cancelled
            }
            if ((s & NOTIFIED) != 0) {
                return ToIdle.REQUEUE; // NOTIFIED is never cleared by anyone but a dequeue
            }
            if (casState(s, s & ~RUNNING)) {
                return ToIdle.IDLE;
            }
        }
    }

    /**
     * A wake-up. Only the caller that gets SUBMIT may (and must) queue the task. An idle task is
     * queued RUNNING: claimed for whichever worker dequeues it, which then takes it with no
     * atomic operation (see {@link #transitionToRunning(int)}).
     */
    final ToNotified transitionToNotified() {
        if (casState(ESCAPED, ESCAPED | RUNNING)) {
            return ToNotified.SUBMIT;
        }
        for (;;) {
            int s = lvState();
            if ((s & COMPLETE) != 0) {
                return ToNotified.DO_NOTHING;
            }
            if ((s & RUNNING) != 0) {
                // Polled, or queued claimed: NOTIFIED makes the poll that follows serve this wake.
                if ((s & NOTIFIED) != 0 || casState(s, s | NOTIFIED)) {
                    return ToNotified.DO_NOTHING;
                }
                continue;
            }
            if ((s & NOTIFIED) != 0) {
                // Queued unclaimed, or being polled unclaimed: if the word does not say ESCAPED
                // yet, say it, so that an unclaimed poll in progress sees this wake and runs again.
                if ((s & ESCAPED) != 0 || casState(s, s | ESCAPED)) {
                    return ToNotified.DO_NOTHING;
                }
                continue;
            }
            if (casState(s, s | RUNNING)) {
                return ToNotified.SUBMIT;
            }
        }
    }

    /** An abort request. SUBMIT: the task was idle and the caller must queue it. */
    final ToAborted transitionToAborted() {
        for (;;) {
            int s = lvState();
            if ((s & (COMPLETE | CANCELLED)) != 0) {
                return ToAborted.TOO_LATE;
            }
            boolean idle = (s & (NOTIFIED | RUNNING)) == 0;
            int next = s | CANCELLED | (idle ? RUNNING : 0); // queued claimed, as by a wake
            if (casState(s, next)) {
                return idle ? ToAborted.SUBMIT : ToAborted.REQUESTED;
            }
        }
    }

    /**
     * Publishes the outcome; called once, by the thread that dequeued the task (which holds
     * RUNNING, or polled it unclaimed). {@code claimed} picks the first guess at the word.
     */
    private void transitionToComplete(Object outcome, boolean claimed) {
        this.stage = outcome;
        boolean done = claimed ? casState(ESCAPED | RUNNING, ESCAPED | COMPLETE) : casState(NOTIFIED, COMPLETE);
        if (!done) {
            for (;;) {
                int s = lvState();
                assert (s & COMPLETE) == 0 : "complete in state " + describe(s);
                if (casState(s, (s & ~(RUNNING | NOTIFIED)) | COMPLETE)) {
                    break;
                }
            }
        }
        // The reads below come after the volatile CAS: pairs with a joiner's store-then-recheck.
        Object l = LINK.getVolatile(this);
        if (l instanceof Joined) {
            Joined j = (Joined) l;
            wakeJoiner(j.waker);
            Promise<?> p = (Promise<?>) PROMISE.getVolatile(j);
            if (p != null) {
                p.settle(); // CompletableFuture captures what its dependents throw
            }
        }
    }

    private static void wakeJoiner(Waker w) {
        if (w != null) {
            try {
                w.wake();
            } catch (Throwable ignored) {
                // A foreign waker that throws must not take the completing worker down.
            }
        }
    }

    // ---------------------------------------------------------------- completion by the owner

    final void completeWith(T value) {
        transitionToComplete(value, true);
    }

    /**
     * Fails the task with {@code error}; a {@link CancellationException} from a future cancels it
     * instead (see {@link #cancelsOn}).
     *
     * @return true if the failure needs no report: somebody was already waiting for the outcome,
     *     or the task was cancelled
     */
    final boolean completeExceptionally(Throwable error) {
        if (cancelsOn(error)) {
            transitionToComplete(CANCELLED_OUTCOME, true);
            return true;
        }
        transitionToComplete(new Failure(error), true);
        return hasJoiner();
    }

    /** Completes the task as cancelled, after telling its body it will not run again. */
    final void completeCancelled() {
        dropBody();
        transitionToComplete(CANCELLED_OUTCOME, true);
    }

    /** Whether {@code error}, thrown by the task's own code, means it was cancelled. */
    protected boolean cancelsOn(Throwable error) {
        return false;
    }

    /** The task is cancelled before it finished: its body will never run again. Owner only. */
    protected void dropBody() {
    }

    /** True when a poller or a {@link CompletableFuture} has asked for the outcome. */
    final boolean hasJoiner() {
        // A record is put in only with a waker or for a promise, and never taken out.
        return LINK.getVolatile(this) instanceof Joined;
    }

    // ---------------------------------------------------------------- Waker

    @Override
    public final void wake() {
        if (PollingThread.noteSelfWake(this)) {
            return; // the task woke itself on the thread polling it: noted, no atomic needed
        }
        if (transitionToNotified() == ToNotified.SUBMIT) {
            home().scheduler().schedule(this);
        }
    }

    /** True exactly when {@code other} wakes this same task. */
    @Override
    public final boolean willWake(Waker other) {
        return other == this;
    }

    // ---------------------------------------------------------------- JoinHandle

    @Override
    public final Poll<T> poll(Context cx) {
        if (!cx.consumeBudget()) {
            return Poll.pending();
        }
        if ((lvState() & COMPLETE) != 0) {
            return outcomeAsPoll();
        }
        registerJoinWaker(cx.waker());
        // Re-check after publishing the waker: pairs with the completer's CAS-then-read. Both
        // loads after the stores must be volatile for the store-load handshake to hold.
        if (((int) STATE.getVolatile(this) & COMPLETE) != 0) {
            return outcomeAsPoll();
        }
        cx.refundBudget(); // waiting is not progress
        return Poll.pending();
    }

    /**
     * Publishes {@code w} as the waker to wake on completion: a volatile store into the
     * {@link Joined} record (put in first if there is none yet).
     */
    private void registerJoinWaker(Waker w) {
        Joined j = joined();
        Waker current = j.waker;
        if (current == null || !current.willWake(w)) {
            j.waker = w;
        }
    }

    /**
     * The record, putting one in (with no waker) if there is none yet, by a compare-and-set with
     * the home, which loses only to the owner moving the home, or to another joiner.
     */
    private Joined joined() {
        Object l = LINK.getVolatile(this);
        Joined fresh = null;
        while (!(l instanceof Joined)) {
            if (fresh == null) {
                fresh = new Joined((TaskHome) l);
            } else {
                fresh.home = (TaskHome) l;
            }
            Object witness = LINK.compareAndExchange(this, l, fresh);
            l = witness == l ? fresh : witness;
        }
        return (Joined) l;
    }

    @SuppressWarnings("unchecked")
    private Poll<T> outcomeAsPoll() {
        Object o = stage;
        if (o instanceof Failure) {
            throw Failure.sneaky(((Failure) o).error);
        }
        if (o == CANCELLED_OUTCOME) {
            throw new CancellationException("task was cancelled");
        }
        return Poll.ready((T) o);
    }

    @Override
    public final boolean abort() {
        switch (transitionToAborted()) {
            case SUBMIT:
                home().scheduler().schedule(this);
                return true;
            case REQUESTED:
                return true;
            case TOO_LATE:
            default:
                return false;
        }
    }

    @Override
    public final boolean isFinished() {
        return (lvState() & COMPLETE) != 0;
    }

    @Override
    public final boolean isCancelled() {
        return isFinished() && stage == CANCELLED_OUTCOME;
    }

    /**
     * The task's body while the task is alive, null once it is finished or finishing: racy, for
     * the task dump. A body read here belonged to a task that was not finished after the read,
     * or, in a race with its completion, is the value just put in its place (the completer's
     * store of the outcome may be seen before its COMPLETE; a failure or a cancellation is
     * recognised and gives null).
     */
    public final Object liveBodyRacy() {
        Object b = stage;
        VarHandle.loadLoadFence(); // the body is read before the state
        return b == null || b instanceof Failure || b == CANCELLED_OUTCOME || isFinished() ? null : b;
    }

    /**
     * True when the task is neither queued, running nor finished: it waits for a wake-up. A
     * racy read for diagnostics (the task dump): the answer may be stale by the time it is used.
     */
    public final boolean waitsForWake() {
        return (lvState() & (NOTIFIED | RUNNING | COMPLETE)) == 0;
    }

    /** The raw state bits, for tests and diagnostics. */
    final int stateForTests() {
        return lvState();
    }

    @Override
    @SuppressWarnings("unchecked") // the record's promise is this cell's Promise<T>
    public final CompletableFuture<T> toCompletableFuture() {
        Joined j = joined();
        Promise<?> p = (Promise<?>) PROMISE.getVolatile(j);
        if (p == null) {
            Promise<T> fresh = new Promise<>(this);
            Promise<?> witness = (Promise<?>) PROMISE.compareAndExchange(j, (Promise<?>) null, fresh);
            p = witness == null ? fresh : witness;
        }
        // Volatile store (the CAS) then volatile re-read: pairs with the completer's CAS-then-read.
        if (((int) STATE.getVolatile(this) & COMPLETE) != 0) {
            p.settle();
        }
        return (CompletableFuture<T>) p;
    }

    @Override
    public String toString() {
        int s = lvState();
        return "Task[" + body() + ", state=" + describe(s) + "]";
    }

    static String describe(int s) {
        StringBuilder b = new StringBuilder();
        if ((s & NOTIFIED) != 0) b.append("NOTIFIED|");
        if ((s & RUNNING) != 0) b.append("RUNNING|");
        if ((s & COMPLETE) != 0) b.append("COMPLETE|");
        if ((s & CANCELLED) != 0) b.append("CANCELLED|");
        if ((s & ESCAPED) != 0) b.append("ESCAPED|");
        return b.length() == 0 ? "IDLE" : b.substring(0, b.length() - 1);
    }

    /** A failed outcome. */
    private static final class Failure {
        final Throwable error;

        Failure(Throwable error) {
            this.error = error;
        }

        @SuppressWarnings("unchecked")
        static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
            throw (E) t;
        }
    }

    /**
     * What the cell links to once its outcome is awaited: its home (moved here from the cell's
     * link, and moved on in place) and who to wake. Never taken out again.
     */
    private static final class Joined {
        /** The cell's home from now on: see {@link TaskCell#link} for who writes and reads it. */
        TaskHome home;
        /** The waker of the task that polls the handle; a later poller's replaces it. */
        volatile Waker waker;
        /** The CompletableFuture face, once asked for; set once, by compare-and-set. */
        @SuppressWarnings("unused") // accessed through PROMISE
        volatile Promise<?> promise;

        Joined(TaskHome home) {
            this.home = home;
        }
    }

    /** The CompletableFuture face; cancelling it aborts the task. */
    private static final class Promise<T> extends CompletableFuture<T> {
        private final TaskCell<T> task;

        Promise(TaskCell<T> task) {
            this.task = task;
        }

        /** Completes as the task did; called only once the task is COMPLETE. */
        @SuppressWarnings("unchecked")
        void settle() {
            Object o = task.stage;
            if (o instanceof Failure) {
                completeExceptionally(((Failure) o).error);
            } else if (o == CANCELLED_OUTCOME) {
                super.cancel(false);
            } else {
                complete((T) o);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            task.abort();
            return super.cancel(mayInterruptIfRunning);
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }
}
