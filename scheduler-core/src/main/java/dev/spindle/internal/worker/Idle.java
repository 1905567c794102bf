package dev.spindle.internal.worker;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who is searching and who sleeps. {@code state} packs the number of unparked workers (high
 * 16 bits) and of searching workers (low 16 bits) so that a producer can decide with one
 * volatile read whether anybody needs waking. The sleeper stack and each worker's
 * {@code sleeping}/{@code wakeAsSearcher} flags change only under this object's lock.
 *
 * <p>The pairing that prevents a lost wake-up: a producer makes its work visible with a
 * volatile CAS and then reads {@code state}; a worker going to sleep changes {@code state}
 * (under the lock) and then re-checks the queues. One of the two sees the other.
 */
final class Idle {
    private static final int UNPARKED_ONE = 1 << 16;
    private static final int SEARCHING_MASK = 0xFFFF;

    private final int numWorkers;
    private final AtomicInteger state;
    private final Worker[] sleepers; // guarded by this
    private int numSleepers;         // guarded by this

    Idle(int numWorkers) {
        this.numWorkers = numWorkers;
        this.state = new AtomicInteger(numWorkers * UNPARKED_ONE);
        this.sleepers = new Worker[numWorkers];
    }

    /** At most half the workers (at least one) search at once. */
    boolean tryStartSearching() {
        for (;;) {
            int s = state.get();
            int searching = s & SEARCHING_MASK;
            if (searching > 0 && 2 * searching >= numWorkers) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** @return true if the caller was the last searcher */
    boolean stopSearching() {
        return (state.getAndDecrement() & SEARCHING_MASK) == 1;
    }

    int searching() {
        return state.get() & SEARCHING_MASK;
    }

    /**
     * Picks a sleeper to wake as a searcher, if nobody searches and somebody sleeps. The caller
     * unparks the worker returned.
     */
    Worker workerToNotify() {
        int s = state.get(); // volatile read: pairs with the producer's CAS that came before it
        if ((s & SEARCHING_MASK) != 0 || (s >>> 16) >= numWorkers) {
            return null;
        }
        synchronized (this) {
            s = state.get();
            if ((s & SEARCHING_MASK) != 0 || numSleepers == 0) {
                return null;
            }
            Worker w = sleepers[--numSleepers];
            sleepers[numSleepers] = null;
            state.addAndGet(UNPARKED_ONE + 1);
            w.wakeAsSearcher = true;
            w.sleeping = false;
            return w;
        }
    }

    /**
     * Registers {@code w} as sleeping. The caller re-checks for work afterwards.
     *
     * @return true if {@code w} was the last searcher
     */
    boolean toSleeping(Worker w, boolean wasSearching) {
        synchronized (this) {
            int after = state.addAndGet(-UNPARKED_ONE - (wasSearching ? 1 : 0));
            w.sleeping = true;
            sleepers[numSleepers++] = w;
            return wasSearching && (after & SEARCHING_MASK) == 0;
        }
    }

    /**
     * Takes {@code w} off the sleeper stack if it is there (it found work before parking, or a
     * task was sent to it).
     *
     * <p>If every worker was asleep, the others parked with no deadline; now that one is awake
     * they must re-check periodically instead (a task it puts in its LIFO slot or local queue
     * notifies nobody). So one of them is poked: it stays asleep, wakes, sees that not all
     * workers sleep, and parks again with a deadline; the others follow the same way as they
     * wake, or are woken as searchers.
     *
     * @return true if this call woke it; false if it was awake already
     */
    boolean wakeIfSleeping(Worker w) {
        if (!w.sleeping) {
            return false;
        }
        Worker poke = null;
        synchronized (this) {
            if (!w.sleeping) {
                return false;
            }
            boolean wasAllAsleep = numSleepers == numWorkers;
            for (int i = 0; i < numSleepers; i++) {
                if (sleepers[i] == w) {
                    sleepers[i] = sleepers[--numSleepers];
                    sleepers[numSleepers] = null;
                    break;
                }
            }
            state.addAndGet(UNPARKED_ONE);
            w.wakeAsSearcher = false;
            w.sleeping = false;
            if (wasAllAsleep && numSleepers > 0) {
                poke = sleepers[0];
            }
        }
        if (poke != null) {
            poke.parker.unpark();
        }
        return true;
    }

    boolean allSleeping() {
        synchronized (this) {
            return numSleepers == numWorkers;
        }
    }

    /** Wakes every sleeper (termination). The caller unparks all workers. */
    void wakeAll() {
        synchronized (this) {
            while (numSleepers > 0) {
                Worker w = sleepers[--numSleepers];
                sleepers[numSleepers] = null;
                state.addAndGet(UNPARKED_ONE);
                w.wakeAsSearcher = false;
                w.sleeping = false;
            }
        }
    }
}
