package dev.spindle.internal.task;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.Waker;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A miniature runtime for model-checking {@link TaskCell}: a run queue with room for exactly one
 * task (the design says a task sits in at most one queue, so a second enqueue of the same task
 * is itself the bug), a worker step that calls the shipped poll protocol ({@link TaskCell#run})
 * and acts on its outcome as {@code Worker} does, and a log of the first broken invariant.
 *
 * <p>Everything shared is an atomic, so the harness is correct under the Java memory model on
 * real threads too; Lincheck switches threads at each of these accesses and inside
 * {@code TaskCell}'s own {@code VarHandle} operations.
 */
final class TaskHarness implements TaskScheduler, TaskHome, TaskRunner {
    /** The run queue: null when empty. */
    private final AtomicReference<TaskCell<?>> queue = new AtomicReference<>();
    /** Wake requests made by the scenario's wakers (not counting a task's wakes of itself). */
    final AtomicInteger wakes = new AtomicInteger();
    /** Set once an {@code abort()} call has returned. */
    private final AtomicBoolean abortReturned = new AtomicBoolean();
    /** Set once the harness has completed the task (with a value or as cancelled). */
    private final AtomicBoolean completed = new AtomicBoolean();
    /**
     * The first broken invariant. An error thrown on a scenario thread only ends that thread,
     * so the scenario's own thread asserts on this after joining them.
     */
    private final AtomicReference<String> violation = new AtomicReference<>();

    /** Spawns a task the way the runtime does: born NOTIFIED, queued by its spawner. */
    Probe spawn(int readyOnPoll, boolean yieldOnFirstPoll) {
        return spawn(readyOnPoll, yieldOnFirstPoll ? 1 : 0, this);
    }

    /**
     * As {@link #spawn(int, boolean)}, yielding in each of the first {@code yieldingPolls} polls,
     * spawned on the worker whose home is {@code home} (which becomes the task's home).
     */
    Probe spawn(int readyOnPoll, int yieldingPolls, TaskHome home) {
        Probe t = new Probe(this, home, readyOnPoll, yieldingPolls);
        enqueue(t, "spawn");
        return t;
    }

    /** Called by {@link TaskCell#wake()} and {@link TaskCell#abort()} after they won SUBMIT. */
    @Override
    public void schedule(TaskCell<?> task) {
        enqueue(task, "schedule() after SUBMIT");
    }

    /**
     * Whether abort() had returned when the running turn dequeued the task: then the task must
     * not be polled. Written only by the thread that holds the task (a dequeue is exclusive).
     */
    private volatile boolean abortedBeforeDequeue;

    /** The home of the probe: its wakes come to this harness. */
    @Override
    public TaskScheduler scheduler() {
        return this;
    }

    @Override
    public boolean stopping() {
        return false;
    }

    @Override
    public void reportUncaught(Object body, Throwable error) {
        fail("the probe threw: " + error);
    }

    private void enqueue(TaskCell<?> t, String who) {
        int s = t.stateForTests();
        if ((s & TaskCell.COMPLETE) != 0) {
            fail(who + " queued a complete task");
        }
        if (!queue.compareAndSet(null, t)) {
            fail("double enqueue: " + who + " queued a task that is already in the queue");
        }
    }

    /**
     * A waker on another thread: an event the task must see in a later poll. It may fire at
     * any moment, even before the task handed its waker out (the runtime only hands wakers out
     * from a poll, but the protocol does not depend on that).
     */
    void wake(TaskCell<?> t) {
        wakes.incrementAndGet();
        t.wake();
    }

    boolean abort(TaskCell<?> t) {
        boolean requested = t.abort();
        abortReturned.set(true);
        return requested;
    }

    /**
     * One turn of a worker: take the queued task if there is one and run it through the shipped
     * poll protocol ({@link TaskCell#run}, as {@code Worker.runTask} does), then act on the
     * outcome as the worker does: count a completion, queue it again, or leave it idle.
     *
     * @param cx the calling thread's own context (as each worker has one)
     * @return false if the queue was empty
     */
    boolean runOnce(PollContext cx) {
        TaskCell<?> t = queue.getAndSet(null);
        if (t == null) {
            return false;
        }
        if (completed.get()) {
            fail("a completed task was dequeued");
        }
        // Read before run() reads the state: if abort() had already returned, CANCELLED is set.
        abortedBeforeDequeue = abortReturned.get();
        switch (t.run(cx)) {
            case COMPLETED:
                completed.set(true);
                break;
            case REQUEUE:
                enqueue(t, "the worker on REQUEUE");
                break;
            case IDLE:
                break;
            default:
                throw new AssertionError();
        }
        return true;
    }

    /**
     * A context of the worker's own class, with an idle log of its own, as each worker has; a
     * guest's (an extra's), which leaves the task's home as it was.
     */
    PollContext newContext() {
        return PollContext.create(this, new IdleLog(null), null);
    }

    /** A core worker's context: a task polled there makes {@code home} its home. */
    PollContext newContext(TaskHome home) {
        return PollContext.create(this, new IdleLog(home), home);
    }

    /** A core worker of this harness, as a task's home: its wakes come to the harness too. */
    TaskHome newHome() {
        return new Place(this);
    }

    /** A class rather than a lambda: Lincheck cannot take the field offsets of a lambda's captures. */
    private static final class Place implements TaskHome {
        private final TaskHarness h;

        Place(TaskHarness h) {
            this.h = h;
        }

        @Override
        public TaskScheduler scheduler() {
            return h;
        }
    }

    /** Whether {@code log} lists {@code t}, as the task dump reads it. */
    static boolean lists(IdleLog log, TaskCell<?> t) {
        Finder f = new Finder(t);
        log.forEachRacy(f);
        return f.found;
    }

    /** A class rather than a lambda, as {@link Place} is. */
    private static final class Finder implements java.util.function.Consumer<TaskCell<?>> {
        private final TaskCell<?> wanted;
        boolean found;

        Finder(TaskCell<?> wanted) {
            this.wanted = wanted;
        }

        @Override
        public void accept(TaskCell<?> t) {
            found |= t == wanted;
        }
    }

    /**
     * After every scenario thread has been joined: runs whatever is still queued, on the calling
     * thread (not a polling thread: a self-wake there takes the ordinary wake path).
     */
    void drain() {
        drain(newContext());
    }

    /** As {@link #drain()}, as the core worker whose home is {@code home}. */
    void drain(TaskHome home) {
        drain(newContext(home));
    }

    void drain(PollContext cx) {
        for (int i = 0; i < 8 && runOnce(cx); i++) {
            // Each turn either completes the task or leaves it idle, unless it was woken again.
        }
        if (queue.get() != null) {
            fail("the task is still queued after the drain: it keeps being requeued");
        }
    }

    boolean isQueued() {
        return queue.get() != null;
    }

    /** The first broken invariant, or null. */
    String violation() {
        return violation.get();
    }

    void fail(String what) {
        violation.compareAndSet(null, what);
        throw new AssertionError(what);
    }

    /**
     * The task under test. Its body checks that it is polled by one owner at a time and only
     * while RUNNING and not COMPLETE, and records how many scenario wakes it had seen when each
     * poll started: if the last poll saw them all, no wake-up was lost.
     */
    static final class Probe extends TaskCell<String> {
        private final TaskHarness h;
        private final int readyOnPoll;
        private final int yieldingPolls;
        private final AtomicBoolean inPoll = new AtomicBoolean();
        final AtomicInteger polls = new AtomicInteger();
        /** Scenario wakes counted when the latest poll started; -1 before the first poll. */
        volatile int wakesSeen = -1;

        /**
         * @param readyOnPoll the poll that returns ready (1 = the first), or 0 for never
         * @param yieldingPolls wake itself during each of the first this many polls, as a
         *     budget-forced yield does
         */
        Probe(TaskHarness h, TaskHome home, int readyOnPoll, int yieldingPolls) {
            super(home, "probe");
            this.h = h;
            this.readyOnPoll = readyOnPoll;
            this.yieldingPolls = yieldingPolls;
        }

        @Override
        protected Poll<String> pollTask(Context cx) {
            if (!inPoll.compareAndSet(false, true)) {
                h.fail("two threads poll the task at once");
            }
            if (h.abortedBeforeDequeue) {
                h.fail("a task aborted before it was dequeued was polled");
            }
            int s = stateForTests();
            // Claimed polls hold RUNNING; an unclaimed one keeps NOTIFIED (a wake racing with it
            // may already have added ESCAPED, which makes the task run again afterwards).
            boolean unclaimedOk = (s & NOTIFIED) != 0;
            if ((s & COMPLETE) != 0 || ((s & RUNNING) == 0 && !unclaimedOk)) {
                h.fail("polled in state " + describe(s));
            }
            wakesSeen = h.wakes.get();
            int n = polls.incrementAndGet();
            if (n != readyOnPoll) {
                // What a waiting future does: hand out its waker. A first poll runs unclaimed
                // either way; a wake of the idle task then claims it for its dequeuer.
                cx.waker();
            }
            if (n <= yieldingPolls) {
                cx.waker().wake(); // on the polling thread: this must only make it run once more
            }
            inPoll.set(false);
            return n == readyOnPoll ? Poll.ready("done") : Poll.pending();
        }

        @Override
        public Object body() {
            return "probe";
        }
    }

    // ---------------------------------------------------------------- scenario threads
    //
    // Written as small classes rather than lambdas: Lincheck 3.7 cannot take the field offsets
    // of a lambda's hidden class and logs "Failed to get object field offset for field arg$N"
    // for every captured variable. Results live in volatile fields, read after join().

    /**
     * A worker that takes up to {@code turns} turns at the run queue. A polling thread, as the
     * runtime's workers are: a task that wakes itself during its poll here is only noted in this
     * thread's context.
     */
    static final class WorkerThread extends PollingThread {
        private final TaskHarness h;
        private final int turns;

        WorkerThread(TaskHarness h, int turns) {
            this(h, h.newContext(), turns);
        }

        /** A core worker: the task it polls makes {@code home} its home. */
        WorkerThread(TaskHarness h, TaskHome home, int turns) {
            this(h, h.newContext(home), turns);
        }

        /** A worker polling with {@code cx}. */
        WorkerThread(TaskHarness h, PollContext cx, int turns) {
            super(null, cx, "harness-worker");
            this.h = h;
            this.turns = turns;
        }

        @Override
        public void run() {
            for (int i = 0; i < turns; i++) {
                h.runOnce(pollContext());
            }
        }
    }

    /** Another thread waking the task {@code times} times. */
    static final class WakerThread extends Thread {
        private final TaskHarness h;
        private final TaskCell<?> t;
        private final int times;

        WakerThread(TaskHarness h, TaskCell<?> t, int times) {
            this.h = h;
            this.t = t;
            this.times = times;
        }

        @Override
        public void run() {
            for (int i = 0; i < times; i++) {
                h.wake(t);
            }
        }
    }

    /** Another thread aborting the task through its handle. */
    static final class AborterThread extends Thread {
        private final TaskHarness h;
        private final TaskCell<?> t;
        volatile boolean requested;

        AborterThread(TaskHarness h, TaskCell<?> t) {
            this.h = h;
            this.t = t;
        }

        @Override
        public void run() {
            requested = h.abort(t);
        }
    }

    /** Another task joining: it polls the handle once with its own waker. */
    static final class JoinerThread extends Thread {
        private final TaskCell<String> t;
        final CountingWaker waker = new CountingWaker();
        /** The answer of the poll; null if the poll threw CancellationException. */
        volatile Poll<String> answer;

        JoinerThread(TaskCell<String> t) {
            this.t = t;
        }

        @Override
        public void run() {
            try {
                answer = t.poll(Context.of(waker, 128));
            } catch (CancellationException e) {
                answer = null;
            }
        }
    }

    /** A caller outside the runtime asking for the task's CompletableFuture. */
    static final class BridgeThread extends Thread {
        private final TaskCell<String> t;
        volatile CompletableFuture<String> future;

        BridgeThread(TaskCell<String> t) {
            this.t = t;
        }

        @Override
        public void run() {
            future = t.toCompletableFuture();
        }
    }

    /** A join waker that counts its wake-ups. */
    static final class CountingWaker implements Waker {
        final AtomicInteger woken = new AtomicInteger();

        @Override
        public void wake() {
            woken.incrementAndGet();
        }
    }
}
