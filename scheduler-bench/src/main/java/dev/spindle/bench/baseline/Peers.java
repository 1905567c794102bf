package dev.spindle.bench.baseline;

import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.ExecutorsKt;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The executors Spindle is measured against, and the serial floor. They only offer
 * {@code Executor}: the workloads spawn with {@code execute}, yield by resubmitting the same
 * runnable, and bounce a ping-pong by resubmission.
 *
 * <p>{@value #VTHREADS} and {@value #KOTLIN} size themselves (one carrier or worker per
 * available processor); the {@code workers} argument is the benchmark's default for them only
 * when it is 0, one per processor, as in the quick and full runs.
 */
public final class Peers {
    /** {@code new ForkJoinPool(n)}: the JDK's work-stealing pool in its default LIFO mode. */
    public static final String FJP = "fjp";
    /** {@code ForkJoinPool} with asyncMode = true: FIFO local queues, what virtual threads run on. */
    public static final String FJP_ASYNC = "fjp-async";
    /** {@code Executors.newFixedThreadPool(n)}: one shared blocking queue, no stealing. */
    public static final String TPE = "tpe";
    /** {@code Executors.newVirtualThreadPerTaskExecutor()}: one virtual thread per task (JDK 21+). */
    public static final String VTHREADS = "vthreads";
    /** kotlinx.coroutines' {@code Dispatchers.Default} as an {@code Executor}. */
    public static final String KOTLIN = "kotlin";
    /** The floor: the same work on the benchmark thread, an {@code ArrayDeque}, no synchronisation. */
    public static final String SERIAL = "serial";

    /** Every name {@link #start} knows, in the order reports show them. */
    public static final List<String> ALL = List.of(FJP, FJP_ASYNC, TPE, VTHREADS, KOTLIN, SERIAL);

    private Peers() {
    }

    /** True if {@code name} is a peer this class can start (on some JVM). */
    public static boolean isPeer(String name) {
        return ALL.contains(name);
    }

    /**
     * Why the peer called {@code name} cannot run on this JVM, or null if it can: only
     * {@value #VTHREADS} has a reason, on JDK 17 to 20.
     */
    public static String unavailableReason(String name) {
        if (VTHREADS.equals(name) && virtualThreadFactoryMethod() == null) {
            return VTHREADS + " needs JDK 21 or newer; this JVM is " + System.getProperty("java.specification.version");
        }
        return null;
    }

    /**
     * Starts the peer called {@code name} with {@code workers} threads.
     *
     * @throws IllegalArgumentException if there is no such peer
     * @throws UnsupportedOperationException if the peer cannot run on this JVM
     *         ({@link #unavailableReason} says why)
     */
    public static ExecutorService start(String name, int workers) {
        switch (name) {
            case FJP:
                return new ForkJoinPool(workers);
            case FJP_ASYNC:
                return new ForkJoinPool(workers, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
            case TPE:
                return Executors.newFixedThreadPool(workers, daemonThreads());
            case VTHREADS:
                return virtualThreadPerTask();
            case KOTLIN:
                return new SharedExecutor(ExecutorsKt.asExecutor(Dispatchers.getDefault()));
            case SERIAL:
                return new SerialExecutor();
            default:
                throw new IllegalArgumentException("unknown peer executor: " + name + "; known: " + ALL);
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor}, looked up so this module builds for 17. */
    private static Method virtualThreadFactoryMethod() {
        try {
            return Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static ExecutorService virtualThreadPerTask() {
        Method m = virtualThreadFactoryMethod();
        if (m == null) {
            throw new UnsupportedOperationException(unavailableReason(VTHREADS));
        }
        try {
            return (ExecutorService) m.invoke(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The default thread factory's threads made daemon, as ForkJoinPool's and the benchmark
     * runtime's are, so a failed trial cannot keep the forked JVM alive.
     */
    private static ThreadFactory daemonThreads() {
        ThreadFactory defaults = Executors.defaultThreadFactory();
        return r -> {
            Thread t = defaults.newThread(r);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A process-wide executor (Kotlin's default dispatcher) behind the {@code ExecutorService}
     * life cycle the benchmarks expect: shutting it down only stops this view from taking work;
     * the shared pool lives on. Every operation has waited for its tasks before teardown, so
     * nothing is left to await.
     */
    private static final class SharedExecutor extends AbstractExecutorService {
        private final Executor shared;
        private volatile boolean shutdown;

        SharedExecutor(Executor shared) {
            this.shared = shared;
        }

        @Override
        public void execute(Runnable command) {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            shared.execute(command);
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
