package dev.spindle.internal.queue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The contract every bounded run queue answers to, at capacity 4 so the full, overflow and
 * steal edges are a few operations away. Subclassed once per queue.
 */
abstract class BoundedRunQueueContract {
    static final int CAPACITY = 4;

    abstract BoundedRunQueue<Integer> create(int capacity);

    @Test
    void fifoOrder() {
        BoundedRunQueue<Integer> q = create(CAPACITY);
        for (int i = 0; i < CAPACITY; i++) {
            assertTrue(q.offer(i));
        }
        for (int i = 0; i < CAPACITY; i++) {
            assertEquals(i, q.poll());
        }
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void forEachRacyListsWhatIsQueuedAndTakesNothing() {
        BoundedRunQueue<Integer> q = create(CAPACITY);
        for (int i = 0; i < CAPACITY; i++) {
            assertTrue(q.offer(i));
        }
        assertEquals(0, q.poll());
        assertTrue(q.offer(4)); // wrapped: the listing must follow the ring, not the array
        List<Integer> seen = new ArrayList<>();
        q.forEachRacy(seen::add);
        assertEquals(List.of(1, 2, 3, 4), seen);
        assertEquals(CAPACITY, q.size(), "nothing taken");
    }

    @Test
    void refusesWhenFullAndAcceptsAgainAfterPoll() {
        BoundedRunQueue<Integer> q = create(CAPACITY);
        for (int i = 0; i < CAPACITY; i++) {
            assertTrue(q.offer(i), "offer " + i);
        }
        assertFalse(q.offer(99), "a full queue must refuse, not drop or overwrite");
        assertEquals(CAPACITY, q.size());
        assertEquals(0, q.poll());
        assertTrue(q.offer(4));
        List<Integer> rest = new ArrayList<>();
        for (Integer e; (e = q.poll()) != null; ) {
            rest.add(e);
        }
        assertEquals(List.of(1, 2, 3, 4), rest);
    }

    @Test
    void wrapsAroundManyTimes() {
        BoundedRunQueue<Integer> q = create(CAPACITY);
        int next = 0;
        int expect = 0;
        for (int round = 0; round < 1000; round++) {
            while (q.offer(next)) {
                next++;
            }
            int take = 1 + round % CAPACITY;
            for (int i = 0; i < take; i++) {
                Integer e = q.poll();
                if (e == null) {
                    break;
                }
                assertEquals(expect++, e);
            }
        }
    }

    @Test
    void stealTakesAboutHalfOldestFirst() {
        BoundedRunQueue<Integer> q = create(CAPACITY);
        for (int i = 0; i < CAPACITY; i++) {
            q.offer(i);
        }
        LocalQueue<Integer> thief = new LocalQueue<>(CAPACITY);
        Integer first = q.stealHalfInto(thief);
        assertEquals(0, first, "a steal takes the oldest");
        assertEquals(1, thief.size(), "half of 4 is 2: one returned, one queued for the thief");
        assertEquals(1, thief.poll());
        assertEquals(2, q.size());
        assertEquals(2, q.poll());
    }

    @Test
    void stealFromOneElementTakesIt() {
        BoundedRunQueue<Integer> q = create(CAPACITY);
        q.offer(7);
        LocalQueue<Integer> thief = new LocalQueue<>(CAPACITY);
        assertEquals(7, q.stealHalfInto(thief));
        assertTrue(thief.isEmpty());
        assertTrue(q.isEmpty());
        assertNull(q.stealHalfInto(thief), "stealing from an empty queue finds nothing");
    }

    @Test
    void stealFromOddSizeRoundsUp() {
        BoundedRunQueue<Integer> q = create(CAPACITY);
        q.offer(0);
        q.offer(1);
        q.offer(2);
        LocalQueue<Integer> thief = new LocalQueue<>(CAPACITY);
        assertEquals(0, q.stealHalfInto(thief));
        assertEquals(1, thief.size());
        assertEquals(1, q.size());
    }

    /** One producer, two consumers (one stealing in batches): nothing lost, nothing twice. */
    @Test
    void concurrentPollAndStealLoseNothing() throws Exception {
        BoundedRunQueue<Integer> q = create(CAPACITY);
        int total = 200_000;
        Set<Integer> seenA = new HashSet<>();
        Set<Integer> seenB = new HashSet<>();
        AtomicInteger taken = new AtomicInteger();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < total; ) {
                if (q.offer(i)) {
                    i++;
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        Thread pollerA = new Thread(() -> {
            while (taken.get() < total) {
                Integer e = q.poll();
                if (e != null) {
                    assertTrue(seenA.add(e));
                    taken.incrementAndGet();
                }
            }
        });
        Thread thiefB = new Thread(() -> {
            LocalQueue<Integer> mine = new LocalQueue<>(CAPACITY);
            while (taken.get() < total) {
                Integer e = q.stealHalfInto(mine);
                while (e != null) {
                    assertTrue(seenB.add(e));
                    taken.incrementAndGet();
                    e = mine.poll();
                }
            }
        });
        producer.start();
        pollerA.start();
        thiefB.start();
        producer.join(30_000);
        pollerA.join(30_000);
        thiefB.join(30_000);
        assertFalse(producer.isAlive() || pollerA.isAlive() || thiefB.isAlive(), "threads finished");
        assertEquals(total, seenA.size() + seenB.size(), "every element taken once");
        for (Integer e : seenA) {
            assertFalse(seenB.contains(e), "taken twice: " + e);
        }
    }
}

class LocalQueueTest extends BoundedRunQueueContract {
    @Override
    BoundedRunQueue<Integer> create(int capacity) {
        return new LocalQueue<>(capacity);
    }

    @Test
    void drainMovesAtMostLimitOldestFirst() {
        LocalQueue<Integer> q = new LocalQueue<>(CAPACITY);
        for (int i = 0; i < CAPACITY; i++) {
            q.offer(i);
        }
        List<Integer> out = new ArrayList<>();
        assertEquals(2, q.drain(out::add, 2));
        assertEquals(List.of(0, 1), out);
        assertEquals(2, q.size());
    }

    @Test
    void capacityIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LocalQueue<Integer>(1));
        assertEquals(4, new LocalQueue<Integer>(3).capacity(), "rounded up to a power of two");
    }
}

class InboxTest extends BoundedRunQueueContract {
    @Override
    BoundedRunQueue<Integer> create(int capacity) {
        return new Inbox<>(capacity);
    }
}
