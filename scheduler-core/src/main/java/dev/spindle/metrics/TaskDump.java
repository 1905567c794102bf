package dev.spindle.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The tasks of a runtime, as {@code Spindle.dumpTasks()} found them: running, queued, and waiting
 * for a wake-up, each with where it was found. Its {@link #toString()} reads like a thread dump.
 *
 * <p>What a dump promises: it is taken while the runtime runs, without pausing it, so it is a
 * weakly consistent picture, not an instant's. Every task listed was alive (accepted and not
 * finished) at some moment during the call. A task that moved while the dump was taken (from a
 * queue to a worker, say) may be missing, and is never listed twice: each task is listed once,
 * at the first place it was found. Plain runnables from {@code execute} are listed by their
 * {@code toString()} like tasks (a runnable queued twice is listed once). Work on the blocking
 * pool ({@code spawnBlocking}) is not listed.
 *
 * @param runtime the runtime's name ({@code Spindle.name()})
 * @param takenAt when the dump began
 * @param entries the tasks: running ones first, then queued, then waiting
 */
public record TaskDump(String runtime, Instant takenAt, List<Entry> entries) {

    /** Where a task stood when the dump found it. */
    public enum State {
        /** Being polled (or, for a runnable, run) by a worker. */
        RUNNING,
        /** In a run queue: a worker's LIFO slot, spawn stack, local queue or inbox, or the injector. */
        QUEUED,
        /** Returned pending and waits for its waker to be woken. */
        WAITING
    }

    /**
     * One task.
     *
     * @param id the task's identity hash in hex: tells tasks apart within one dump, and
     *     usually across dumps (two tasks may share one, rarely)
     * @param state running, queued or waiting
     * @param place where it was found: {@code "worker-0 (spindle-worker-0)"} for a running
     *     task, {@code "local queue of worker-1"} or {@code "injector"} for a queued one, the idle
     *     log it is listed in for a waiting one
     * @param worker the index of the worker running it or whose queue or idle log holds it; -1
     *     for the injector and for the idle log the extra workers share
     * @param home the index of the worker a wake-up sends it to; -1 if it has none (a runnable,
     *     or a task spawned from outside and never polled)
     * @param description the task's future (or runnable), by its {@code toString()}
     * @param stack for a running task, its worker thread's stack when the dump looked; otherwise
     *     empty
     */
    public record Entry(String id, State state, String place, int worker, int home, String description,
            List<StackTraceElement> stack) {

        /** An entry; the stack is copied. */
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(place, "place");
            Objects.requireNonNull(description, "description");
            stack = List.copyOf(stack);
        }
    }

    /** A dump; the list is copied. */
    public TaskDump {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(takenAt, "takenAt");
        entries = List.copyOf(entries);
    }

    /** The entries in {@code state}, in dump order. */
    public List<Entry> entries(State state) {
        Objects.requireNonNull(state, "state");
        return entries.stream().filter(e -> e.state() == state).toList();
    }

    /** The dump as text: a header with the counts, then one paragraph per task. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("Task dump of ").append(runtime).append(" at ").append(takenAt).append(": ")
                .append(entries.size()).append(" tasks (")
                .append(entries(State.RUNNING).size()).append(" running, ")
                .append(entries(State.QUEUED).size()).append(" queued, ")
                .append(entries(State.WAITING).size()).append(" waiting)\n");
        for (Entry e : entries) {
            b.append('\n').append("\"task@").append(e.id()).append("\" ").append(e.state())
                    .append(e.state() == State.RUNNING ? " on " : " in ")
                    .append(e.place());
            if (e.home() >= 0) {
                b.append(", home worker-").append(e.home());
            }
            b.append("\n    ").append(e.description()).append('\n');
            for (StackTraceElement f : e.stack()) {
                b.append("        at ").append(f).append('\n');
            }
        }
        return b.toString();
    }
}
