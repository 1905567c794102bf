package dev.spindle.bench.baseline;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;

/**
 * The JDK executors Spindle is measured against. They only offer {@code Executor}: the
 * workloads spawn with {@code execute}, yield by resubmitting the same runnable, and bounce a
 * ping-pong by resubmission.
 */
public final class Peers {
    /** {@code new ForkJoinPool(n)}: the JDK's work-stealing pool in its default LIFO mode. */
    public static final String FJP = "fjp";
    /** {@code Executors.newFixedThreadPool(n)}: one shared blocking queue, no stealing. */
    public static final String TPE = "tpe";

    private Peers() {
    }

    /** True if {@code name} is a peer this class can start. */
    public static boolean isPeer(String name) {
        return FJP.equals(name) || TPE.equals(name);
    }

    /**
     * Starts the peer called {@code name} with {@code workers} threads.
     *
     * @throws IllegalArgumentException if there is no such peer
     */
    public static ExecutorService start(String name, int workers) {
        if (FJP.equals(name)) {
            return new ForkJoinPool(workers);
        }
        if (TPE.equals(name)) {
            return Executors.newFixedThreadPool(workers, daemonThreads());
        }
        throw new IllegalArgumentException("unknown peer executor: " + name);
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
}
