package dev.spindle;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static dev.spindle.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Bounded stress: nothing lost, nothing run twice, nothing polled by two threads at once. The
 * default run does one round of each; {@code -Pstress} runs the tagged long versions.
 */
class StressTest {

    @Test
    void millionTasksFromOutsideAndInsideEachRunOnce() {
        spawnStorm(2, 1_000_000);
    }

    /** Four-slot local queues: nearly every spawn overflows, and every steal is at the edge. */
    @Test
    void tinyLocalQueuesLoseNothing() {
        spawnStorm(RuntimeTestBase.quiet().workers(2).localQueueCapacity(4), 200_000);
    }

    @Test
    void tenThousandForeignWakesDuringClose() {
        wakesDuringClose(2, 10_000);
    }

    @Tag("stress")
    @Test
    void longSpawnStorm() {
        for (int workers : new int[] {1, 2, 3, 4, 8}) {
            for (int round = 0; round < 4; round++) {
                spawnStorm(workers, 1_000_000);
            }
        }
    }

    @Tag("stress")
    @Test
    void longWakesDuringClose() {
        for (int workers : new int[] {1, 2, 3, 4, 8}) {
            for (int round = 0; round < 20; round++) {
                wakesDuringClose(workers, 10_000);
            }
        }
    }

    /**
     * Half the tasks come from 4 outside threads (alternating spawn and execute); each of those
     * spawns one child from inside. Every tenth task yields once, every seventh is woken from
     * the outside thread that made it. Each id must complete exactly once, and no task may be
     * polled while it is being polled.
     */
    static void spawnStorm(int workers, int total) {
        spawnStorm(RuntimeTestBase.quiet().workers(workers), total);
    }

    static void spawnStorm(SpindleBuilder builder, int total) {
        int outsideThreads = 4;
        int half = total / 2;
        AtomicIntegerArray completed = new AtomicIntegerArray(total);
        AtomicIntegerArray inPoll = new AtomicIntegerArray(total);
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        try (Spindle rt = builder.build()) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < outsideThreads; t++) {
                int from = t * half / outsideThreads;
                int to = (t + 1) * half / outsideThreads;
                threads.add(TestSupport.start("spawner-" + t, () -> {
                    for (int id = from; id < to; id++) {
                        int myId = id;
                        Runnable body = () -> {
                            record(myId, completed, done);
                            Tasks.spawn(new StormTask(myId + half, completed, inPoll, overlaps, done));
                        };
                        if (id % 2 == 0) {
                            rt.execute(() -> {
                                // execute()d runnables run on a worker too: spawn works there.
                                body.run();
                            });
                        } else {
                            rt.spawn(new StormTask(myId, completed, inPoll, overlaps, done) {
                                @Override
                                void onComplete() {
                                    Tasks.spawn(new StormTask(myId + half, completed, inPoll, overlaps, done));
                                }
                            });
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                TestSupport.join(t);
            }
            await(done, "all " + total + " tasks");
        }
        assertEquals(0, overlaps.get(), "a task was polled by two threads at once");
        for (int i = 0; i < total; i++) {
            if (completed.get(i) != 1) {
                fail("task " + i + " completed " + completed.get(i) + " times");
            }
        }
    }

    private static void record(int id, AtomicIntegerArray completed, CountDownLatch done) {
        completed.incrementAndGet(id);
        done.countDown();
    }

    /** Yields once if id % 10 == 0; otherwise ready at once. Detects overlapping polls. */
    static class StormTask implements PollFuture<Void> {
        final int id;
        final AtomicIntegerArray completed;
        final AtomicIntegerArray inPoll;
        final AtomicInteger overlaps;
        final CountDownLatch done;
        boolean yielded;

        StormTask(int id, AtomicIntegerArray completed, AtomicIntegerArray inPoll, AtomicInteger overlaps,
                  CountDownLatch done) {
            this.id = id;
            this.completed = completed;
            this.inPoll = inPoll;
            this.overlaps = overlaps;
            this.done = done;
        }

        void onComplete() {
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (inPoll.getAndIncrement(id) != 0) {
                overlaps.incrementAndGet();
            }
            try {
                if (id % 10 == 0 && !yielded) {
                    yielded = true;
                    return Tasks.yieldPending(cx);
                }
                onComplete();
                record(id, completed, done);
                return Poll.ready(null);
            } finally {
                inPoll.decrementAndGet(id);
            }
        }
    }

    /**
     * Tasks wait; foreign threads wake them while close() runs. Every task must end up
     * completed or cancelled, none polled more than twice, and close() must return.
     */
    static void wakesDuringClose(int workers, int count) {
        Spindle rt = RuntimeTestBase.quiet().workers(workers).build();
        List<TestSupport.Parked<Integer>> parked = new ArrayList<>(count);
        List<JoinHandle<Integer>> handles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            TestSupport.Parked<Integer> p = new TestSupport.Parked<>(i);
            parked.add(p);
            handles.add(rt.spawn(p));
        }
        for (TestSupport.Parked<Integer> p : parked) {
            TestSupport.awaitTrue(p::isWaiting, "task waiting");
        }
        int wakers = 4;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < wakers; t++) {
            int from = t * count / wakers;
            int to = (t + 1) * count / wakers;
            threads.add(TestSupport.start("foreign-waker-" + t, () -> {
                await(go, "go");
                for (int i = from; i < to; i++) {
                    parked.get(i).release();
                }
            }));
        }
        go.countDown();
        TestSupport.closeWithin(rt);
        for (Thread t : threads) {
            TestSupport.join(t);
        }
        assertTrue(rt.isTerminated());
        int ok = 0;
        int cancelled = 0;
        for (int i = 0; i < count; i++) {
            JoinHandle<Integer> h = handles.get(i);
            assertTrue(h.isFinished(), "task " + i + " neither completed nor cancelled");
            if (h.isCancelled()) {
                cancelled++;
                assertThrows(CancellationException.class, () -> h.poll(Context.of(Waker.noop(), 1)));
            } else {
                ok++;
                assertEquals(i, h.poll(Context.of(Waker.noop(), 1)).value());
            }
            assertTrue(parked.get(i).polls <= 2, "task " + i + " polled " + parked.get(i).polls + " times");
        }
        assertEquals(count, ok + cancelled);
    }
}
