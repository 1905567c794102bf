package dev.spindle.internal.worker;

import dev.spindle.internal.queue.Inbox;
import dev.spindle.internal.queue.Injector;
import dev.spindle.internal.queue.LocalQueue;
import dev.spindle.internal.queue.SpawnStack;
import dev.spindle.internal.task.TaskCell;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/*
 * The fields in three groups on cache lines of their own (superclass fields come first in the
 * object, and the pads keep the groups 128 bytes apart):
 *   RunQueueCold    final, read by every thread that wakes or steals (queues, injector)
 *   RunQueueOwner   written by the owner on every task (streak, counters)
 *   RunQueue        the LIFO slot, which thieves may take from
 * Without the split, a thief's swap of the slot invalidated the line every spawn reads.
 */

/** Padding before the queues' fields, so they share no line with the previous object. */
abstract class RunQueuePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** Fields read by everybody: final. */
abstract class RunQueueCold extends RunQueuePad0 {
    /** Tasks spawned here: the owner's LIFO (depth-first), thieves take the oldest. */
    final SpawnStack<Object> spawned;
    final LocalQueue<Object> local;
    final Inbox<Object> inbox;
    final Injector injector;
    /** Wakes a sleeping peer as a searcher: after a push that no wake-up announces. */
    final Runnable notifyPeer;

    /**
     * The spawn stack holds at most this many tasks (fewer if the local queue is smaller): thieves
     * take from it one at a time, so a deep stack would keep a burst of spawns where peers reach
     * it slowest; the rest goes to the local queue, which thieves take half of at once.
     */
    static final int SPAWN_STACK_CAPACITY = 256;

    RunQueueCold(int localCapacity, int inboxCapacity, Injector injector, Runnable notifyPeer) {
        this.spawned = new SpawnStack<>(Math.min(localCapacity, SPAWN_STACK_CAPACITY));
        this.local = new LocalQueue<>(localCapacity);
        this.inbox = new Inbox<>(inboxCapacity);
        this.injector = injector;
        this.notifyPeer = notifyPeer;
    }
}

abstract class RunQueuePad1 extends RunQueueCold {
    long p20, p21, p22, p23, p24, p25, p26, p27;
    long p30, p31, p32, p33, p34, p35, p36, p37;

    RunQueuePad1(int localCapacity, int inboxCapacity, Injector injector, Runnable notifyPeer) {
        super(localCapacity, inboxCapacity, injector, notifyPeer);
    }
}

/** Written only by the owner; the counters are read racily by metrics. */
abstract class RunQueueOwner extends RunQueuePad1 {
    int lifoStreak;
    /** Tasks queued onto this worker by itself: spawns and wakes on its own thread, requeues. */
    long localSchedules;
    /** Tasks that reached this worker from its inbox or the injector. */
    long remoteSchedules;
    long overflows;
    /** Where the next injector batch is looked for first: this worker's turn over the stripes. */
    int stripeCursor;

    RunQueueOwner(int localCapacity, int inboxCapacity, Injector injector, Runnable notifyPeer) {
        super(localCapacity, inboxCapacity, injector, notifyPeer);
    }
}

abstract class RunQueuePad2 extends RunQueueOwner {
    long p40, p41, p42, p43, p44, p45, p46, p47;
    long p50, p51, p52, p53, p54, p55, p56, p57;

    RunQueuePad2(int localCapacity, int inboxCapacity, Injector injector, Runnable notifyPeer) {
        super(localCapacity, inboxCapacity, injector, notifyPeer);
    }
}

abstract class RunQueueSlot extends RunQueuePad2 {
    /** The task woken or spawned last on this worker, run next. The owner fills it; thieves take it. */
    volatile TaskCell<?> lifo;

    RunQueueSlot(int localCapacity, int inboxCapacity, Injector injector, Runnable notifyPeer) {
        super(localCapacity, inboxCapacity, injector, notifyPeer);
    }
}

/**
 * One worker's run queues and the owner's policy over them: the LIFO slot and its streak, the
 * bounded local queue and its overflow to the injector, and the inbox that other threads wake
 * tasks into. Methods say who may call them: "owner" is the worker's own thread (or a thread
 * acting for it while it blocks in place never touches them: it counts as an outside thread).
 *
 * <p>The slot's memory modes are named as JCTools names them: {@code lv} (acquire load),
 * {@code so} (release store), {@code cas}, {@code xchg}. Only the owner puts tasks in the slot
 * and thieves only ever swap a task out for null, so filling an empty slot is a release store,
 * and only displacing a task needs a compare-and-set (which fails only if a thief took it).
 */
final class RunQueue extends RunQueueSlot {
    long p60, p61, p62, p63, p64, p65, p66, p67;
    long p70, p71, p72, p73, p74, p75, p76, p77;

    /** The slot serves at most this many tasks in a row; then its task goes to the back of the line. */
    static final int MAX_LIFO_STREAK = 3;
    /**
     * Whether the optional per-task counters (local and remote schedules) are kept. Always on
     * for users; the system property {@code spindle.metrics.disabled} exists only so that a
     * benchmark can show what they cost. A static final, so the JIT folds the tests away.
     */
    static final boolean COUNT = !Boolean.getBoolean("spindle.metrics.disabled");

    private static final VarHandle LIFO;

    static {
        try {
            LIFO = MethodHandles.lookup().findVarHandle(RunQueueSlot.class, "lifo", TaskCell.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Gathers a batch for the injector; owner only, reused. */
    private final Batch batch;

    RunQueue(int localCapacity, int inboxCapacity, Injector injector, Runnable notifyPeer) {
        super(localCapacity, inboxCapacity, injector, notifyPeer);
        this.batch = new Batch(local.capacity() / 2 + 1);
    }

    // ------------------------------------------------------------------ the slot's access modes

    private TaskCell<?> lvLifo() {
        return (TaskCell<?>) LIFO.getAcquire(this);
    }

    private void soLifo(TaskCell<?> t) {
        LIFO.setRelease(this, t);
    }

    private boolean casLifo(TaskCell<?> expect, TaskCell<?> t) {
        return LIFO.compareAndSet(this, expect, t);
    }

    private TaskCell<?> xchgLifo(TaskCell<?> t) {
        return (TaskCell<?>) LIFO.getAndSet(this, t);
    }

    // ------------------------------------------------------------------ owner: queueing

    /**
     * Owner: a task spawned by the task this worker runs goes on the spawn stack, so this
     * worker's own spawns run newest first (depth-first, as ForkJoinPool's owner pops) while
     * thieves take the oldest; a full stack sends it to the back of the local queue.
     */
    void spawn(Object t) {
        if (COUNT) {
            localSchedules++;
        }
        if (!spawned.push(t)) {
            pushLocal(t);
        }
        notifyPeer.run(); // the push is a release store, no fence: sleepers re-check (below)
    }

    /** Owner: a task woken on this worker's thread goes to the slot; the task it displaces, to the back. */
    void wake(TaskCell<?> t) {
        if (COUNT) {
            localSchedules++;
        }
        TaskCell<?> prev = lvLifo();
        if (prev == null) {
            soLifo(t);
            return;
        }
        if (casLifo(prev, t)) {
            pushLocal(prev);
            notifyPeer.run();
        } else {
            soLifo(t); // a thief emptied it
        }
    }

    /** Owner: a task that must run again after its poll (a yield): the back of the line. */
    void requeue(TaskCell<?> t) {
        if (COUNT) {
            localSchedules++;
        }
        pushLocal(t);
        notifyPeer.run();
    }

    /*
     * A local-queue offer is only a release store, and no fence follows it: the read of the idle
     * state in notifyPeer may pass it, and a peer falling asleep at that instant may miss the
     * task. Sleepers close that gap themselves (they re-check every millisecond while a peer is
     * awake), which keeps a full fence off every spawn.
     */

    /** Owner: to the local queue, or, when it is full, its older half and {@code t} to the injector. */
    private void pushLocal(Object t) {
        if (!local.offer(t)) {
            overflows++;
            local.drain(batch, local.capacity() / 2);
            batch.accept(t);
            batch.spillTo(injector);
            notifyPeer.run(); // the injector's size write is volatile: no fence needed before it
        }
    }

    /**
     * Owner, about to block in place: everything queued here (slot, local queue, inbox) goes to
     * the injector for peers to take. Nobody is told here: the caller then compensates (wakes a
     * sleeper or starts an extra worker).
     */
    void spillAll() {
        drainAll(t -> {
            batch.accept(t);
            if (batch.full()) {
                batch.spillTo(injector);
            }
        });
        batch.spillTo(injector);
    }

    // ------------------------------------------------------------------ owner: taking

    /**
     * Owner: its newest own work: the slot's task, else the top of the spawn stack. Together
     * they serve at most {@link #MAX_LIFO_STREAK} tasks in a row while older work waits in the
     * local queue: then the slot's task goes to the back of that queue (so two tasks that wake
     * each other cannot starve the rest), and the stack waits one turn. Null if neither gave
     * anything, or the streak is spent.
     */
    Object pollOwn() {
        if (lvLifo() != null) {
            TaskCell<?> l = xchgLifo(null);
            if (l != null) {
                if (lifoStreak < MAX_LIFO_STREAK) {
                    lifoStreak++;
                    return l;
                }
                pushLocal(l);
                lifoStreak = 0;
                return null;
            }
        }
        if (lifoStreak >= MAX_LIFO_STREAK) {
            lifoStreak = 0;
            if (!local.isEmpty()) {
                return null; // the local queue's turn
            }
        }
        Object t = spawned.pop();
        if (t != null) {
            lifoStreak++;
            return t;
        }
        lifoStreak = 0;
        return null;
    }

    /** Owner: the next task from the local queue, then the inbox. */
    Object pollLocalThenInbox() {
        Object t = local.poll();
        if (t == null) {
            t = inbox.poll();
            if (COUNT && t != null) {
                remoteSchedules++;
            }
        }
        return t;
    }

    /** Room for a batch from elsewhere: at most half a local queue, and no more than is free. */
    private int batchRoom() {
        return Math.min(local.capacity() - local.size(), local.capacity() / 2);
    }

    /**
     * Owner, at the fairness check: one task from the inbox to run, and the rest (up to
     * {@link #batchRoom}) to the back of the local queue. One task per fairness check would let a
     * worker whose local queue never empties (say, refilled by its own I/O events) leave tasks
     * woken by others waiting 61 polls each; a batch waits one pass of the local queue.
     */
    Object pollInboxBatch() {
        Object first = inbox.poll();
        if (first == null) {
            return null;
        }
        lifoStreak = 0;
        int room = batchRoom();
        int moved = 0;
        Object t;
        while (moved < room && (t = inbox.poll()) != null) {
            pushLocal(t); // never full: only this thread adds, and the room was counted
            moved++;
        }
        if (COUNT) {
            remoteSchedules += 1 + moved;
        }
        return first;
    }

    /**
     * Owner: one task from the injector to run, and a fair share of the rest (its size over
     * {@code workers}, within {@link #batchRoom}) into the local queue, all from one stripe,
     * looked for from this worker's rotating start. Taking a share, not one task, is what evens
     * out a burst of outside submissions that one worker happened to meet first. With older
     * tasks in the local queue (at the fairness check), the batch queues behind them and the
     * oldest local task is returned. {@code workers} is {@link Integer#MAX_VALUE} for a share of
     * one task (a blocking episode), which skips the empty check and the size estimate (each a
     * read of every stripe): the take looks at each stripe anyway.
     */
    Object pollInjectorBatch(int workers) {
        if (workers != Integer.MAX_VALUE && injector.isEmpty()) {
            return null;
        }
        int share = workers == Integer.MAX_VALUE ? 1 : injector.size() / workers + 1;
        int before = local.size();
        int room = batchRoom();
        if (before > 0 && room == 0) {
            // A full local queue: it overflows to the injector at its next push, so it cannot
            // stay full; the injector's turn comes at a later check.
            return null;
        }
        int max = Math.max(1, Math.min(share, room));
        Object t;
        int taken;
        if (before == 0) {
            t = injector.pollBatch(local, max, stripeCursor++);
            taken = t == null ? 0 : 1 + local.size();
        } else {
            // The fairness check, with older tasks queued here: the batch goes behind them, so
            // that one outside thread's tasks, taken in two batches, still run in its order.
            taken = injector.moveBatch(local, max, stripeCursor++) ? Math.max(1, local.size() - before) : 0;
            t = taken > 0 ? local.poll() : null;
        }
        if (t != null) {
            lifoStreak = 0;
        }
        if (COUNT) {
            remoteSchedules += taken;
        }
        return t;
    }

    /**
     * Owner (the thief): about half of {@code victim}'s local queue into this (empty) local
     * queue, else the oldest task of its spawn stack (one: in a tree, the biggest subtree left),
     * else half of its inbox; the first is returned to run.
     */
    Object stealFrom(RunQueue victim, boolean one) {
        Object t = one ? victim.local.poll() : victim.local.stealHalfInto(local);
        if (t == null) {
            t = victim.spawned.steal();
        }
        return t != null ? t : victim.inbox.stealHalfInto(local);
    }

    /**
     * Owner (the thief), helping a worker blocked inside a poll: the oldest task of its spawn
     * stack first (what the blocked task spawned, which it most likely waits on), else as
     * {@link #stealFrom}.
     */
    Object stealForBlocked(RunQueue victim, boolean one) {
        Object t = victim.spawned.steal();
        return t != null ? t : stealFrom(victim, one);
    }

    /** Any thread: the oldest task of this worker's spawn stack, or null. */
    Object stealSpawned() {
        return spawned.steal();
    }

    /** Any thread (a racy estimate): tasks in the LIFO slot or the spawn stack. */
    boolean hasSpawned() {
        return lvLifo() != null || !spawned.isEmpty();
    }

    /** Any thread, as a last resort: the slot's task of a worker that may be stuck in a long poll. */
    TaskCell<?> stealLifo() {
        return lvLifo() != null ? xchgLifo(null) : null;
    }

    // ------------------------------------------------------------------ any thread

    /** A wake from another thread; false if the inbox is full (the caller uses the injector). */
    boolean offerInbox(TaskCell<?> t) {
        return inbox.offer(t);
    }

    /** Anything queued here (a racy estimate). */
    boolean hasWork() {
        return lvLifo() != null || !spawned.isEmpty() || !local.isEmpty() || !inbox.isEmpty();
    }

    /** How many tasks are queued here (a racy estimate). */
    int queued() {
        return (lvLifo() != null ? 1 : 0) + spawned.size() + local.size() + inbox.size();
    }

    /**
     * Any thread, taking nothing (the task dump): what is queued here, with the name of the
     * queue it sits in; racy reads (see each queue's {@code forEachRacy}).
     */
    void forEachQueuedRacy(BiConsumer<String, Object> sink) {
        TaskCell<?> l = lvLifo();
        if (l != null) {
            sink.accept("LIFO slot", l);
        }
        spawned.forEachRacy(t -> sink.accept("spawn stack", t));
        local.forEachRacy(t -> sink.accept("local queue", t));
        inbox.forEachRacy(t -> sink.accept("inbox", t));
    }

    /** Takes everything queued here, slot first (shutdownNow, or the owner blocking in place). */
    void drainAll(Consumer<Object> sink) {
        TaskCell<?> l = xchgLifo(null);
        if (l != null) {
            sink.accept(l);
        }
        spawned.drain(sink);
        Object t;
        while ((t = local.poll()) != null) {
            sink.accept(t);
        }
        while ((t = inbox.poll()) != null) {
            sink.accept(t);
        }
    }

    /** A batch for the injector, oldest first, in a reused array: no allocation per task. */
    private static final class Batch implements Consumer<Object> {
        private final Object[] tasks;
        private int count;

        Batch(int capacity) {
            this.tasks = new Object[capacity];
        }

        @Override
        public void accept(Object t) {
            tasks[count++] = t;
        }

        boolean full() {
            return count == tasks.length;
        }

        /** Everything gathered goes to {@code injector} in one lock hold. */
        void spillTo(Injector injector) {
            if (count > 0) {
                injector.pushAll(tasks, count);
                count = 0;
            }
        }
    }
}
