package dev.spindle.bench;

import dev.spindle.bench.baseline.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Param;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs each workload body a few times on each executor JMH would run it on, crossed with every
 * value of the workload's other parameters, outside JMH (on a JVM without virtual threads,
 * {@code vthreads} must refuse to start with its reason): every operation must finish, the
 * rearmed objects must work again, the workload's result must be right, and the executor must
 * stop cleanly. Workloads with a size knob run smaller here ({@link #shrink}); the others at
 * full size. Speed is not looked at here.
 */
class WorkloadsTest {
    /** The one timeout every wait here derives from; raise it on a slow machine. */
    private static final long TIMEOUT_SECONDS = Long.getLong("spindle.bench.testTimeoutSeconds", 5);
    private static final int OPERATIONS = 3;

    /** The scheduler workloads (the runner's), then the building blocks' benchmarks. */
    private static final Map<String, Class<? extends BenchmarkBase>> ALL = new LinkedHashMap<>();

    static {
        for (String w : Workloads.names()) {
            ALL.put(w, Workloads.benchmarkClass(w));
        }
        ALL.put("oneshot_ping_pong", OneshotPingPong.class);
        ALL.put("channel_throughput", ChannelThroughput.class);
        ALL.put("timer_churn", TimerChurn.class);
    }

    /** Cuts a workload with a size knob down to a smoke-test size; the others run at full size. */
    private static void shrink(BenchmarkBase b) {
        if (b instanceof ChannelThroughput) {
            ((ChannelThroughput) b).messages = 10_000; // still ten times the bounded capacity
        } else if (b instanceof TimerChurn) {
            ((TimerChurn) b).rounds = 3;
        }
    }

    /** Every workload on every executor, crossed with every value of its other parameters. */
    static Stream<Arguments> cases() {
        return ALL.entrySet().stream().flatMap(w -> Workloads.executorsOf(w.getValue()).stream()
                .flatMap(e -> otherParams(w.getValue()).stream().map(p -> Arguments.of(w.getKey(), e, p))));
    }

    /**
     * Every combination of the values of {@code workload}'s own {@code @Param} fields other than
     * {@code executor} and {@code workers}: one map (field name to value) per combination, a
     * single empty map if it has none.
     */
    static List<Map<String, String>> otherParams(Class<?> workload) {
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new TreeMap<>());
        for (Field f : workload.getDeclaredFields()) {
            Param p = f.getAnnotation(Param.class);
            if (p == null || f.getName().equals("executor") || f.getName().equals("workers")) {
                continue;
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : p.value()) {
                    Map<String, String> m = new TreeMap<>(c);
                    m.put(f.getName(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        return combos;
    }

    /** Sets {@code b}'s parameter fields as JMH would, from their string values. */
    private static void setParams(BenchmarkBase b, Map<String, String> params) throws ReflectiveOperationException {
        for (Map.Entry<String, String> e : params.entrySet()) {
            Field f = b.getClass().getDeclaredField(e.getKey());
            if (f.getType() == int.class) {
                f.setInt(b, Integer.parseInt(e.getValue()));
            } else if (f.getType() == String.class) {
                f.set(b, e.getValue());
            } else {
                throw new IllegalArgumentException("no test support for a @Param of " + f.getType());
            }
        }
    }

    @Test
    void everyWorkloadRunsOnEveryExecutorItCan() {
        for (String w : Workloads.names()) {
            List<String> expected = w.equals("cf_chain")
                    ? Workloads.EXECUTORS.subList(1, Workloads.EXECUTORS.size()) // no native case
                    : w.equals("cf_blocking")
                    ? Workloads.EXECUTORS.subList(1, Workloads.EXECUTORS.size() - 1) // nor a serial floor
                    : Workloads.EXECUTORS;
            assertEquals(expected, Workloads.executors(w), w);
        }
    }

    @Test
    void theBuildingBlocksHaveTheirOwnPeers() {
        assertEquals(List.of(BenchmarkBase.SPINDLE, BenchmarkBase.SPINDLE_EXEC, "fjp", "tpe"),
                Workloads.executorsOf(OneshotPingPong.class));
        assertEquals(List.of(BenchmarkBase.SPINDLE, "fjp"), Workloads.executorsOf(ChannelThroughput.class));
        assertEquals(List.of(BenchmarkBase.SPINDLE, TimerChurn.STPE_REMOVE, TimerChurn.STPE_KEEP),
                Workloads.executorsOf(TimerChurn.class));
        assertEquals(2, otherParams(ChannelThroughput.class).size()); // two channel kinds, one producer count
        assertEquals(List.of(Map.of()), otherParams(TimerChurn.class));
    }

    @ParameterizedTest(name = "{0} on {1} {2}")
    @MethodSource("cases")
    void everyOperationCompletes(String workload, String executor, Map<String, String> params) throws Exception {
        BenchmarkBase b = ALL.get(workload).getDeclaredConstructor().newInstance();
        b.executor = executor;
        String unavailable = Peers.unavailableReason(executor);
        if (unavailable != null) {
            // Not skipped (a skip is a build warning): an executor this JVM lacks must say so at setup.
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, b::startExecutor);
            assertEquals(unavailable, e.getMessage());
            return;
        }
        setParams(b, params);
        shrink(b);
        b.workers = 2;
        b.opTimeoutNanos = TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        b.startExecutor();
        try {
            if (b instanceof CfBlocking && (executor.equals(Peers.TPE) || executor.equals(Peers.KOTLIN))) {
                // Neither adds threads for blocked ones: when all of theirs wait on futures queued
                // behind them, the bounded wait must say so rather than hang.
                for (int i = 0; i < OPERATIONS; i++) {
                    try {
                        b.run();
                    } catch (IllegalStateException e) {
                        assertTrue(e.getMessage().startsWith(CfBlocking.DEADLOCKED), e.getMessage());
                        return;
                    }
                }
                return;
            }
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
