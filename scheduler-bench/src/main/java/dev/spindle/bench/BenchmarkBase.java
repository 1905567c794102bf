package dev.spindle.bench;

import dev.spindle.Spindle;
import dev.spindle.bench.baseline.Peers;
import dev.spindle.bench.baseline.SerialExecutor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every scheduler benchmark shares: the run shape (forks, many short iterations, time per
 * operation), the executor under test, and its life cycle (started once per trial, stopped at
 * teardown). A workload subclass implements {@link #run()} twice over: as native Spindle tasks
 * ({@link #nativeTasks}), and as plain runnables on {@link #pool} for every other case.
 *
 * <p>Every workload runs on every executor unless it redeclares {@code executor}: both Spindle
 * faces, each peer in {@link Peers}, and the serial floor, whose tasks the benchmark thread
 * runs itself in {@link #awaitDone()}.
 *
 * <p>The JMH settings come from {@link JmhSettings}. The heap is fixed so that GC sizing does
 * not drift between forks; no other JVM flag is
 * needed (on JDK 23 and newer the comparative runner also allows JMH's own use of
 * {@code sun.misc.Unsafe}, only to keep the forked JVMs quiet).
 */
public abstract class BenchmarkBase extends JmhSettings {

    /** Native {@code PollFuture} tasks spawned on a Spindle runtime, woken through wakers. */
    public static final String SPINDLE = "spindle";
    /** A Spindle runtime used through its {@code ExecutorService} face only. */
    public static final String SPINDLE_EXEC = "spindle-exec";

    /**
     * Which executor runs the workload: {@value #SPINDLE}, {@value #SPINDLE_EXEC}, or a peer name.
     * A workload with another set of executors redeclares this field with its own
     * {@code @Param}: JMH takes the values of the field in the subclass and sets every field of
     * the name to them (JMH's own {@code OverridingParamsTest}), so this one stays the one to read.
     */
    @Param({SPINDLE, SPINDLE_EXEC, Peers.FJP, Peers.FJP_ASYNC, Peers.TPE, Peers.VTHREADS, Peers.KOTLIN, Peers.SERIAL})
    public String executor;

    /** Worker threads for every executor alike; 0 means one per available processor. */
    @Param({"0"})
    public int workers;

    /** How long one operation may take before it fails instead of hanging the run. */
    long opTimeoutNanos = TimeUnit.SECONDS.toNanos(60);

    /** {@link #workers} resolved: the worker threads asked of every executor this trial. */
    protected int threads;
    /** The Spindle runtime, for both Spindle cases; null for peers. */
    protected Spindle runtime;
    /** Where runnable workloads submit: the runtime itself for {@value #SPINDLE_EXEC}, or the peer. */
    protected ExecutorService pool;
    /** The serial floor when {@link #executor} is {@value Peers#SERIAL}, else null; drained by the benchmark thread. */
    protected SerialExecutor serial;
    /** Stall reports from the Spindle runtime this trial; told once at teardown. */
    private final AtomicInteger stalls = new AtomicInteger();
    /** Process CPU time and wall time at the start of this measurement iteration; 0 in a warm-up. */
    private long iterationCpuStart, iterationWallStart;
    /** Process CPU time and wall time summed over this trial's measurement iterations. */
    private long measuredCpu, measuredWall;
    /** True when the workload runs as native Spindle tasks rather than runnables. */
    protected boolean nativeTasks;
    /** Counted down by the workload's tasks; awaited by the benchmark thread. */
    protected final Countdown done = new Countdown();

    @Setup(Level.Trial)
    public final void startExecutor() {
        int n = workers > 0 ? workers : java.lang.Runtime.getRuntime().availableProcessors();
        threads = n;
        if (SPINDLE.equals(executor) || SPINDLE_EXEC.equals(executor)) {
            // Daemon workers, like the peers', so a failed trial cannot keep the forked JVM alive.
            // Stalls are counted, not logged: on a loaded 2-core machine a descheduled worker
            // trips the 100 ms threshold, and a log line per stall would clutter JMH's output.
            stalls.set(0);
            runtime = Spindle.builder().workers(n).daemon(true).onStall(r -> stalls.incrementAndGet()).build();
            pool = runtime;
            nativeTasks = SPINDLE.equals(executor);
        } else {
            pool = startPeer(executor, n);
            serial = pool instanceof SerialExecutor ? (SerialExecutor) pool : null;
        }
        prepare();
    }

    /**
     * Starts the CPU clock of a measurement iteration: the time per operation does not show what
     * an executor burns to get it (spinning, a watcher thread), and on 2 cores that is paid for.
     */
    @Setup(Level.Iteration)
    public final void startIteration(IterationParams params) {
        iterationWallStart = params.getType() == IterationType.MEASUREMENT ? System.nanoTime() : 0;
        iterationCpuStart = processCpuNanos();
    }

    @TearDown(Level.Iteration)
    public final void endIteration() {
        if (iterationWallStart != 0) {
            measuredCpu += processCpuNanos() - iterationCpuStart;
            measuredWall += System.nanoTime() - iterationWallStart;
        }
    }

    /** The workload's class name, without the suffix of the subclass JMH generates. */
    private String workloadName() {
        String n = getClass().getSimpleName();
        int generated = n.indexOf("_jmh");
        return generated > 0 ? n.substring(0, generated) : n;
    }

    private static final java.lang.management.OperatingSystemMXBean OS =
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** CPU time of the whole benchmark JVM (every thread, JMH's own and the JIT's too), or 0 if unknown. */
    private static long processCpuNanos() {
        return OS instanceof com.sun.management.OperatingSystemMXBean
                ? Math.max(0, ((com.sun.management.OperatingSystemMXBean) OS).getProcessCpuTime()) : 0;
    }

    @TearDown(Level.Trial)
    public final void stopExecutor() throws InterruptedException {
        if (measuredWall > 0 && measuredCpu > 0) {
            // Told once per trial, like the stall count: the cores this executor kept busy.
            System.err.printf("# %s on %s: %.2f of %d cores busy on average while measured"
                    + " (process CPU time over wall time)%n", workloadName(), executor,
                    measuredCpu / (double) measuredWall, java.lang.Runtime.getRuntime().availableProcessors());
        }
        measuredCpu = 0;
        measuredWall = 0;
        release();
        ExecutorService e = pool;
        pool = null;
        runtime = null;
        serial = null;
        e.shutdown();
        if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
            e.shutdownNow();
            throw new IllegalStateException(executor + " had tasks left 10 s after the last operation");
        }
        if (e instanceof Spindle) {
            ((Spindle) e).close(); // terminated already: this only joins the worker threads
            int n = stalls.get();
            if (n > 0) {
                System.err.println("# spindle reported " + n + " stalls (a worker over 100 ms in one poll) in this trial");
            }
        }
    }

    /**
     * Starts the peer executor called {@code name}; a workload whose peers are not in
     * {@link Peers} (a timer service, say) overrides this for its own names.
     */
    protected ExecutorService startPeer(String name, int workers) {
        return Peers.start(name, workers);
    }

    /** Allocates the workload's reusable objects once per trial; the executor is running. */
    protected void prepare() {
    }

    /** Stops whatever {@link #prepare()} started besides the executor (outside threads); joins them. */
    protected void release() throws InterruptedException {
    }

    /** One operation of the workload: submits it and waits until all its tasks are done. */
    public abstract void run() throws Exception;

    /**
     * For tests, after {@code operations} operations have returned: throws if the workload's own
     * record of what ran is wrong. Workloads that check their result in {@link #run()} have
     * nothing to add.
     */
    void checkResult(int operations) {
    }

    /**
     * Waits for the operation's count-downs, failing after {@link #opTimeoutNanos}. On the serial
     * floor the benchmark thread first runs everything the operation queued.
     */
    protected final void awaitDone() throws TimeoutException, InterruptedException {
        drainSerial();
        done.await(opTimeoutNanos);
    }

    /** On the serial floor, runs the operation's queued tasks on this thread; elsewhere nothing. */
    protected final void drainSerial() {
        if (serial != null) {
            serial.drain();
        }
    }
}
