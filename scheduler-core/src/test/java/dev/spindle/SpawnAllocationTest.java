package dev.spindle;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a spawn costs in memory, counted by the JVM's per-thread allocation counter (exact, and
 * not a speed): a native spawn on a worker allocates its task cell and nothing else, 24 bytes
 * with the default 4-byte references, which is ForkJoinPool's task on JDK 17 (32 on JDK 25); a
 * handle polled before its task finished adds one 24-byte record; and a runnable handed to
 * {@code execute} allocates nothing.
 */
class SpawnAllocationTest extends RuntimeTestBase {
    /** Fewer than the spawn stack holds, so that no spawn spills to a queue that might grow. */
    private static final int SPAWNS = 200;
    /** Room for what the measuring itself allocates beyond its calibration. */
    private static final long SLACK = 128;

    /**
     * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes} on the platform's
     * bean, as a method handle (this module does not read {@code jdk.management}): called with
     * {@code invokeExact}, it boxes nothing.
     */
    private static MethodHandle allocatedBytes() throws Exception {
        Object bean = ManagementFactory.getThreadMXBean();
        Class<?> c;
        try {
            c = Class.forName("com.sun.management.ThreadMXBean");
        } catch (ClassNotFoundException e) {
            c = null;
        }
        assumeTrue(c != null && c.isInstance(bean), "no per-thread allocation counter");
        MethodHandle m = MethodHandles.publicLookup()
                .findVirtual(c, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                .bindTo(bean);
        try {
            assumeTrue((long) m.invokeExact() >= 0, "per-thread allocation counting is off");
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
        return m;
    }

    /**
     * Bytes a worker allocated for {@code spawns}, measured inside a task, less what the measuring
     * allocates (the same measure around nothing, taken right before). Measured once only to load
     * and link what the spawns and the measure use (which allocates too), then three times, the
     * least counting: what the spawns allocate is the same each time, while the JVM itself now
     * and then allocates on the same thread in between (likely a compiled frame that deoptimizes
     * and materializes the objects it had kept in registers), which only ever adds.
     */
    private long allocatedBy(Spindle rt, Runnable spawns) throws Exception {
        MethodHandle counter = allocatedBytes();
        measureOnce(rt, counter, spawns);
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            least = Math.min(least, measureOnce(rt, counter, spawns));
        }
        return least;
    }

    private long measureOnce(Spindle rt, MethodHandle counter, Runnable spawns) throws Exception {
        long[] bytes = new long[1];
        Throwable[] failed = new Throwable[1];
        rt.blockOn(rt.spawn(cx -> {
            try {
                long a = (long) counter.invokeExact();
                long overhead = (long) counter.invokeExact() - a;
                long before = (long) counter.invokeExact();
                spawns.run();
                bytes[0] = (long) counter.invokeExact() - before - overhead;
            } catch (Throwable e) {
                failed[0] = e;
            }
            return Poll.ready(null);
        }));
        if (failed[0] != null) {
            throw new AssertionError(failed[0]);
        }
        return bytes[0];
    }

    /** The sizes below are those with 4-byte references, the default for heaps under 32 GB. */
    private static void assumeFourByteReferences() {
        assumeTrue(!ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:-UseCompressedOops"),
                "cells are larger with 8-byte references");
    }

    @Test
    void aNativeSpawnOnAWorkerAllocatesOnlyItsTwentyFourByteCell() throws Exception {
        assumeFourByteReferences();
        Spindle rt = manage(quiet().workers(1).build());
        PollFuture<Void> child = cx -> Poll.ready(null);
        long bytes = allocatedBy(rt, () -> {
            for (int i = 0; i < SPAWNS; i++) {
                Tasks.spawn(child);
            }
        });
        assertTrue(bytes <= SPAWNS * 24L + SLACK,
                bytes + " bytes for " + SPAWNS + " native spawns: more than a 24-byte cell each");
        assertTrue(bytes >= SPAWNS * 16L, bytes + " bytes: the counter missed the cells");
    }

    @Test
    void aHandlePolledBeforeItsTaskFinishedAddsOneTwentyFourByteRecord() throws Exception {
        assumeFourByteReferences();
        Spindle rt = manage(quiet().workers(1).build());
        PollFuture<Void> child = cx -> Poll.ready(null);
        Waker joiner = () -> { };
        Context cx = Context.of(joiner, Integer.MAX_VALUE);
        long bytes = allocatedBy(rt, () -> {
            for (int i = 0; i < SPAWNS; i++) {
                // The one worker runs this loop, so no child has run when its handle is polled.
                if (!Tasks.spawn(child).poll(cx).isPending()) {
                    throw new AssertionError("a child finished before its spawner's poll ended");
                }
            }
        });
        assertTrue(bytes <= SPAWNS * 48L + SLACK,
                bytes + " bytes for " + SPAWNS + " joined native spawns: more than a cell and a record each");
        assertTrue(bytes >= SPAWNS * 40L, bytes + " bytes: the counter missed the records");
    }

    @Test
    void aRunnableGivenToExecuteOnAWorkerAllocatesNothing() throws Exception {
        Spindle rt = manage(quiet().workers(1).build());
        Runnable child = () -> { };
        long bytes = allocatedBy(rt, () -> {
            for (int i = 0; i < SPAWNS; i++) {
                rt.execute(child);
            }
        });
        assertTrue(bytes <= SLACK, bytes + " bytes for " + SPAWNS + " runnables given to execute");
    }
}
