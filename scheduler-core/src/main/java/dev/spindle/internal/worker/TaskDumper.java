package dev.spindle.internal.worker;

import dev.spindle.internal.task.TaskCell;
import dev.spindle.metrics.TaskDump;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Takes a {@link TaskDump} of a running scheduler, from any thread, without stopping anybody:
 * it reads what each worker runs ({@code PollContext.taskRacy}), each worker's queues and the
 * injector ({@code forEachRacy}: nothing is taken), then the idle logs. Every read is racy; what
 * makes the listing honest is that a task cell is listed only if its body, read first, was still
 * there and the task was not finished after that read ({@code TaskCell.liveBodyRacy}); an entry
 * of an idle log only if the task still waits for a wake-up; and a task found twice is listed
 * once (the first place wins: running, queued, waiting). A plain runnable has no state to read:
 * one seen in a queue had not started when it was seen.
 *
 * <p>Cost: one pass over every queue and idle log, an identity map of what was seen, a stack
 * trace of each worker that runs a task (the JVM stops that one thread briefly, not the
 * runtime), and one short lock hold per injector stripe and for the extras' shared log, to copy
 * it. No worker waits for the dump.
 */
final class TaskDumper {
    private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    private final List<TaskDump.Entry> entries = new ArrayList<>();

    private TaskDumper() {
    }

    static TaskDump dump(Scheduler s) {
        Instant takenAt = Instant.now();
        TaskDumper d = new TaskDumper();
        Worker[] all = s.extras.all();
        for (Worker w : all) {
            Object t = w.cx.taskRacy();
            if (t != null) {
                String place = w + " (" + w.thread.getName() + ")";
                d.add(t, TaskDump.State.RUNNING, place, w.index, Arrays.asList(w.thread.getStackTrace()));
            }
        }
        for (Worker w : all) {
            w.queues.forEachQueuedRacy((where, t) ->
                    d.add(t, TaskDump.State.QUEUED, where + " of " + w, w.index, List.of()));
        }
        s.injector.forEachRacy(t -> d.add(t, TaskDump.State.QUEUED, "injector", -1, List.of()));
        for (Worker w : all) {
            if (!w.extra) {
                w.idleLog.forEachRacy(t -> d.addWaiting(t, "idle log of " + w, w.index));
            }
        }
        s.extras.sharedLog.forEachRacy(t -> d.addWaiting(t, "idle log of the extra workers", -1));
        return new TaskDump(s.name, takenAt, d.entries);
    }

    private void addWaiting(TaskCell<?> t, String place, int worker) {
        if (t.waitsForWake()) { // a woken one is on its way to a queue: listed there, or missed
            add(t, TaskDump.State.WAITING, place, worker, List.of());
        }
    }

    private void add(Object t, TaskDump.State state, String place, int worker, List<StackTraceElement> stack) {
        if (seen.containsKey(t)) {
            return;
        }
        int home = -1;
        Object body = t;
        if (t instanceof TaskCell) {
            TaskCell<?> cell = (TaskCell<?>) t;
            body = cell.liveBodyRacy();
            if (body == null) {
                return; // finished, or finishing, when read (after the dump began)
            }
            Object h = cell.home();
            home = h instanceof Worker ? ((Worker) h).index : -1;
        }
        seen.put(t, Boolean.TRUE);
        entries.add(new TaskDump.Entry(Integer.toHexString(System.identityHashCode(t)), state, place, worker, home,
                describe(body), stack));
    }

    /** A task's own toString, which is user code: it must not break the dump. */
    private static String describe(Object body) {
        try {
            return String.valueOf(body);
        } catch (Throwable e) {
            return body.getClass().getName() + " (toString threw " + e + ")";
        }
    }
}
