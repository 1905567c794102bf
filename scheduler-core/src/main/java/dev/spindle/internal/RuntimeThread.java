package dev.spindle.internal;

/**
 * A thread a runtime started (a worker or a blocking-pool thread): it knows its runtime, so code
 * on it finds the runtime with one type check, no thread-local.
 */
public abstract class RuntimeThread extends Thread {
    private final RuntimeServices runtime;

    protected RuntimeThread(RuntimeServices runtime, Runnable body, String name) {
        super(null, body, name, 0, false);
        this.runtime = runtime;
    }

    /** The runtime that started this thread; null only for test harnesses' threads. */
    public final RuntimeServices runtime() {
        return runtime;
    }
}
