package dev.spindle;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The runtime works in a JVM whose boot layer has no {@code jdk.jfr} (as in an image made by
 * jlink without it): a child JVM limited to java.base, java.management and jdk.unsupported (for
 * Agrona) steals, stalls, parks, dumps its tasks and closes, with no error and no warning.
 */
class WithoutJfrTest {

    @Test
    void theRuntimeRunsWithoutJdkJfr() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--limit-modules", "java.base,java.management,jdk.unsupported",
                "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = readAll(p);
        assertTrue(p.waitFor(TestSupport.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "child hung:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("jdk.jfr absent, ran fine"), out);
        assertFalse(out.contains("WARNING"), out);
        assertFalse(out.contains("Exception"), out);
    }

    private static String readAll(Process p) throws IOException {
        byte[] b = p.getInputStream().readAllBytes(); // ends when the child exits
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The child JVM's program. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            if (ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
                throw new AssertionError("jdk.jfr is in the boot layer: the test proves nothing");
            }
            AtomicInteger stalls = new AtomicInteger();
            try (Spindle rt = Spindle.builder().workers(2).stallThreshold(Duration.ofMillis(5))
                    .onStall(r -> stalls.incrementAndGet()).build()) {
                CountDownLatch children = new CountDownLatch(200);
                CountDownLatch stalled = new CountDownLatch(1);
                rt.execute(() -> {
                    for (int i = 0; i < 200; i++) {
                        rt.execute(children::countDown); // only a thief can run them
                    }
                    // Spin, not block: a blocked worker is compensated for, and an extra (not in the
                    // metrics) could run every child before the core peer steals one.
                    long deadline = System.nanoTime() + TestSupport.TIMEOUT.toNanos();
                    while (children.getCount() > 0) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new AssertionError("the children were not stolen");
                        }
                        Thread.onSpinWait();
                    }
                    while (stalls.get() == 0) {
                        Thread.onSpinWait(); // stuck in this poll until the monitor reports it
                    }
                    stalled.countDown();
                });
                awaitOrFail(stalled);
                String dump = rt.dumpTasks().toString();
                if (rt.metrics().totalSteals() == 0 || !dump.startsWith("Task dump of " + rt.name())) {
                    throw new AssertionError("steals " + rt.metrics().totalSteals() + ", dump " + dump);
                }
            }
            System.out.println("jdk.jfr absent, ran fine");
        }

        private static void awaitOrFail(CountDownLatch l) {
            try {
                if (!l.await(TestSupport.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("timed out");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
