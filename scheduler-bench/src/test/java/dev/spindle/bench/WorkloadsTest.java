package dev.spindle.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Param;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs each workload body a few times on each executor JMH would run it on, outside JMH: every
 * operation must finish, the rearmed objects must work again, the workload's result must be
 * right, and the executor must stop cleanly. Speed is not looked at here.
 */
class WorkloadsTest {
    /** The one timeout every wait here derives from; raise it on a slow machine. */
    private static final long TIMEOUT_SECONDS = Long.getLong("spindle.bench.testTimeoutSeconds", 5);
    private static final int OPERATIONS = 3;

    private static final Map<String, Class<? extends BenchmarkBase>> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("spawn_many_local", SpawnManyLocal.class);
        WORKLOADS.put("spawn_many_remote", SpawnManyRemote.class);
        WORKLOADS.put("yield_many", YieldMany.class);
        WORKLOADS.put("ping_pong", PingPong.class);
        WORKLOADS.put("chained_spawn", ChainedSpawn.class);
        WORKLOADS.put("fork_join_tree", ForkJoinTree.class);
        WORKLOADS.put("cf_chain", CfChain.class);
        WORKLOADS.put("oneshot_ping_pong", OneshotPingPong.class);
    }

    static Stream<Arguments> cases() {
        return WORKLOADS.entrySet().stream()
                .flatMap(w -> executors(w.getValue()).stream().map(e -> Arguments.of(w.getKey(), e)));
    }

    /**
     * The executors JMH runs {@code workload} on: the values of the nearest {@code executor}
     * field with a {@code @Param}, the subclass's first, as JMH's generator picks them.
     */
    static List<String> executors(Class<?> workload) {
        for (Class<?> c = workload; c != null; c = c.getSuperclass()) {
            try {
                Param p = c.getDeclaredField("executor").getAnnotation(Param.class);
                if (p != null) {
                    return List.of(p.value());
                }
            } catch (NoSuchFieldException e) {
                // not declared here: look further up
            }
        }
        throw new IllegalArgumentException(workload + " has no @Param executor field");
    }

    @Test
    void eachWorkloadHasItsOwnExecutors() {
        List<String> shared = List.of(BenchmarkBase.SPINDLE, BenchmarkBase.SPINDLE_EXEC, "fjp");
        assertEquals(shared, executors(SpawnManyLocal.class));
        assertEquals(shared, executors(ChainedSpawn.class));
        assertEquals(List.of(BenchmarkBase.SPINDLE_EXEC, "fjp", "tpe"), executors(CfChain.class));
        assertEquals(List.of(BenchmarkBase.SPINDLE, BenchmarkBase.SPINDLE_EXEC, "fjp", "tpe"),
                executors(ForkJoinTree.class));
        assertEquals(List.of(BenchmarkBase.SPINDLE, BenchmarkBase.SPINDLE_EXEC, "fjp", "tpe"),
                executors(OneshotPingPong.class));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void everyOperationCompletes(String workload, String executor) throws Exception {
        BenchmarkBase b = WORKLOADS.get(workload).getDeclaredConstructor().newInstance();
        b.executor = executor;
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
