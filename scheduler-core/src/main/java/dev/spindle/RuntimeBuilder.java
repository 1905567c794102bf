package dev.spindle;

import dev.spindle.internal.worker.Scheduler;

import java.util.Objects;

/**
 * Configures and builds a {@link Runtime}. Obtain one from {@link Runtime#builder()}.
 *
 * <pre>{@code
 * try (Runtime rt = Runtime.builder().workers(4).build()) {
 *     JoinHandle<Integer> h = rt.spawn(cx -> Poll.ready(42));
 *     int answer = rt.blockOn(h);
 * }
 * }</pre>
 *
 * <p>Each setter checks its argument at once and throws at the call that made the mistake.
 */
public final class RuntimeBuilder {
    private int workers = java.lang.Runtime.getRuntime().availableProcessors();
    private int localQueueCapacity = 256;
    private String threadNamePrefix = "spindle-worker-";
    private boolean daemon;
    private Thread.UncaughtExceptionHandler uncaughtExceptionHandler;

    RuntimeBuilder() {
    }

    /**
     * The number of worker threads. Default: the number of available processors.
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > 32767}
     */
    public RuntimeBuilder workers(int n) {
        if (n < 1 || n > 0x7FFF) {
            throw new IllegalArgumentException("workers must be between 1 and 32767, was " + n);
        }
        this.workers = n;
        return this;
    }

    /**
     * The capacity of each worker's local run queue, rounded up to a power of two. Tasks beyond
     * it overflow, half a queue at a time, to the shared injector. Default: 256.
     *
     * @throws IllegalArgumentException if {@code capacity < 2} or {@code capacity > 2^20}
     */
    public RuntimeBuilder localQueueCapacity(int capacity) {
        if (capacity < 2 || capacity > (1 << 20)) {
            throw new IllegalArgumentException("localQueueCapacity must be between 2 and 2^20, was " + capacity);
        }
        this.localQueueCapacity = capacity;
        return this;
    }

    /** The worker threads' name prefix; the worker index is appended. Default {@code "spindle-worker-"}. */
    public RuntimeBuilder threadNamePrefix(String prefix) {
        this.threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
        return this;
    }

    /**
     * Whether worker threads are daemon threads. Default: false, as with the JDK's executors, so
     * a runtime that is never closed keeps the JVM alive.
     */
    public RuntimeBuilder daemon(boolean daemon) {
        this.daemon = daemon;
        return this;
    }

    /**
     * Receives exceptions thrown by tasks whose outcome nobody was waiting for when they failed:
     * tasks run by {@link Runtime#execute}, and spawned tasks whose handle had not been polled
     * or turned into a {@code CompletableFuture} yet. Default: a warning through
     * {@link System.Logger} named {@code dev.spindle}. The handler runs on the worker thread;
     * an exception it throws is ignored.
     */
    public RuntimeBuilder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        this.uncaughtExceptionHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Starts the worker threads and returns the running runtime. */
    public Runtime build() {
        Scheduler.Config c = new Scheduler.Config();
        c.workers = workers;
        c.localQueueCapacity = localQueueCapacity;
        c.threadNamePrefix = threadNamePrefix;
        c.daemon = daemon;
        c.uncaughtExceptionHandler = uncaughtExceptionHandler;
        return new Runtime(c);
    }
}
