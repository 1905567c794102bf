package dev.spindle.internal;

/**
 * Which runtime the calling thread belongs to: the runtime that started it (a worker or a
 * blocking thread), else the runtime whose {@code blockOn} it is inside, else none. Any thread.
 */
public final class CurrentRuntime {
    /** The runtime whose blockOn the calling thread is inside, if any. */
    private static final ThreadLocal<RuntimeServices> BLOCK_ON = new ThreadLocal<>();

    private CurrentRuntime() {
    }

    /** The calling thread's runtime, or null. */
    public static RuntimeServices get() {
        Thread t = Thread.currentThread();
        if (t instanceof RuntimeThread) {
            RuntimeServices rt = ((RuntimeThread) t).runtime();
            if (rt != null) {
                return rt;
            }
        }
        return BLOCK_ON.get();
    }

    /** Marks the calling thread as inside {@code rt}'s blockOn; returns what to restore. */
    public static RuntimeServices enterBlockOn(RuntimeServices rt) {
        RuntimeServices previous = BLOCK_ON.get();
        BLOCK_ON.set(rt);
        return previous;
    }

    /** Undoes {@link #enterBlockOn}, given what it returned. */
    public static void exitBlockOn(RuntimeServices previous) {
        if (previous == null) {
            BLOCK_ON.remove();
        } else {
            BLOCK_ON.set(previous);
        }
    }
}
