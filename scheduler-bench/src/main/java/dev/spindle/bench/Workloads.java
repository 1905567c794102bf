package dev.spindle.bench;

import dev.spindle.bench.baseline.Peers;
import org.openjdk.jmh.annotations.Param;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler workloads by their names in BENCHMARKS.md, and the executors each one runs on,
 * as read from the benchmark classes themselves.
 */
public final class Workloads {
    private static final Map<String, Class<? extends BenchmarkBase>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("spawn_many_local", SpawnManyLocal.class);
        BY_NAME.put("spawn_many_remote", SpawnManyRemote.class);
        BY_NAME.put("spawn_many_remote_busy", SpawnManyRemoteBusy.class);
        BY_NAME.put("ping_pong", PingPong.class);
        BY_NAME.put("yield_many", YieldMany.class);
        BY_NAME.put("chained_spawn", ChainedSpawn.class);
        BY_NAME.put("fork_join_tree", ForkJoinTree.class);
        BY_NAME.put("cf_chain", CfChain.class);
        BY_NAME.put("remote_contention", RemoteContention.class);
        BY_NAME.put("cf_blocking", CfBlocking.class);
    }

    /** Every executor name, Spindle's two faces first, then the peers, the serial floor last. */
    public static final List<String> EXECUTORS;

    static {
        List<String> all = new ArrayList<>();
        all.add(BenchmarkBase.SPINDLE);
        all.add(BenchmarkBase.SPINDLE_EXEC);
        all.addAll(Peers.ALL);
        EXECUTORS = Collections.unmodifiableList(all);
    }

    private Workloads() {
    }

    /** Every workload name, in BENCHMARKS.md's order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * The benchmark class of the workload called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such workload
     */
    public static Class<? extends BenchmarkBase> benchmarkClass(String name) {
        Class<? extends BenchmarkBase> c = BY_NAME.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown workload: " + name + "; known: " + names());
        }
        return c;
    }

    /**
     * The executors JMH runs {@code workload} on: the values of the nearest {@code executor}
     * field with a {@code @Param}, the subclass's first, as JMH's generator picks them.
     */
    public static List<String> executors(String workload) {
        return executorsOf(benchmarkClass(workload));
    }

    /** As {@link #executors(String)}, for any benchmark class (the building blocks' too). */
    public static List<String> executorsOf(Class<?> benchmark) {
        for (Class<?> c = benchmark; c != null; c = c.getSuperclass()) {
            try {
                Param p = c.getDeclaredField("executor").getAnnotation(Param.class);
                if (p != null) {
                    return List.of(p.value());
                }
            } catch (NoSuchFieldException e) {
                // not declared here: look further up
            }
        }
        throw new IllegalStateException(benchmark + " has no @Param executor field");
    }
}
