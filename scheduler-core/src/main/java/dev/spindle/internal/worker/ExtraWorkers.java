package dev.spindle.internal.worker;

import dev.spindle.internal.jfr.Jfr;
import dev.spindle.internal.task.IdleLog;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The extra workers that compensate for blocked ones, and the list of every worker that
 * searches may steal from. Any thread; changes under one lock (they are rare), reads without.
 *
 * <p>An extra is a worker with its own queues, in {@link #all} (what searches steal from) but not
 * in {@code Idle}. It steals like any searcher without taking a search slot. It is a guest: tasks
 * it polls keep their core home, tasks it spawns get none, and its spawn and completion counts
 * go to the lifecycle's shared counters. So no other thread ever puts a task in its queues; when
 * it has found nothing for a while its own queues are empty for good, and it leaves. Tasks that
 * go idle on an extra are listed in one {@link IdleLog} that all extras share, so that close and
 * shutdownNow can still cancel them after their extra has left.
 */
final class ExtraWorkers {
    private final Scheduler scheduler;
    private final Worker[] core;
    private final int max;
    private final Object lock = new Object();
    /** Extras started so far, for their names; guarded by {@link #lock}. */
    private int started;
    /** Core workers then live extras. Copy-on-write under {@link #lock}. */
    private volatile Worker[] all;
    /** Threads of live extras, for joining. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    /** Why the monitor starts an extra. */
    static final String BLOCKED = "workers blocked with work queued";
    /** Why a worker entering {@code Tasks.blockInPlace} starts one. */
    static final String BLOCK_IN_PLACE = "a worker blocks in place and no peer is free";
    /** Where tasks that go idle on any extra are logged. */
    final IdleLog sharedLog = new IdleLog(true);

    ExtraWorkers(Scheduler scheduler, Worker[] core, int max) {
        this.scheduler = scheduler;
        this.core = core;
        this.max = max;
        this.all = core;
    }

    /** Core workers then live extras: what searches steal from, and what the monitor watches. */
    Worker[] all() {
        return all;
    }

    /** No extra is alive (one that has retired may still be finishing its exit). */
    boolean none() {
        return all.length == core.length;
    }

    int alive() {
        return all.length - core.length;
    }

    /**
     * Starts an extra worker, unless the runtime is stopping or enough extras run already.
     * Called by the monitor when every worker that could run queued work is blocked, and by a
     * worker entering a blocking section while no peer is free.
     */
    boolean start() {
        return start(BLOCKED);
    }

    /** {@link #start()}, saying why (for the {@code dev.spindle.ExtraWorkerStarted} event). */
    boolean start(String reason) {
        Worker w;
        int alive;
        synchronized (lock) {
            if (scheduler.lifecycle.isStopping() || alive() >= max || !scheduler.lifecycle.addWorker()) {
                return false; // counted alive before it exists, so termination waits for it
            }
            int index = core.length + started++;
            w = scheduler.newWorker(index, true, "extra-" + index);
            Worker[] grown = Arrays.copyOf(all, all.length + 1);
            grown[grown.length - 1] = w;
            all = grown;
            threads.add(w.thread);
            alive = alive();
        }
        Jfr.extraStarted(scheduler.name, w.index, w.thread.getName(), alive, reason);
        w.thread.start();
        return true;
    }

    /** An extra with nothing to do leaves the list; it exits right after. */
    void retire(Worker w) {
        synchronized (lock) {
            Worker[] cur = all;
            Worker[] shrunk = new Worker[cur.length - 1];
            int j = 0;
            for (Worker x : cur) {
                if (x != w) {
                    shrunk[j++] = x;
                }
            }
            all = shrunk;
        }
        Jfr.extraRetired(scheduler.name, w.index, w.thread.getName(), "idle: found no work for a while");
        scheduler.lifecycle.cancelIdleIfQuiet(); // this extra may have been the last thing awake
    }

    /** An extra's thread is exiting. */
    void exited(Worker w) {
        threads.remove(w.thread);
        if (Arrays.asList(all).contains(w)) {
            Jfr.extraRetired(scheduler.name, w.index, w.thread.getName(), "the runtime terminated");
        }
    }

    /** Waits for every extra's thread to end. */
    void join() throws InterruptedException {
        for (Thread t : threads.toArray(new Thread[0])) {
            t.join();
        }
    }
}
