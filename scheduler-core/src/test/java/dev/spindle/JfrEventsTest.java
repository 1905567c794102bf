package dev.spindle;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static dev.spindle.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The runtime's JFR events reach a recording with their fields filled, including a recording
 * started after the runtime was built. Events are told apart by the runtime's name, since
 * other tests' runtimes may record into the same stream.
 */
class JfrEventsTest extends RuntimeTestBase {

    /** Collects one runtime's events of the enabled types; a latch per event name. */
    private static final class Collector implements AutoCloseable {
        final RecordingStream stream = new RecordingStream();
        final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
        final java.util.Map<String, CountDownLatch> seen = new java.util.concurrent.ConcurrentHashMap<>();
        volatile String runtime;

        Collector(String... names) {
            for (String n : names) {
                stream.enable(n).withThreshold(Duration.ZERO);
                seen.put(n, new CountDownLatch(1));
                stream.onEvent(n, e -> {
                    if (e.getString("runtime").equals(runtime)) {
                        events.add(e);
                        seen.get(n).countDown();
                    }
                });
            }
            stream.setMaxAge(Duration.ofSeconds(30));
            stream.startAsync();
        }

        void awaitEvent(String name) {
            await(seen.get(name), name + " event for " + runtime);
        }

        List<RecordedEvent> of(String name) {
            return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    /** A runnable that queues {@code n} children on its own worker, then waits until peers ran them all. */
    private static final class Spawner implements Runnable {
        final Spindle rt;
        final int n;
        final CountDownLatch children;
        final CountDownLatch release;

        Spawner(Spindle rt, int n, CountDownLatch release) {
            this.rt = rt;
            this.n = n;
            this.children = new CountDownLatch(n);
            this.release = release;
        }

        @Override
        public void run() {
            for (int i = 0; i < n; i++) {
                rt.execute(children::countDown); // this worker's spawn stack: only a thief can run them
            }
            await(children, "children run by thieves");
            await(release, "release");
        }

        @Override
        public String toString() {
            return "the-spawner";
        }
    }

    @Test
    void aStallAndAStealBurstAreRecordedWithTheirFields() {
        try (Collector c = new Collector("dev.spindle.Stall", "dev.spindle.Steal")) {
            Spindle rt = manage(quiet().workers(2).stallThreshold(Duration.ofMillis(5)).build());
            c.runtime = rt.name();
            CountDownLatch release = new CountDownLatch(1);
            Spawner s = new Spawner(rt, 200, release);
            rt.execute(s);
            await(s.children, "children");
            c.awaitEvent("dev.spindle.Steal");
            c.awaitEvent("dev.spindle.Stall");
            release.countDown();

            RecordedEvent stall = c.of("dev.spindle.Stall").get(0);
            assertEquals("the-spawner", stall.getString("task"));
            assertTrue(stall.getDuration("stalledFor").compareTo(Duration.ofMillis(5)) >= 0, stall.toString());
            assertTrue(stall.getInt("worker") == 0 || stall.getInt("worker") == 1, stall.toString());
            assertTrue(stall.getThread("workerThread").getJavaName().startsWith("spindle-worker-"), stall.toString());
            assertTrue(List.of("WAITING", "TIMED_WAITING").contains(stall.getString("threadState")), stall.toString());
            assertTrue(stall.getString("stack").contains(Spawner.class.getName()), stall.getString("stack"));

            int stolen = 0;
            for (RecordedEvent steal : c.of("dev.spindle.Steal")) {
                assertNotEquals(steal.getInt("thief"), steal.getInt("victim"), steal.toString());
                assertTrue(steal.getInt("tasks") >= 1, steal.toString());
                stolen += steal.getInt("tasks");
            }
            assertTrue(stolen >= 1);
        }
    }

    @Test
    void aRecordingStartedAfterTheRuntimeWasBuiltSeesItsEvents() {
        Spindle rt = manage(quiet().workers(2).build());
        // A first burst with no recording of ours: the event classes are loaded, the checks compiled.
        CountDownLatch release = new CountDownLatch(1);
        release.countDown();
        Spawner before = new Spawner(rt, 100, release);
        rt.execute(before);
        await(before.children, "children before recording");
        try (Collector c = new Collector("dev.spindle.Steal")) {
            c.runtime = rt.name();
            Spawner after = new Spawner(rt, 100, release);
            rt.execute(after);
            await(after.children, "children while recording");
            c.awaitEvent("dev.spindle.Steal");
        }
    }

    @Test
    void parksAndExtraWorkersAreRecorded() throws InterruptedException {
        try (Collector c = new Collector("dev.spindle.Park", "dev.spindle.ExtraWorkerStarted",
                "dev.spindle.ExtraWorkerRetired")) {
            Spindle rt = manage(quiet().workers(1).build());
            c.runtime = rt.name();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch inside = new CountDownLatch(1);
            // The only worker blocks in place: nobody is free, so an extra starts; once idle it
            // parks as a spare, and leaves when the runtime terminates.
            CountDownLatch done = new CountDownLatch(1);
            rt.execute(() -> {
                Tasks.<Void, RuntimeException>blockInPlace(() -> {
                    inside.countDown();
                    await(release, "release");
                    return null;
                });
                done.countDown();
            });
            await(inside, "blocking in place");
            c.awaitEvent("dev.spindle.ExtraWorkerStarted");
            release.countDown();
            await(done, "the blocking task");
            // The core worker sleeps by now, or soon: a task wakes it, which ends (and commits) its
            // park. One that arrives while it is still awake ends nothing, so try again.
            CountDownLatch park = c.seen.get("dev.spindle.Park");
            long deadline = System.nanoTime() + TestSupport.TIMEOUT.toNanos();
            while (park.getCount() > 0 && System.nanoTime() < deadline) {
                rt.execute(() -> { });
                park.await(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            c.awaitEvent("dev.spindle.Park");
            RecordedEvent started = c.of("dev.spindle.ExtraWorkerStarted").get(0);
            assertEquals(1, started.getInt("worker"), started.toString());
            assertTrue(started.getString("reason").contains("blocks in place"), started.toString());
            assertEquals(0, c.of("dev.spindle.Park").get(0).getInt("worker"));
            rt.close();
            c.awaitEvent("dev.spindle.ExtraWorkerRetired");
            RecordedEvent retired = c.of("dev.spindle.ExtraWorkerRetired").get(0);
            assertEquals(1, retired.getInt("worker"), retired.toString());
            assertTrue(retired.getString("reason").contains("terminated"), retired.toString());
        }
    }
}
