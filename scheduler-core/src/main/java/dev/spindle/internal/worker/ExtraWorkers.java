package dev.spindle.internal.worker;

import dev.spindle.internal.jfr.Jfr;
import dev.spindle.internal.task.IdleLog;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The extra workers that compensate for blocked ones, the spares among them, and the list of
 * every worker that searches may steal from. Any thread; changes under one lock (they come at
 * most once per blocking episode), reads of {@link #all} without.
 *
 * <p>An extra is a worker with its own queues, in {@link #all} (what searches steal from) but not
 * in {@code Idle}. It steals like any searcher without taking a search slot. It is a guest: tasks
 * it polls keep their core home, tasks it spawns get none, and its spawn and completion counts
 * go to the lifecycle's shared counters. So no other thread ever puts a task in its queues; when
 * it has found nothing for a while its own queues are empty for good, and it leaves {@link #all}
 * to park as a <em>spare</em> ({@link #toSpare}). The next compensation wakes the most recently
 * parked spare ({@link #compensate}) rather than starting a thread; a spare nobody wakes for
 * {@link #SPARE_KEEP_ALIVE_NANOS} exits. Extras alive (active and spare) never exceed the
 * configured bound. Tasks that go idle on an extra are listed in one {@link IdleLog} that all
 * extras share, so that close and shutdownNow can still cancel them after their extra has left.
 *
 * <p>Who touches what: {@code spares}, {@code live}, {@code started} and each worker's
 * {@code spareWoken} change under {@link #lock}; a spare reads its {@code spareWoken} (volatile)
 * before each park, and whoever sets it unparks the spare afterwards (the parker's permit is
 * sticky), so a wake-up is never lost.
 */
final class ExtraWorkers {
    /** How long a spare waits to be woken before its thread exits (ForkJoinPool's keep-alive). */
    static final long SPARE_KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Scheduler scheduler;
    private final Worker[] core;
    private final int max;
    private final Object lock = new Object();
    /** Extra threads started so far, for their names and for tests; guarded by {@link #lock}. */
    private int started;
    /** Extras alive, active or spare; guarded by {@link #lock}. */
    private int live;
    /** Parked spares, the most recently parked first; guarded by {@link #lock}. */
    private final ArrayDeque<Worker> spares = new ArrayDeque<>();
    /** Core workers then active extras. Copy-on-write under {@link #lock}. */
    private volatile Worker[] all;
    /** Extras started and not yet pruned after their thread ended: for joining and for waking. */
    private final Set<Worker> extras = ConcurrentHashMap.newKeySet();
    /** Why the monitor adds a thread for a blocked worker (the {@code dev.spindle.ExtraWorkerStarted} reason). */
    static final String BLOCKED = "workers blocked with work queued";
    /** Why a worker entering {@code Tasks.blockInPlace} adds one. */
    static final String BLOCK_IN_PLACE = "a worker blocks in place and no peer is free";
    /** Why the monitor adds one to run a blocked worker's spawns while enough threads run. */
    static final String RESCUE = "a blocked worker's spawns wait behind busy threads";
    /** Where tasks that go idle on any extra are logged. */
    final IdleLog sharedLog = new IdleLog(null);

    ExtraWorkers(Scheduler scheduler, Worker[] core, int max) {
        this.scheduler = scheduler;
        this.core = core;
        this.max = max;
        this.all = core;
    }

    /** Core workers then active extras: what searches steal from, and what the monitor watches. */
    Worker[] all() {
        return all;
    }

    /** No extra is active (spares may be parked; one that has retired may still be exiting). */
    boolean none() {
        return all.length == core.length;
    }

    /** Active extras (spares not counted). */
    int alive() {
        return all.length - core.length;
    }

    /** Parked spares. */
    int spares() {
        synchronized (lock) {
            return spares.size();
        }
    }

    /** Extra threads alive now, active and spare: what {@code max} bounds. */
    int live() {
        synchronized (lock) {
            return live;
        }
    }

    /** Extra threads started so far. */
    int started() {
        synchronized (lock) {
            return started;
        }
    }

    /**
     * Adds a thread to run queued work while a worker blocks: wakes a parked spare, or starts an
     * extra unless the runtime is stopping or the bound is reached. Called by the monitor when a
     * blocked worker leaves fewer runnable workers than configured, and by a worker entering a
     * blocking section while no peer is free.
     *
     * @param blocked the blocked worker whose queued work the new thread takes first, or null
     * @return false if no thread could be added
     */
    boolean compensate(Worker blocked) {
        return compensate(blocked, false, BLOCKED);
    }

    /**
     * As {@link #compensate(Worker)}; with {@code rescueOnly}, the thread added runs only the
     * oldest task of {@code blocked}'s spawn stack (and what that spawns), then parks as a spare
     * again: a blocked worker's newest spawns are what it most likely waits on, and the workers
     * that are running would reach them only after their own queues.
     */
    boolean compensate(Worker blocked, boolean rescueOnly, String reason) {
        Worker w;
        boolean fresh;
        int alive;
        synchronized (lock) {
            if (scheduler.lifecycle.isStopping()) {
                return false;
            }
            w = spares.pollFirst();
            fresh = w == null;
            if (fresh) {
                if (live >= max || !scheduler.lifecycle.addWorker()) {
                    return false; // counted alive before it exists, so termination waits for it
                }
                live++;
                int index = core.length + started++;
                w = scheduler.newWorker(index, true, "extra-" + index);
                extras.removeIf(x -> !x.thread.isAlive() && x.exited); // ended for good: nothing to join
                extras.add(w);
            } else {
                w.spareWoken = true;
            }
            w.rescueOnly = rescueOnly;
            w.helpFirst = blocked;
            all = with(all, w);
            alive = live;
        }
        if (fresh) {
            Jfr.extraStarted(scheduler.name, w.index, w.thread.getName(), alive, reason);
            w.thread.start();
        } else {
            w.parker.unpark();
        }
        return true;
    }

    /**
     * Owner: an extra with nothing to do leaves {@link #all} and parks as a spare. Its queues are
     * empty (only its own thread fills them).
     */
    void toSpare(Worker w) {
        synchronized (lock) {
            all = without(all, w);
            w.spareWoken = false;
            spares.addFirst(w);
        }
        scheduler.lifecycle.cancelIdleIfQuiet(); // this extra may have been the last thing awake
    }

    /**
     * Owner: a spare whose keep-alive ran out (or the runtime terminated) leaves for good.
     *
     * @return true if it left; false if a compensation woke it meanwhile (it is active again)
     */
    boolean retireSpare(Worker w) {
        synchronized (lock) {
            if (!spares.remove(w)) {
                return false;
            }
            live--;
        }
        Jfr.extraRetired(scheduler.name, w.index, w.thread.getName(),
                scheduler.lifecycle.runState() == Lifecycle.TERMINATED ? "the runtime terminated"
                        : "a spare not needed for " + TimeUnit.NANOSECONDS.toSeconds(SPARE_KEEP_ALIVE_NANOS) + " s");
        return true;
    }

    /** Unparks every live extra, active or spare, so it re-reads the run state. */
    void unparkAll() {
        for (Worker w : extras) {
            w.parker.unpark();
        }
    }

    /**
     * An extra's thread is exiting. It stays in the set until a later start prunes it, so that
     * {@link #join} still waits for the rest of its thread (the stop hook runs after this).
     */
    void exited(Worker w) {
        w.exited = true;
    }

    /** Waits for every extra's thread to end. */
    void join() throws InterruptedException {
        for (Worker w : extras.toArray(new Worker[0])) {
            w.thread.join();
        }
    }

    private static Worker[] with(Worker[] cur, Worker w) {
        Worker[] grown = Arrays.copyOf(cur, cur.length + 1);
        grown[cur.length] = w;
        return grown;
    }

    private static Worker[] without(Worker[] cur, Worker w) {
        Worker[] shrunk = new Worker[cur.length - 1];
        int j = 0;
        for (Worker x : cur) {
            if (x != w) {
                shrunk[j++] = x;
            }
        }
        return shrunk;
    }
}
