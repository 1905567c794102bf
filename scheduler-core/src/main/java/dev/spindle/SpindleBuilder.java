package dev.spindle;

import dev.spindle.internal.worker.Scheduler;

import dev.spindle.metrics.StallReport;
import dev.spindle.spi.Driver;
import dev.spindle.time.Clock;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Configures and builds a {@link Spindle}. Obtain one from {@link Spindle#builder()}.
 *
 * <pre>{@code
 * try (Spindle rt = Spindle.builder().workers(4).build()) {
 *     JoinHandle<Integer> h = rt.spawn(cx -> Poll.ready(42));
 *     int answer = rt.blockOn(h);
 * }
 * }</pre>
 *
 * <p>Each setter checks its argument at once and throws at the call that made the mistake.
 */
public final class SpindleBuilder {
    /** Tasks a worker's inbox holds (wakes from other threads); more go to the injector. Not settable. */
    private static final int INBOX_CAPACITY = 1024;

    // The defaults, written here only (Scheduler.Config has none).
    private int workers = java.lang.Runtime.getRuntime().availableProcessors();
    private int localQueueCapacity = 4096;
    private String threadNamePrefix = "spindle-worker-";
    private boolean daemon;
    private Thread.UncaughtExceptionHandler uncaughtExceptionHandler;
    private Clock clock = Clock.system();
    private Duration stallThreshold = Duration.ofMillis(100);
    private Consumer<StallReport> onStall;
    private System.Logger stallLogger;
    private Runnable onThreadStart;
    private Runnable onThreadStop;
    private int maxBlockingThreads = 512;
    private int maxExtraWorkers = 256;
    private Duration blockingKeepAlive = Duration.ofSeconds(10);
    private Supplier<? extends Driver> driverFactory;
    private boolean jmx = true;

    SpindleBuilder() {
    }

    /**
     * The number of worker threads. Default: the number of available processors.
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > 32767}
     */
    public SpindleBuilder workers(int n) {
        if (n < 1 || n > 0x7FFF) {
            throw new IllegalArgumentException("workers must be between 1 and 32767, was " + n);
        }
        this.workers = n;
        return this;
    }

    /**
     * The capacity of each worker's local run queue, rounded up to a power of two. Tasks beyond
     * it overflow, half a queue at a time, to the shared injector. A worker's own spawns first go
     * on its spawn stack, which holds the smaller of this and 256. Default: 4096 (about 24 KiB
     * per worker: the queue and its overflow batch): a worker running a thousand tasks that wake
     * each other in turn keeps them all, rather than sending half through the shared injector
     * each time it fills.
     *
     * @throws IllegalArgumentException if {@code capacity < 2} or {@code capacity > 2^20}
     */
    public SpindleBuilder localQueueCapacity(int capacity) {
        if (capacity < 2 || capacity > (1 << 20)) {
            throw new IllegalArgumentException("localQueueCapacity must be between 2 and 2^20, was " + capacity);
        }
        this.localQueueCapacity = capacity;
        return this;
    }

    /** The worker threads' name prefix; the worker index is appended. Default {@code "spindle-worker-"}. */
    public SpindleBuilder threadNamePrefix(String prefix) {
        this.threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
        return this;
    }

    /**
     * Whether worker threads are daemon threads. Default: false, as with the JDK's executors, so
     * a runtime that is never closed keeps the JVM alive.
     */
    public SpindleBuilder daemon(boolean daemon) {
        this.daemon = daemon;
        return this;
    }

    /**
     * Receives exceptions thrown by tasks whose outcome nobody was waiting for when they failed:
     * tasks run by {@link Spindle#execute}, and spawned tasks whose handle had not been polled
     * or turned into a {@code CompletableFuture} yet. Default: a warning through
     * {@link System.Logger} named {@code dev.spindle}. The handler runs on the worker thread;
     * an exception it throws is ignored.
     */
    public SpindleBuilder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        this.uncaughtExceptionHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * How long a worker may stay in one poll of one task before the runtime reports a stall.
     * Default: 100 ms.
     *
     * @throws NullPointerException if threshold is null
     * @throws IllegalArgumentException if threshold is below 1 ms
     */
    public SpindleBuilder stallThreshold(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("stallThreshold must be at least 1 ms, was " + threshold);
        }
        this.stallThreshold = threshold;
        return this;
    }

    /**
     * Receives each stall: a worker stuck in one poll for longer than the
     * {@linkplain #stallThreshold stall threshold}, reported once per poll, on the runtime's
     * monitor thread, whether its thread was blocked (and compensated for) or running
     * ({@link StallReport#blocked()}). A poll that runs is reported as running only once it
     * has run for the threshold without the monitor seeing it blocked: one that waited most of
     * that time and runs again as the threshold passes is reported later, if it blocks again or
     * runs on for the threshold. A hook set here replaces the default; an exception it throws
     * is ignored.
     *
     * <p>Default: through {@link System.Logger} named {@code dev.spindle}. A blocked worker is
     * logged at {@code DEBUG} only: the runtime ran its queued work on another thread, which is
     * the drop-in contract working. A running poll (CPU-bound code) is a {@code WARNING} of one
     * line, rate-limited, naming how many stalls it left out; every stack goes to {@code DEBUG}.
     *
     * <p>Current behaviour: at most one warning per 10 s by the runtime's {@linkplain #clock clock}.
     *
     * @throws NullPointerException if hook is null
     */
    public SpindleBuilder onStall(Consumer<StallReport> hook) {
        this.onStall = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** Where the default stall handler logs; tests record it here. Default: {@code System.getLogger("dev.spindle")}. */
    SpindleBuilder stallLogger(System.Logger logger) {
        this.stallLogger = Objects.requireNonNull(logger, "logger");
        return this;
    }

    /**
     * The clock the runtime measures stalls with. Default: {@link Clock#system()}; tests pass a
     * {@link dev.spindle.time.ManualClock}.
     *
     * @throws NullPointerException if clock is null
     */
    public SpindleBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Runs on every thread the runtime starts to run tasks (workers, extra workers, blocking
     * threads) before its first task. An exception it throws is logged and ignored.
     *
     * @throws NullPointerException if hook is null
     */
    public SpindleBuilder onThreadStart(Runnable hook) {
        this.onThreadStart = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /**
     * Runs on every thread the runtime started, as the thread's last action. An exception it
     * throws is logged and ignored.
     *
     * @throws NullPointerException if hook is null
     */
    public SpindleBuilder onThreadStop(Runnable hook) {
        this.onThreadStop = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /**
     * The most threads that run {@link Spindle#spawnBlocking} work at once; more work waits in
     * line. Default: 512.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public SpindleBuilder maxBlockingThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxBlockingThreads must be at least 1, was " + n);
        }
        this.maxBlockingThreads = n;
        return this;
    }

    /**
     * The most extra workers alive at once: threads the runtime adds while workers are blocked
     * inside tasks ({@code future.get()}, a lock, {@link Tasks#blockInPlace}) with work queued
     * that no free worker can run. An extra with nothing left to do parks as a spare, and the next
     * blocking episode wakes it rather than starting a thread; parked spares count toward this
     * bound. When it is reached, no more are added: tasks blocked on work queued behind them then
     * wait until a thread frees up, and may wait for good (as a fixed pool would).
     * Default: 256 (as many spares as ForkJoinPool's common pool allows).
     *
     * <p>Current behaviour: the runtime notices a blocked worker within about a millisecond (its
     * monitor thread looks at the workers every millisecond while any is awake, every 50 µs
     * during a blocking episode); a spare not woken for 60 s exits.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public SpindleBuilder maxExtraWorkers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxExtraWorkers must be at least 1, was " + n);
        }
        this.maxExtraWorkers = n;
        return this;
    }

    /**
     * How long an idle blocking thread waits for more work before it exits. Default: 10 s.
     *
     * @throws NullPointerException if keepAlive is null
     * @throws IllegalArgumentException if keepAlive is negative
     */
    public SpindleBuilder blockingKeepAlive(Duration keepAlive) {
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (keepAlive.isNegative()) {
            throw new IllegalArgumentException("blockingKeepAlive must not be negative, was " + keepAlive);
        }
        this.blockingKeepAlive = keepAlive;
        return this;
    }

    /**
     * The event driver the runtime's idle workers wait in, made by {@code factory} when the
     * runtime is built: {@code scheduler-io}'s reactor ({@code Reactor::create}) gives the runtime
     * its sockets. Default: none (timers still work). Each built runtime gets its own driver.
     *
     * @throws NullPointerException if factory is null
     */
    public SpindleBuilder driver(Supplier<? extends Driver> factory) {
        this.driverFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /**
     * Whether the runtime registers a {@link dev.spindle.metrics.SpindleMXBean} in the platform
     * MBean server ({@code dev.spindle:type=Runtime,name=<name>}) from build until it terminates,
     * for JConsole and Mission Control. Default: true. The first runtime in a JVM that registers
     * one also starts the platform MBean server, if nothing else had.
     */
    public SpindleBuilder jmx(boolean register) {
        this.jmx = register;
        return this;
    }

    /** Starts the worker threads and returns the running runtime. */
    public Spindle build() {
        Scheduler.Config c = new Scheduler.Config();
        c.workers = workers;
        c.localQueueCapacity = localQueueCapacity;
        c.inboxCapacity = INBOX_CAPACITY;
        c.threadNamePrefix = threadNamePrefix;
        c.daemon = daemon;
        c.uncaughtExceptionHandler = uncaughtExceptionHandler;
        c.clock = clock;
        c.stallThresholdNanos = stallThreshold.toNanos();
        c.onStall = onStall;
        c.stallLogger = stallLogger != null ? stallLogger : System.getLogger("dev.spindle");
        c.onThreadStart = onThreadStart;
        c.onThreadStop = onThreadStop;
        c.maxBlockingThreads = maxBlockingThreads;
        c.maxExtraWorkers = maxExtraWorkers;
        c.blockingKeepAliveNanos = blockingKeepAlive.toNanos();
        c.driverFactory = driverFactory;
        c.jmx = jmx;
        return new Spindle(c);
    }
}
