package dev.spindle.bench.model;

import dev.spindle.Spindle;

import java.util.concurrent.ForkJoinPool;

/** The two pools the join models compare, built alike: one worker per processor each. */
final class Pools {
    private Pools() {
    }

    private static int processors() {
        return java.lang.Runtime.getRuntime().availableProcessors();
    }

    /**
     * A Spindle runtime of daemon workers that reports no stalls: a descheduled worker on a
     * loaded 2-core machine is noise here.
     */
    static Spindle spindle() {
        return Spindle.builder().workers(processors()).daemon(true).onStall(r -> { }).build();
    }

    static ForkJoinPool forkJoin() {
        return new ForkJoinPool(processors());
    }

    /** Closes whichever of the two a trial started (the other is null). */
    static void close(Spindle rt, ForkJoinPool fjp) {
        if (rt != null) {
            rt.close();
        }
        if (fjp != null) {
            fjp.shutdown();
        }
    }
}
