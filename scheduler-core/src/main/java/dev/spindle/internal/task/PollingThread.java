package dev.spindle.internal.task;

import dev.spindle.internal.RuntimeServices;
import dev.spindle.internal.RuntimeThread;

/**
 * A thread that polls tasks through one {@link PollContext} of its own. A task that wakes
 * itself on the thread polling it (a yield, a spent budget) is only noted in that context: the
 * poll protocol then requeues it with no atomic operation on its state word.
 */
public abstract class PollingThread extends RuntimeThread {
    private final PollContext cx;

    protected PollingThread(RuntimeServices runtime, PollContext cx, String name) {
        super(runtime, null, name);
        this.cx = cx;
    }

    /** This thread's context; touched only by this thread, but for the monitor's racy reads. */
    public final PollContext pollContext() {
        return cx;
    }

    /**
     * If the calling thread is polling {@code t} right now, notes that {@code t} must run again
     * after this poll and returns true. A thread of another runtime never polls {@code t}, so
     * its context never matches.
     */
    static boolean noteSelfWake(TaskCell<?> t) {
        Thread current = Thread.currentThread();
        return current instanceof PollingThread && ((PollingThread) current).cx.noteSelfWake(t);
    }
}
