package dev.spindle.bench;

import dev.spindle.bench.baseline.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Runs each workload body a few times on each executor JMH would run it on, outside JMH
 * (on a JVM without virtual threads, {@code vthreads} must refuse to start with its reason): every
 * operation must finish, the rearmed objects must work again, the workload's result must be
 * right, and the executor must stop cleanly. Speed is not looked at here.
 */
class WorkloadsTest {
    /** The one timeout every wait here derives from; raise it on a slow machine. */
    private static final long TIMEOUT_SECONDS = Long.getLong("spindle.bench.testTimeoutSeconds", 5);
    private static final int OPERATIONS = 3;

    static Stream<Arguments> cases() {
        return Workloads.names().stream()
                .flatMap(w -> Workloads.executors(w).stream().map(e -> Arguments.of(w, e)));
    }

    @Test
    void everyWorkloadRunsOnEveryExecutorItCan() {
        for (String w : Workloads.names()) {
            List<String> expected = w.equals("cf_chain")
                    ? Workloads.EXECUTORS.subList(1, Workloads.EXECUTORS.size()) // no native case
                    : Workloads.EXECUTORS;
            assertEquals(expected, Workloads.executors(w), w);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void everyOperationCompletes(String workload, String executor) throws Exception {
        String unavailable = Peers.unavailableReason(executor);
        if (unavailable != null) {
            // Not skipped (a skip is a build warning): an executor this JVM lacks must say so at setup.
            BenchmarkBase b = Workloads.benchmarkClass(workload).getDeclaredConstructor().newInstance();
            b.executor = executor;
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, b::startExecutor);
            assertEquals(unavailable, e.getMessage());
            return;
        }
        BenchmarkBase b = Workloads.benchmarkClass(workload).getDeclaredConstructor().newInstance();
        b.executor = executor;
        if (b instanceof RemoteContention) {
            ((RemoteContention) b).producers = 2;
        }
        b.workers = 2;
        b.opTimeoutNanos = TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        b.startExecutor();
        try {
            for (int i = 0; i < OPERATIONS; i++) {
                b.run();
            }
            b.checkResult(OPERATIONS);
        } catch (TimeoutException e) {
            dumpThreads();
            throw e;
        } finally {
            b.stopExecutor(); // throws if tasks were left behind; joins Spindle's workers
        }
    }

    private static void dumpThreads() {
        StringBuilder out = new StringBuilder("Threads at the timeout:\n");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            out.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement f : stack) {
                out.append("    at ").append(f).append('\n');
            }
        });
        System.err.print(out);
    }
}
