package dev.spindle.internal.task;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.function.Consumer;

/**
 * The tasks that went idle (returned pending) on one worker, or on any of the extra workers, so
 * that {@code close} and {@code shutdownNow} can cancel tasks whose wake-up may never come.
 *
 * <p>A core worker's log is owner-only: no lock and no shared write on the pending path (the
 * task dump reads it racily, and writes nothing). The
 * extras share one log (no owner), under this object's lock, since an extra may leave at
 * any time and its log must not leave with it; that path is rare.
 *
 * <p>A core worker's log lists the tasks whose home is that worker: a task is appended at its
 * first wait (its first pending poll, which is unclaimed, as is any poll not queued RUNNING) and
 * at the first pending poll after its home moved here, not at every poll (see
 * {@code TaskCell.run}). Finished tasks, tasks
 * whose home has moved on, and duplicates are dropped when the array fills. The racy read of
 * the home there is safe: a stale "here" keeps a harmless duplicate; a home elsewhere was put
 * there by a worker that then polled the task, and lists it at its next wait there (a task
 * whose home moves is listed again, by the new home's log, before it goes idle); and a
 * finished task needs no cancelling. The extras' shared log lists the tasks whose first wait
 * was on an extra, which leaves homes alone, and keeps each until it finishes.
 */
public final class IdleLog {
    private static final int INITIAL = 64;

    /** The core worker whose log this is; null for the extras' shared log. */
    private final TaskHome owner;
    private TaskCell<?>[] entries = new TaskCell<?>[INITIAL];
    private int size;

    /**
     * @param owner the core worker (the home it gives the tasks it polls) whose log this is; null
     *     for the extras' log, which several threads append to (under its lock)
     */
    public IdleLog(TaskHome owner) {
        this.owner = owner;
    }

    private boolean shared() {
        return owner == null;
    }

    /** Lists {@code t}. Called while the caller owns {@code t} (see the class notes for when). */
    void add(TaskCell<?> t) {
        if (shared()) {
            synchronized (this) {
                append(t);
            }
        } else {
            append(t);
        }
    }

    private void append(TaskCell<?> t) {
        if (size == entries.length) {
            compact();
        }
        entries[size++] = t;
    }

    /**
     * Drops finished tasks and tasks whose home has moved away from this log's worker; then,
     * only if that did not free half the array, duplicates too (a task that moved away and came
     * back is listed twice), and grows if still needed. Duplicates left in a half-empty log are
     * harmless (an abort of a task twice is one abort), so the common compaction, where most
     * listed tasks have finished, allocates nothing.
     */
    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            TaskCell<?> t = entries[i];
            entries[i] = null;
            if (!t.isFinished() && (shared() || t.home() == owner)) {
                entries[n++] = t;
            }
        }
        if (n > entries.length / 2) {
            n = dropDuplicates(n);
        }
        size = n;
        if (n > entries.length / 2) {
            entries = Arrays.copyOf(entries, entries.length * 2);
        }
    }

    /** Keeps the first of each task among the first {@code n} entries; returns how many are left. */
    private int dropDuplicates(int n) {
        IdentityHashMap<TaskCell<?>, Boolean> seen = new IdentityHashMap<>(n);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            TaskCell<?> t = entries[i];
            entries[i] = null;
            if (seen.put(t, Boolean.TRUE) == null) {
                entries[kept++] = t;
            }
        }
        return kept;
    }

    /** Entries listed now, duplicates and finished tasks included (tests). */
    int sizeForTests() {
        return size;
    }

    /**
     * Aborts every listed task (harmless on a finished task, or one another log also aborts);
     * the aborted tasks are then queued and completed as cancelled by whoever dequeues them. The
     * owner of a core worker's log only; the shared log, any thread.
     */
    public void abortAll() {
        if (!shared()) {
            abort(entries, size);
            size = 0;
            return;
        }
        TaskCell<?>[] taken;
        int n;
        synchronized (this) {
            taken = entries;
            n = size;
            entries = new TaskCell<?>[INITIAL];
            size = 0;
        }
        abort(taken, n);
    }

    /**
     * Any thread, taking nothing (the task dump): the tasks listed, some perhaps finished or
     * listed twice (the caller filters). A core worker's log is read without its owner's
     * cooperation: a stale array or size only hides or repeats entries, it never fails. The
     * shared log is copied under its lock.
     */
    public void forEachRacy(Consumer<TaskCell<?>> sink) {
        TaskCell<?>[] e;
        int n;
        if (shared()) {
            synchronized (this) {
                e = Arrays.copyOf(entries, size);
                n = e.length;
            }
        } else {
            e = entries;
            n = Math.min(size, e.length);
        }
        for (int i = 0; i < n; i++) {
            TaskCell<?> t = e[i];
            if (t != null) {
                sink.accept(t);
            }
        }
    }

    private static void abort(TaskCell<?>[] tasks, int n) {
        for (int i = 0; i < n; i++) {
            TaskCell<?> t = tasks[i];
            tasks[i] = null;
            t.abort();
        }
    }
}
