package dev.spindle.internal.task;

import java.util.ArrayList;
import java.util.List;

/**
 * The tasks that have waited at least once and are not complete, in shards with a lock each
 * (one shard per worker, so registration is mostly uncontended). Shutdown uses it to cancel
 * tasks whose wake-up will never come.
 */
public final class TaskRegistry {
    private final Shard[] shards;

    public TaskRegistry(int shards) {
        this.shards = new Shard[shards];
        for (int i = 0; i < shards; i++) {
            this.shards[i] = new Shard();
        }
    }

    /** Registers the task if it is not yet; called by the owner of RUNNING. */
    public void registerIfAbsent(TaskCell<?> t, int shard) {
        if (t.registeredShard >= 0) {
            return;
        }
        Shard s = shards[shard];
        synchronized (s) {
            t.regNext = s.head;
            if (s.head != null) {
                s.head.regPrev = t;
            }
            s.head = t;
            s.size++;
        }
        t.registeredShard = shard;
    }

    /** Removes a completing task; called by the owner of RUNNING. */
    public void deregister(TaskCell<?> t) {
        int shard = t.registeredShard;
        if (shard < 0) {
            return;
        }
        Shard s = shards[shard];
        synchronized (s) {
            if (t.regPrev != null) {
                t.regPrev.regNext = t.regNext;
            } else {
                s.head = t.regNext;
            }
            if (t.regNext != null) {
                t.regNext.regPrev = t.regPrev;
            }
            t.regPrev = null;
            t.regNext = null;
            s.size--;
        }
        t.registeredShard = -1;
    }

    /** A copy of every registered task, taken shard by shard. */
    public List<TaskCell<?>> snapshot() {
        List<TaskCell<?>> out = new ArrayList<>();
        for (Shard s : shards) {
            synchronized (s) {
                for (TaskCell<?> t = s.head; t != null; t = t.regNext) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    public int size() {
        int n = 0;
        for (Shard s : shards) {
            synchronized (s) {
                n += s.size;
            }
        }
        return n;
    }

    /** One shard: the lock is the shard object itself, and it guards these two fields. */
    private static final class Shard {
        TaskCell<?> head;
        int size;
    }
}
