package dev.spindle.bench;

import dev.spindle.bench.baseline.Peers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs each workload body a few times on each executor, outside JMH: every operation must
 * finish, the rearmed objects must work again, and the executor must stop cleanly. Speed is
 * not looked at here.
 */
class WorkloadsTest {
    /** The one timeout every wait here derives from; raise it on a slow machine. */
    private static final long TIMEOUT_SECONDS = Long.getLong("spindle.bench.testTimeoutSeconds", 5);
    private static final int OPERATIONS = 3;

    private static final Map<String, Supplier<BenchmarkBase>> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("spawn_many_local", SpawnManyLocal::new);
        WORKLOADS.put("spawn_many_remote", SpawnManyRemote::new);
        WORKLOADS.put("yield_many", YieldMany::new);
        WORKLOADS.put("ping_pong", PingPong::new);
        WORKLOADS.put("chained_spawn", ChainedSpawn::new);
    }

    static Stream<Arguments> cases() {
        String[] executors = {BenchmarkBase.SPINDLE, BenchmarkBase.SPINDLE_EXEC, Peers.FJP};
        return WORKLOADS.keySet().stream()
                .flatMap(w -> Stream.of(executors).map(e -> Arguments.of(w, e)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void everyOperationCompletes(String workload, String executor) throws Exception {
        BenchmarkBase b = WORKLOADS.get(workload).get();
        b.executor = executor;
        b.workers = 2;
        b.opTimeoutNanos = TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        b.startExecutor();
        try {
            for (int i = 0; i < OPERATIONS; i++) {
                b.run();
            }
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
