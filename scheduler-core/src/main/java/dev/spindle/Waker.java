package dev.spindle;

/**
 * A handle that makes a task runnable again.
 *
 * <p>Wakers are cheap, thread-safe, and may be called from any thread, any number of times.
 * Waking a task that is already scheduled, or that has completed, does nothing; waking a task
 * while it is being polled makes it run once more after that poll returns, so no wake-up is
 * lost.
 *
 * <p>The wakers handed out by a {@link Spindle} are the task's identity: {@link #willWake}
 * compares the tasks they wake, not the objects' classes.
 */
public interface Waker {

    /** Schedules the task this waker belongs to. Never blocks and never throws. */
    void wake();

    /**
     * True exactly when waking {@code other} would wake the same task as waking this waker.
     * A resource that stores a waker uses this to skip replacing it with an equivalent one.
     *
     * <p>The default compares identity; wrappers that delegate to another waker should
     * delegate this too.
     */
    default boolean willWake(Waker other) {
        return this == other;
    }

    /** A waker that does nothing: for polling a future by hand where no wake-up is wanted. */
    static Waker noop() {
        return NoopWaker.INSTANCE;
    }
}

/** The shared do-nothing waker. */
final class NoopWaker implements Waker {
    static final NoopWaker INSTANCE = new NoopWaker();

    private NoopWaker() {
    }

    @Override
    public void wake() {
    }

    @Override
    public String toString() {
        return "Waker.noop()";
    }
}
