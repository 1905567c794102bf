package dev.spindle;

import dev.spindle.metrics.TaskDump;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.spindle.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

/** {@code Spindle.dumpTasks()} and the JMX bean that offers it. */
class TaskDumpTest extends RuntimeTestBase {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    /** A future that goes idle without handing its waker to anybody: it waits forever. */
    private static final class Forever implements PollFuture<Void> {
        final CountDownLatch polled = new CountDownLatch(1);

        @Override
        public Poll<Void> poll(Context cx) {
            polled.countDown();
            return Poll.pending();
        }

        @Override
        public String toString() {
            return "the-waiting-future";
        }
    }

    /** Spins (a runnable thread gets no extra worker) until released: the runtime's only worker stays busy. */
    private static final class Spinner implements Runnable {
        final CountDownLatch running = new CountDownLatch(1);
        final AtomicBoolean release = new AtomicBoolean();

        @Override
        public void run() {
            running.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
        }

        @Override
        public String toString() {
            return "the-running-runnable";
        }
    }

    private static Runnable named(String name) {
        return new Runnable() {
            @Override
            public void run() {
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static ObjectName beanName(Spindle rt) throws Exception {
        return new ObjectName("dev.spindle:type=Runtime,name=" + rt.name());
    }

    @Test
    void listsRunningQueuedAndWaitingTasksAlsoThroughTheBean() throws Exception {
        Spindle rt = runtime(1);
        Forever waiting = new Forever();
        rt.spawn(waiting);
        await(waiting.polled, "the waiting future polled");
        Spinner spinner = new Spinner();
        rt.execute(spinner);
        await(spinner.running, "the spinner running");
        rt.execute(named("the-queued-runnable"));
        rt.spawn(new PollFuture<Void>() {
            @Override
            public Poll<Void> poll(Context cx) {
                return Poll.ready(null);
            }

            @Override
            public String toString() {
                return "the-queued-future";
            }
        });
        try {
            TaskDump dump = rt.dumpTasks();
            assertEquals(rt.name(), dump.runtime());
            TaskDump.Entry running = only(dump.entries(TaskDump.State.RUNNING));
            assertEquals("the-running-runnable", running.description());
            assertEquals(0, running.worker());
            assertTrue(running.stack().stream().anyMatch(f -> f.getClassName().equals(Spinner.class.getName())),
                    "the running task's stack: " + running.stack());
            assertEquals(Set.of("the-queued-runnable", "the-queued-future"), descriptions(dump.entries(TaskDump.State.QUEUED)));
            TaskDump.Entry waitingEntry = only(dump.entries(TaskDump.State.WAITING));
            assertEquals("the-waiting-future", waitingEntry.description());
            assertEquals(0, waitingEntry.home());
            String text = dump.toString();
            assertTrue(text.contains("RUNNING on worker-0"), text);
            assertTrue(text.contains(Spinner.class.getName() + ".run("), text);

            String viaBean = (String) SERVER.invoke(beanName(rt), "dumpTasks", new Object[0], new String[0]);
            for (String s : List.of("RUNNING", "the-running-runnable", "QUEUED", "the-queued-runnable",
                    "the-queued-future", "WAITING", "the-waiting-future")) {
                assertTrue(viaBean.contains(s), s + " missing from\n" + viaBean);
            }
        } finally {
            spinner.release.set(true);
        }
    }

    /** A future that waits for one wake-up, then completes. */
    private static final class OneWake implements PollFuture<Void> {
        final CountDownLatch waiting = new CountDownLatch(1);
        volatile Waker waker;
        private boolean woken;

        @Override
        public Poll<Void> poll(Context cx) {
            if (woken) {
                return Poll.ready(null);
            }
            woken = true;
            waker = cx.waker();
            waiting.countDown();
            return Poll.pending();
        }

        @Override
        public String toString() {
            return "the-one-wake-future";
        }
    }

    @Test
    void aTaskThatWaitedAndFinishedIsNotListed() {
        Spindle rt = runtime(1);
        OneWake f = new OneWake();
        JoinHandle<Void> h = rt.spawn(f);
        await(f.waiting, "the future polled");
        // Its poll returns right after the latch; then it is idle, and listed as waiting.
        TestSupport.awaitTrue(() -> rt.dumpTasks().entries(TaskDump.State.WAITING).size() == 1, "the task waiting");
        assertEquals("the-one-wake-future", only(rt.dumpTasks().entries(TaskDump.State.WAITING)).description());
        f.waker.wake();
        await(h.toCompletableFuture(), "the task");
        // Still in its worker's idle log (dropped only when the log fills), but finished.
        assertEquals(List.of(), rt.dumpTasks().entries());
    }

    private static TaskDump.Entry only(List<TaskDump.Entry> entries) {
        assertEquals(1, entries.size(), entries.toString());
        return entries.get(0);
    }

    private static Set<String> descriptions(List<TaskDump.Entry> entries) {
        Set<String> out = new java.util.HashSet<>();
        entries.forEach(e -> out.add(e.description()));
        return out;
    }

    /**
     * A storm task: a small fork-join tree. An inner probe spawns two children and waits for
     * both (it goes idle, so finished parents stay listed in idle logs until compacted); a leaf
     * yields once. Each knows when its handle completed.
     */
    private static final class Probe implements PollFuture<Void> {
        /** Probes spawned and not finished: the storm keeps it bounded, so dumps stay short. */
        static final AtomicInteger OUTSTANDING = new AtomicInteger();

        final int id;
        final int depth;
        final Map<Integer, Probe> all;
        final AtomicInteger ids;
        /** System.nanoTime() once the task's handle completed (after its COMPLETE): 0 while alive. */
        volatile long finishedAt;
        private boolean started;
        private JoinHandle<Void> left;
        private JoinHandle<Void> right;

        Probe(int depth, Map<Integer, Probe> all, AtomicInteger ids) {
            this.id = ids.incrementAndGet();
            this.depth = depth;
            this.all = all;
            this.ids = ids;
            all.put(id, this);
        }

        static JoinHandle<Void> spawn(Spindle rt, Probe p) {
            OUTSTANDING.incrementAndGet();
            JoinHandle<Void> h = rt.spawn(p);
            h.toCompletableFuture().whenComplete((v, e) -> {
                p.finishedAt = System.nanoTime();
                OUTSTANDING.decrementAndGet();
            });
            return h;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (!started) {
                started = true;
                if (depth == 0) {
                    return Tasks.yieldPending(cx);
                }
                Spindle rt = Spindle.current();
                left = spawn(rt, new Probe(depth - 1, all, ids));
                right = spawn(rt, new Probe(depth - 1, all, ids));
            }
            if (depth == 0) {
                return Poll.ready(null);
            }
            boolean l = left.poll(cx).isReady();
            boolean r = right.poll(cx).isReady();
            return l && r ? Poll.ready(null) : Poll.pending();
        }

        @Override
        public String toString() {
            return "probe-" + id;
        }
    }

    private static final Runnable STORM_RUNNABLE = named("storm-runnable");

    @Test
    void aDumpUnderASpawnStormReturnsAndListsOnlyTasksAliveDuringTheCall() throws Exception {
        Spindle rt = runtime(2);
        Map<Integer, Probe> all = new ConcurrentHashMap<>();
        AtomicInteger ids = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> spawners = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Probe.spawn(rt, new Probe(3, all, ids));
                        rt.execute(STORM_RUNNABLE); // plain runnables in the queues too
                        while (Probe.OUTSTANDING.get() > 4096 && !stop.get()) {
                            Thread.yield(); // let the workers drain a little
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "storm-" + i);
            spawners.add(t);
            t.start();
        }
        int listed = 0;
        try {
            int dumps = 0;
            long deadline = System.nanoTime() + TestSupport.TIMEOUT.toNanos() / 4;
            // Enough dumps to meet tasks in several places; bounded by the scaled timeout either way.
            while ((dumps < 30 || listed == 0) && System.nanoTime() < deadline) {
                long callStart = System.nanoTime();
                TaskDump dump = assertTimeoutPreemptively(TestSupport.TIMEOUT, rt::dumpTasks, "dumpTasks hung");
                dumps++;
                for (TaskDump.Entry e : dump.entries()) {
                    if (e.description().equals(STORM_RUNNABLE.toString())) {
                        continue; // no state to check: a runnable never run is alive
                    }
                    // Anything else must be a probe that was alive (a finished one is described
                    // differently: its future has been dropped).
                    assertTrue(e.description().startsWith("probe-"), "not a live storm task: " + e);
                    listed++;
                    Probe p = all.get(Integer.parseInt(e.description().substring("probe-".length())));
                    long finished = p.finishedAt;
                    assertTrue(finished == 0 || finished - callStart >= 0,
                            e + " finished " + (callStart - finished) + " ns before the dump began");
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : spawners) {
                t.join(TestSupport.TIMEOUT.toMillis());
                assertFalse(t.isAlive(), t.getName() + " still running");
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(listed > 0, "no dump listed a storm task");
    }

    @Test
    void theBeanAppearsAtBuildHasUniqueNamesAndGoesAtClose() throws Exception {
        Spindle a = runtime(1);
        Spindle b = runtime(1);
        assertNotEquals(a.name(), b.name());
        assertTrue(SERVER.isRegistered(beanName(a)));
        assertTrue(SERVER.isRegistered(beanName(b)));
        assertEquals(a.name(), SERVER.getAttribute(beanName(a), "Name"));
        assertEquals(1, SERVER.getAttribute(beanName(a), "Workers"));
        assertEquals("RUNNING", SERVER.getAttribute(beanName(a), "State"));
        CountDownLatch ran = new CountDownLatch(1);
        a.execute(ran::countDown);
        await(ran, "a task");
        TestSupport.awaitTrue(() -> polls(a) >= 1, "the bean's poll count");
        TestSupport.closeWithin(a);
        assertFalse(SERVER.isRegistered(beanName(a)), "unregistered at close");
        assertTrue(SERVER.isRegistered(beanName(b)));
        b.shutdownNow();
        TestSupport.awaitTermination(b);
        assertFalse(SERVER.isRegistered(beanName(b)), "unregistered at termination after shutdownNow");
    }

    private static long polls(Spindle rt) {
        try {
            return (Long) SERVER.getAttribute(beanName(rt), "Polls");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noBeanWhenTheBuilderSaysSo() throws Exception {
        Spindle rt = manage(quiet().workers(1).jmx(false).build());
        assertFalse(SERVER.isRegistered(beanName(rt)));
        assertTrue(SERVER.queryNames(new ObjectName("dev.spindle:type=Runtime,name=" + rt.name() + "*"), null).isEmpty());
    }
}
