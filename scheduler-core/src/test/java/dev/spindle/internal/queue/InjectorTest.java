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

/**
 * The injector: FIFO, batches in order, plain runnables beside task cells, nothing lost under
 * contention.
 */
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

    /** A runnable queued as itself, a new object each time (a lambda without captures may be shared). */
    private static final class Plain implements Runnable {
        @Override
        public void run() {
        }
    }

    private static TaskCell<Integer> cell(int id) {
        return new FutureCell<>(() -> t -> { }, new Tagged(id));
    }

    private static int id(Object t) {
        return ((Tagged) ((TaskCell<?>) t).body()).id;
    }

    @Test
    void forEachRacyListsBothPartsOfAStripeAndTakesNothing() {
        Injector inj = new Injector(1, 4);
        for (int i = 0; i < 6; i++) {
            inj.push(cell(i)); // 4 in the lock-free array, 2 in the ring
        }
        List<Integer> seen = new ArrayList<>();
        inj.forEachRacy(t -> seen.add(id(t)));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), seen);
        assertEquals(6, inj.size(), "nothing taken");
    }

    @Test
    void fifoAndSize() {
        Injector inj = new Injector(1, 4);
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
        Injector inj = new Injector(1, 4);
        inj.push(cell(0));
        Object[] batch = {cell(1), cell(2), cell(3), null};
        inj.pushAll(batch, 3);
        assertArrayEquals(new Object[4], batch, "a batch's entries are cleared once queued");
        inj.push(cell(4));
        assertEquals(5, inj.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, id(inj.poll()));
        }
    }

    @Test
    void batchPollFillsTheLocalQueueInOrder() {
        Injector inj = new Injector(1, 4);
        for (int i = 0; i < 10; i++) {
            inj.push(cell(i));
        }
        LocalQueue<Object> local = new LocalQueue<>(4);
        Object first = inj.pollBatch(local, 4, 0);
        assertEquals(0, id(first));
        assertEquals(3, local.size());
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, id(local.poll()));
        }
        assertEquals(6, inj.size());
        assertEquals(4, id(inj.poll()));
        // A batch larger than what is there takes what is there.
        Object rest = inj.pollBatch(local, 100 > local.capacity() ? 4 : 100, 0);
        assertEquals(5, id(rest));
        assertEquals(3, local.size());
        assertEquals(1, inj.size());
    }

    @Test
    void concurrentPushersAndBatchPollersLoseNothing() throws Exception {
        Injector inj = new Injector(4, 4); // four stripes: producers spread, takers rotate
        int perProducer = 50_000;
        int producers = 3;
        int total = perProducer * producers;
        List<Set<Object>> seen = new ArrayList<>();
        AtomicInteger taken = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Object> all = Collections.synchronizedList(new ArrayList<>());
        for (int p = 0; p < producers; p++) {
            threads.add(new Thread(() -> {
                Object[] pair = new Object[2];
                for (int i = 0; i < perProducer; i++) {
                    // Task cells and plain runnables alike; every third push is a batch of two.
                    Object t = i % 2 == 0 ? cell(i) : new Plain();
                    all.add(t);
                    if (i % 3 == 0) {
                        Object u = cell(-i);
                        all.add(u);
                        pair[0] = t;
                        pair[1] = u;
                        inj.pushAll(pair, 2);
                        i++;
                    } else {
                        inj.push(t);
                    }
                }
            }));
        }
        for (int c = 0; c < 2; c++) {
            Set<Object> mine = Collections.newSetFromMap(new IdentityHashMap<>());
            seen.add(mine);
            threads.add(new Thread(() -> {
                LocalQueue<Object> local = new LocalQueue<>(8);
                int turn = 0;
                while (taken.get() < total) {
                    Object t = inj.pollBatch(local, 8, turn++);
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
        Set<Object> union = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Set<Object> s : seen) {
            for (Object t : s) {
                assertTrue(union.add(t), "taken twice");
            }
        }
        assertEquals(all.size(), union.size());
        assertEquals(total, union.size());
        assertTrue(inj.isEmpty());
    }
}
