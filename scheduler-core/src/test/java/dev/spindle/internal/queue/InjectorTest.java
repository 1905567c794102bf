package dev.spindle.internal.queue;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.internal.task.FutureCell;
import dev.spindle.internal.task.TaskCell;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The intrusive injector: FIFO, chains and batches in order, nothing lost under contention. */
class InjectorTest {

    /** A future that only carries the id the test queued it with. */
    private static final class Tagged implements dev.spindle.PollFuture<Integer> {
        final int id;

        Tagged(int id) {
            this.id = id;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            return Poll.ready(id);
        }
    }

    private static TaskCell<Integer> cell(int id) {
        return new FutureCell<>(t -> { }, null, new Tagged(id));
    }

    private static int id(TaskCell<?> t) {
        return ((Tagged) t.body()).id;
    }

    @Test
    void fifoAndSize() {
        Injector inj = new Injector(4);
        assertTrue(inj.isEmpty());
        assertNull(inj.poll());
        for (int i = 0; i < 5; i++) {
            inj.push(cell(i));
        }
        assertEquals(5, inj.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, id(inj.poll()));
        }
        assertTrue(inj.isEmpty());
    }

    @Test
    void chainKeepsOrderBehindEarlierPushes() {
        Injector inj = new Injector(4);
        inj.push(cell(0));
        TaskCell<?> a = cell(1);
        TaskCell<?> b = cell(2);
        TaskCell<?> c = cell(3);
        a.queueNext = b;
        b.queueNext = c;
        inj.pushChain(a, c, 3);
        inj.push(cell(4));
        assertEquals(5, inj.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, id(inj.poll()));
        }
    }

    @Test
    void batchPollFillsTheLocalQueueInOrder() {
        Injector inj = new Injector(4);
        for (int i = 0; i < 10; i++) {
            inj.push(cell(i));
        }
        LocalQueue<TaskCell<?>> local = new LocalQueue<>(4);
        TaskCell<?> first = inj.pollBatch(local, 4);
        assertEquals(0, id(first));
        assertNull(first.queueNext, "a task leaves the injector unlinked");
        assertEquals(3, local.size());
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, id(local.poll()));
        }
        assertEquals(6, inj.size());
        assertEquals(4, id(inj.poll()));
        // A batch larger than what is there takes what is there.
        TaskCell<?> rest = inj.pollBatch(local, 100 > local.capacity() ? 4 : 100);
        assertEquals(5, id(rest));
        assertEquals(3, local.size());
        assertEquals(1, inj.size());
    }

    @Test
    void concurrentPushersAndBatchPollersLoseNothing() throws Exception {
        Injector inj = new Injector(4);
        int perProducer = 50_000;
        int producers = 3;
        int total = perProducer * producers;
        List<Set<TaskCell<?>>> seen = new ArrayList<>();
        AtomicInteger taken = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<TaskCell<?>> all = Collections.synchronizedList(new ArrayList<>());
        for (int p = 0; p < producers; p++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    TaskCell<?> t = cell(i);
                    all.add(t);
                    if (i % 3 == 0) {
                        TaskCell<?> u = cell(-i);
                        all.add(u);
                        t.queueNext = u;
                        inj.pushChain(t, u, 2);
                        i++;
                    } else {
                        inj.push(t);
                    }
                }
            }));
        }
        for (int c = 0; c < 2; c++) {
            Set<TaskCell<?>> mine = Collections.newSetFromMap(new IdentityHashMap<>());
            seen.add(mine);
            threads.add(new Thread(() -> {
                LocalQueue<TaskCell<?>> local = new LocalQueue<>(8);
                while (taken.get() < total) {
                    TaskCell<?> t = inj.pollBatch(local, 8);
                    while (t != null) {
                        assertTrue(mine.add(t));
                        taken.incrementAndGet();
                        t = local.poll();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join(30_000);
            assertFalse(t.isAlive());
        }
        Set<TaskCell<?>> union = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Set<TaskCell<?>> s : seen) {
            for (TaskCell<?> t : s) {
                assertTrue(union.add(t), "taken twice");
            }
        }
        assertEquals(all.size(), union.size());
        assertEquals(total, union.size());
        assertTrue(inj.isEmpty());
    }
}
