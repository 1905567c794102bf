package dev.spindle;

import dev.spindle.future.Futures;
import dev.spindle.sync.Oneshot;
import dev.spindle.time.Time;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TaskSet}: outputs in the order tasks finish, close aborts the rest, clear errors. */
class TaskSetTest extends RuntimeTestBase {

    /** A future that waits for its oneshot's value, and counts its drops (an abort drops it). */
    private static PollFuture<Integer> waitFor(Oneshot<Integer> ch, AtomicInteger drops) {
        return new PollFuture<>() {
            @Override
            public Poll<Integer> poll(Context cx) {
                return ch.receiver().poll(cx);
            }

            @Override
            public void drop() {
                drops.incrementAndGet();
            }
        };
    }

    @Test
    void outputsComeInTheOrderTasksFinish() {
        Spindle rt = runtime(2);
        try (TaskSet<Integer> set = TaskSet.on(rt)) {
            List<Oneshot<Integer>> chs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Oneshot<Integer> ch = Oneshot.channel();
                chs.add(ch);
                set.spawn(waitFor(ch, new AtomicInteger()));
            }
            assertEquals(3, set.size());
            for (int i : new int[] {2, 0, 1}) {
                chs.get(i).sender().send(i);
                assertEquals(i, rt.blockOn(set.next()));
            }
            assertTrue(set.isEmpty());
            assertThrows(IllegalStateException.class, () -> rt.blockOn(set.next()), "nothing could ever finish");
        }
    }

    @Test
    void tasksThatFinishAtOnceAreAllTakenOnceEach() {
        Spindle rt = runtime(2);
        TaskSet<Integer> set = TaskSet.on(rt);
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            set.spawn(Futures.ready(i));
        }
        // Drained from inside a task, with Futures.loop.
        // Bounded: a task that finished before the set watched it, if lost, fails this, not hangs it.
        Set<Integer> seen = rt.blockOn(rt.spawn(Time.timeout(Futures.loop(new HashSet<Integer>(), got -> set.isEmpty()
                ? Futures.ready(dev.spindle.future.Step.<HashSet<Integer>, Set<Integer>>done(got))
                : Futures.map(set.next(), v -> {
                    assertTrue(got.add(v), "taken twice: " + v);
                    return dev.spindle.future.Step.next(got);
                })), Duration.ofSeconds(30))));
        assertEquals(n, seen.size());
        set.close();
    }

    @Test
    void aFailedTaskRethrowsItsOwnExceptionAndAnAbortedOneCancellation() {
        Spindle rt = runtime(2);
        try (TaskSet<Integer> set = TaskSet.on(rt)) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            set.spawn(cx -> {
                throw boom;
            });
            Exception thrown = assertThrows(Exception.class, () -> rt.blockOn(set.next()));
            assertSame(boom, thrown);
        }
    }

    @Test
    void aTimeoutAroundNextThenCloseLeavesNoTaskRunning() {
        Spindle rt = runtime(2);
        AtomicInteger drops = new AtomicInteger();
        TaskSet<Integer> set = TaskSet.on(rt);
        for (int i = 0; i < 100; i++) {
            set.spawn(waitFor(Oneshot.channel(), drops));
        }
        CompletionException timedOut = assertThrows(CompletionException.class,
                () -> rt.blockOn(Time.timeout(set.next(), Duration.ofMillis(20))));
        assertInstanceOf(TimeoutException.class, timedOut.getCause());
        set.close();
        assertEquals(0, set.size());
        TestSupport.awaitTrue(() -> drops.get() == 100, "every task of the closed set aborted");
        assertThrows(IllegalStateException.class, () -> set.spawn(Futures.ready(1)));
        assertThrows(IllegalStateException.class, () -> rt.blockOn(set.next()));
        set.close(); // twice: nothing more
    }

    @Test
    void badInputFailsAtTheCall() {
        Spindle rt = runtime(1);
        assertThrows(NullPointerException.class, () -> TaskSet.on(null));
        assertThrows(IllegalStateException.class, TaskSet::create, "outside any runtime");
        TaskSet<Integer> set = TaskSet.on(rt);
        assertThrows(NullPointerException.class, () -> set.spawn(null));
        // Inside a task, create() takes the task's runtime.
        TaskSet<Integer> inner = rt.blockOn(rt.spawn(cx -> Poll.ready(TaskSet.<Integer>create())));
        inner.spawn(Futures.ready(7));
        assertEquals(7, rt.blockOn(inner.next()));
        set.close();
        inner.close();
    }

    @Test
    void abortedTaskSurfacesAsCancellation() {
        Spindle rt = runtime(1);
        TaskSet<Integer> set = TaskSet.on(rt);
        set.spawn(cx -> {
            throw new CancellationException("gave up");
        });
        assertThrows(CancellationException.class, () -> rt.blockOn(set.next()));
        set.close();
    }
}
