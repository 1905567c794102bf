package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The pads before {@link PollContext}'s fields; the int fills the gap after the object header,
 * where the JVM would otherwise place one of the context's own small fields.
 */
abstract class PollContextPad extends Context {
    int p0;
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/**
 * The context one polling thread passes to every poll it runs, reused from poll to poll. Owner
 * thread only, except the two racy reads the monitor makes ({@link #bodyRacy},
 * {@link #pollsOpaque}). During a poll it records, without touching the task's state word, the
 * three things {@link TaskCell#run} needs to know afterwards: whether the task woke itself,
 * whether the poll holds RUNNING (it started claimed), and whether it handed its waker out.
 *
 * <p>Its fields are written on every poll, so they are padded on both sides: before them by
 * {@link PollContextPad}, after them by {@link Padded} (a superclass's fields come first in
 * the object, a subclass's last). Without the pads, two workers' contexts could land on
 * neighbouring cache lines when a parallel GC copies them, and every poll on one worker would
 * then invalidate a line the other writes on every poll too. Create one with {@link #create}.
 */
public class PollContext extends PollContextPad {
    /** Units of cooperative budget each task poll starts with (the public docs give the number). */
    public static final int BUDGET = 128;

    private static final VarHandle POLLS;

    static {
        try {
            POLLS = MethodHandles.lookup().findVarHandle(PollContext.class, "polls", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TaskRunner runner;
    /** Where tasks that go idle after a poll here are logged, for close and shutdownNow. */
    private final IdleLog log;
    /** What becomes the home of a task polled here; null for a guest (an extra worker). */
    private final TaskHome home;

    /** The task cell being polled, or the plain runnable being run; null between tasks. */
    private Object task;
    private int budget;
    private boolean wokeItself;
    private boolean claimed;
    private boolean wakerOut;
    /** Polls started here: an opaque store by the owner, read by the monitor. */
    @SuppressWarnings("unused") // accessed through POLLS
    private long polls;
    /** Polls that ended because the budget ran out (a counter for metrics; racy reads). */
    private long forcedYields;

    /** A context for one polling thread; {@code home} is null for a guest (an extra worker). */
    public static PollContext create(TaskRunner runner, IdleLog log, TaskHome home) {
        return new Padded(runner, log, home);
    }

    private PollContext(TaskRunner runner, IdleLog log, TaskHome home) {
        this.runner = runner;
        this.log = log;
        this.home = home;
    }

    // ---------------------------------------------------------------- the poll protocol's side

    /** A poll of {@code t} begins; {@code claimed}: it holds RUNNING from the start. */
    void enter(TaskCell<?> t, boolean claimed) {
        POLLS.setOpaque(this, polls + 1);
        this.task = t;
        this.budget = BUDGET;
        this.wokeItself = false;
        this.claimed = claimed;
        this.wakerOut = false;
    }

    /** A plain runnable (queued by {@code execute} as itself) begins; it has no poll protocol. */
    public void enterRunnable(Runnable r) {
        POLLS.setOpaque(this, polls + 1);
        this.task = r;
    }

    /** The task or runnable that began last has ended. */
    public void exit() {
        this.task = null;
    }

    /** The task woke itself during this poll (a yield, a spent budget). */
    boolean wokeItself() {
        return wokeItself;
    }

    /** This poll holds RUNNING: the task was queued claimed (see the package notes). */
    boolean claimed() {
        return claimed;
    }

    /** The task asked for its waker during this poll. */
    boolean wakerOut() {
        return wakerOut;
    }

    TaskRunner runner() {
        return runner;
    }

    IdleLog log() {
        return log;
    }

    TaskHome home() {
        return home;
    }

    /** On the polling thread: if {@code t} is the task being polled, note its self-wake. */
    boolean noteSelfWake(TaskCell<?> t) {
        if (task == t) {
            wokeItself = true;
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- for the monitor and metrics

    /**
     * What runs here now, for reports: the task cell's body, or the runnable; null between
     * tasks. Read by other threads racily (a monitor's hint).
     */
    public Object bodyRacy() {
        Object t = task;
        return t instanceof TaskCell ? ((TaskCell<?>) t).body() : t;
    }

    /**
     * What runs here now: the task cell, or the plain runnable; null between tasks. Read by
     * other threads racily (the task dump).
     */
    public Object taskRacy() {
        return task;
    }

    /** Polls started so far; any thread. */
    public long pollsOpaque() {
        return (long) POLLS.getOpaque(this);
    }

    /** Budget-forced yields so far; a racy read from any thread. */
    public long forcedYields() {
        return forcedYields;
    }

    // ---------------------------------------------------------------- Context

    /**
     * Handing the waker out is what makes a wake during this poll possible. An unclaimed poll
     * only notes it: a wake that reaches the task meanwhile marks its word (see the package
     * notes), and the poll's end reads the mark, so the hand-out itself costs no atomic.
     */
    @Override
    public Waker waker() {
        wakerOut = true;
        return (TaskCell<?>) task; // a context reaches only a task cell's poll
    }

    @Override
    public boolean consumeBudget() {
        if (budget > 0) {
            budget--;
            return true;
        }
        forcedYields++;
        wokeItself = true; // run again after this poll, from the back of the queue
        return false;
    }

    @Override
    public void refundBudget() {
        budget++;
    }

    @Override
    public int remainingBudget() {
        return budget;
    }

    /** The trailing pads (see the class notes). */
    private static final class Padded extends PollContext {
        long q00, q01, q02, q03, q04, q05, q06, q07;
        long q10, q11, q12, q13, q14, q15, q16, q17;

        Padded(TaskRunner runner, IdleLog log, TaskHome home) {
            super(runner, log, home);
        }
    }
}
