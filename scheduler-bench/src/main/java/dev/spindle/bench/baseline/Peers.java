package dev.spindle.bench.baseline;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;

/**
 * The JDK executors Spindle is measured against. They only offer {@code Executor}: the
 * workloads spawn with {@code execute}, yield by resubmitting the same runnable, and bounce a
 * ping-pong by resubmission.
 */
public final class Peers {
    /** {@code new ForkJoinPool(n)}: the JDK's work-stealing pool in its default LIFO mode. */
    public static final String FJP = "fjp";

    private Peers() {
    }

    /** True if {@code name} is a peer this class can start. */
    public static boolean isPeer(String name) {
        return FJP.equals(name);
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
        throw new IllegalArgumentException("unknown peer executor: " + name);
    }
}
