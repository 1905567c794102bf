package dev.spindle.sync;

import dev.spindle.PollFuture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.spindle.LincheckSupport.check;
import static dev.spindle.LincheckSupport.startAndJoin;
import static dev.spindle.sync.SyncTestSupport.poll;
import static dev.spindle.sync.SyncTestSupport.pollUntilReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of {@link Mutex}: tasks that lock, touch plain (non-volatile) state and unlock,
 * racing each other, an unlock and a dropped lock future. A locker spins until its own waker
 * was woken since its last poll, so an unlock that forgets to hand the lock on leaves it
 * spinning forever, which Lincheck reports as a hang. Outcomes are checked after the joins.
 *
 * <p>Current behaviour: {@value dev.spindle.LincheckSupport#INVOCATIONS} interleavings per scenario;
 * {@code mvn -Dspindle.lincheck.invocations=N} runs more.
 */
class MutexLincheckTest {

    /** The protected state: plain fields, so only the mutex orders them. */
    static final class Counter {
        int count;
        boolean inside;
        int overlaps;
        /** Lockers' ids in the order they held the lock; a plain array, cheap to model-check. */
        final int[] order = new int[4];
        int entries;

        void record(int id) {
            order[entries++] = id;
        }

        List<Integer> order() {
            List<Integer> l = new ArrayList<>();
            for (int i = 0; i < entries; i++) {
                l.add(order[i]);
            }
            return l;
        }
    }

    /**
     * Locks (or finishes a lock future polled before it started), checks nobody else is inside,
     * increments the counter with a separate read and write, records its id, unlocks.
     */
    static final class Locker extends Thread {
        final Mutex<Counter> mutex;
        final PollFuture<Mutex.Guard<Counter>> future;
        final CountingWaker waker;
        final int id;

        Locker(Mutex<Counter> mutex, int id) {
            this(mutex, mutex.lock(), new CountingWaker(), id);
        }

        Locker(Mutex<Counter> mutex, PollFuture<Mutex.Guard<Counter>> future, CountingWaker waker, int id) {
            this.mutex = mutex;
            this.future = future;
            this.waker = waker;
            this.id = id;
        }

        @Override
        public void run() {
            try (Mutex.Guard<Counter> guard = pollUntilReady(future, waker)) {
                Counter c = guard.get();
                if (c.inside) {
                    c.overlaps++;
                }
                c.inside = true;
                int seen = c.count;
                c.count = seen + 1;
                c.record(id);
                c.inside = false;
            }
        }
    }

    /** Closes a guard taken before it started. */
    static final class Unlocker extends Thread {
        final Mutex.Guard<Counter> guard;

        Unlocker(Mutex.Guard<Counter> guard) {
            this.guard = guard;
        }

        @Override
        public void run() {
            guard.close();
        }
    }

    /** Drops a lock future polled (pending) before it started, without polling it again. */
    static final class Dropper extends Thread {
        final PollFuture<Mutex.Guard<Counter>> future;

        Dropper(PollFuture<Mutex.Guard<Counter>> future) {
            this.future = future;
        }

        @Override
        public void run() {
            future.drop();
        }
    }

    static final int TRY = 9;

    /**
     * Closes a guard taken before it started, then at once tries to take the lock without
     * waiting; records {@link #TRY} if it got it.
     */
    static final class UnlockThenTry extends Thread {
        final Mutex<Counter> mutex;
        final Mutex.Guard<Counter> held;
        volatile boolean got;

        UnlockThenTry(Mutex<Counter> mutex, Mutex.Guard<Counter> held) {
            this.mutex = mutex;
            this.held = held;
        }

        @Override
        public void run() {
            held.close();
            Optional<Mutex.Guard<Counter>> guard = mutex.tryLock();
            if (guard.isPresent()) {
                got = true;
                try (Mutex.Guard<Counter> g = guard.get()) {
                    g.get().record(TRY);
                }
            }
        }
    }

    /** Checks the mutex is free and nobody waits; returns the value, read under the lock. */
    private static Counter unlockedValue(Mutex<Counter> mutex) {
        assertFalse(mutex.isLocked(), "the mutex is still locked at the end");
        Optional<Mutex.Guard<Counter>> guard = mutex.tryLock();
        assertTrue(guard.isPresent(), "the mutex is free but a waiter is still queued");
        try (Mutex.Guard<Counter> g = guard.get()) {
            return g.get();
        }
    }

    /**
     * Three lockers racing: never two inside at once, and no increment lost (the counter's
     * plain read and write are ordered only by the mutex); the mutex is free at the end.
     */
    @Test
    void threeLockersExcludeEachOtherAndLoseNoIncrement() {
        check(() -> {
            Mutex<Counter> mutex = new Mutex<>(new Counter());
            startAndJoin(new Locker(mutex, 1), new Locker(mutex, 2), new Locker(mutex, 3));
            Counter c = unlockedValue(mutex);
            assertEquals(0, c.overlaps, "two lockers were inside at once");
            assertEquals(3, c.count, "an increment was lost");
            assertEquals(3, c.entries, () -> "order " + c.order());
        });
    }

    /**
     * Fairness as documented (arrival order): two lock futures queue in order while the lock
     * is held, then the holder unlocks and at once tries to take it again without waiting.
     * The waiters get it in arrival order, and the try never overtakes them: it can only
     * succeed after both.
     */
    @Test
    void waitersGetTheLockInArrivalOrderAndATryNeverOvertakes() {
        check(() -> {
            Mutex<Counter> mutex = new Mutex<>(new Counter());
            Mutex.Guard<Counter> held = mutex.tryLock().orElseThrow();
            PollFuture<Mutex.Guard<Counter>> first = mutex.lock();
            CountingWaker firstWaker = new CountingWaker();
            assertTrue(poll(first, firstWaker).isPending());
            PollFuture<Mutex.Guard<Counter>> second = mutex.lock();
            CountingWaker secondWaker = new CountingWaker();
            assertTrue(poll(second, secondWaker).isPending());
            UnlockThenTry unlocker = new UnlockThenTry(mutex, held);
            startAndJoin(unlocker, new Locker(mutex, first, firstWaker, 1), new Locker(mutex, second, secondWaker, 2));
            Counter c = unlockedValue(mutex);
            List<Integer> expected = unlocker.got ? List.of(1, 2, TRY) : List.of(1, 2);
            assertEquals(expected, c.order(), "lock order");
            assertEquals(0, c.overlaps, "two lockers were inside at once");
        });
    }

    /**
     * A queued lock future dropped (without another poll) while the holder unlocks and another
     * locker arrives: if the lock had already been handed to the dropped future, it goes on to
     * the next waiter (else that one spins forever); the mutex is free at the end.
     */
    @Test
    void aDroppedLockWaiterDoesNotLoseTheLock() {
        check(() -> {
            Mutex<Counter> mutex = new Mutex<>(new Counter());
            Mutex.Guard<Counter> held = mutex.tryLock().orElseThrow();
            PollFuture<Mutex.Guard<Counter>> quitter = mutex.lock();
            assertTrue(poll(quitter, new CountingWaker()).isPending());
            startAndJoin(new Unlocker(held), new Dropper(quitter), new Locker(mutex, 1));
            Counter c = unlockedValue(mutex);
            assertEquals(List.of(1), c.order(), "lock order");
            assertEquals(1, c.count);
        });
    }
}
