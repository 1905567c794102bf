package dev.spindle;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The runtime without Flight Recorder, in a child JVM that steals, stalls, parks, dumps its
 * tasks and closes:
 * <ul>
 * <li>whose boot layer has no {@code jdk.jfr} (as in an image made by jlink without it), limited
 * to java.base, java.management and jdk.unsupported (for Agrona): no error and no warning;
 * <li>with {@code jdk.jfr} present but Flight Recorder never started: no event class is loaded.
 * The first one loaded builds the recorder's metadata, which took 170-220 ms on a worker's
 * first park, and that worker was keeping the timers (a 20 ms timeout fired 133 ms late).
 * </ul>
 */
class WithoutJfrTest {

    @Test
    void theRuntimeRunsWithoutJdkJfr() throws Exception {
        String out = runChild("absent", "--limit-modules", "java.base,java.management,jdk.unsupported");
        assertTrue(out.contains("ran fine, jdk.jfr absent"), out);
        assertFalse(out.contains("WARNING"), out);
    }

    @Test
    void noEventClassIsLoadedWhileFlightRecorderHasNotStarted() throws Exception {
        String out = runChild("present", "-Xlog:class+load=info");
        assertTrue(out.contains("ran fine, jdk.jfr present, Flight Recorder started: false"), out);
        assertTrue(out.contains(Spindle.class.getName()), "the class-load log is missing:\n" + out);
        for (String event : new String[] {"ParkEvent", "StealEvent", "StallEvent", "ExtraWorkerStartedEvent"}) {
            assertFalse(out.contains("dev.spindle.internal.jfr." + event), event + " was loaded");
        }
        assertFalse(out.contains("jdk.jfr.internal.MetadataRepository "), "the recorder's metadata was built");
    }

    /** Runs {@link Child} with {@code jfr} ("absent" or "present") after the JVM options; its output. */
    private static String runChild(String jfr, String... jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), jfr));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = readAll(p);
        assertTrue(p.waitFor(TestSupport.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "child hung:\n" + out);
        assertEquals(0, p.exitValue(), out);
        String printed = out.lines().filter(l -> !l.startsWith("[")).collect(Collectors.joining("\n")); // not the JVM's log
        assertFalse(printed.contains("Exception"), printed);
        return out;
    }

    private static String readAll(Process p) throws IOException {
        byte[] b = p.getInputStream().readAllBytes(); // ends when the child exits
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The child JVM's program. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            boolean present = args[0].equals("present");
            if (ModuleLayer.boot().findModule("jdk.jfr").isPresent() != present) {
                throw new AssertionError("jdk.jfr is not " + args[0] + " in the boot layer: the test proves nothing");
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
                // Every child ran on another thread than the spinning parent's, so it was stolen:
                // by the core peer, or, once the monitor saw the stall, by a rescuer (an extra),
                // whose steals the metrics leave out (on JDK 25 under load, "steals 0" once). Both
                // go through the same steal count and event call, which is what must run here.
                String dump = rt.dumpTasks().toString();
                if (!dump.startsWith("Task dump of " + rt.name())) {
                    throw new AssertionError("dump " + dump);
                }
            }
            if (present) {
                // By reflection: the class must not be linked into the child when jdk.jfr is absent.
                Object started = Class.forName("jdk.jfr.FlightRecorder").getMethod("isInitialized").invoke(null);
                System.out.println("ran fine, jdk.jfr present, Flight Recorder started: " + started);
            } else {
                System.out.println("ran fine, jdk.jfr absent");
            }
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
