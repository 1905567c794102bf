package dev.spindle;

import dev.spindle.sync.AtomicWaker;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A set of tasks whose outputs are taken in the order they finish, as Tokio's {@code JoinSet}:
 * spawn any number of tasks into it, await {@link #next()} for whichever finishes first, and
 * close it to abort what is left. Taking one finished task costs the same however many tasks
 * the set holds: each task, as it finishes, queues itself for {@code next()}.
 *
 * <pre>{@code
 * try (TaskSet<String> set = TaskSet.on(rt)) {
 *     for (String url : urls) {
 *         set.spawn(fetch(url));
 *     }
 *     // Within a task: the first answer, or give up after a second; close aborts the rest.
 *     String first = ...Time.timeout(set.next(), Duration.ofSeconds(1))...;
 * }
 * }</pre>
 *
 * <p>Thread safety: any thread may spawn into the set, ask its size, or close it; one task at a
 * time awaits {@code next()}.
 *
 * @param <T> the tasks' output type
 */
public final class TaskSet<T> implements AutoCloseable {
    private final Spindle runtime;
    /** Tasks spawned and not yet taken by next(): what close aborts. */
    private final Set<Entry<T>> live = ConcurrentHashMap.newKeySet();
    /** Tasks that finished, in the order they finished, not yet taken. */
    private final ConcurrentLinkedQueue<Entry<T>> finished = new ConcurrentLinkedQueue<>();
    /** The task awaiting next(), woken when a task finishes. */
    private final AtomicWaker consumer = new AtomicWaker();
    private volatile boolean closed;

    private TaskSet(Spindle runtime) {
        this.runtime = runtime;
    }

    /** An empty set whose tasks run on {@code runtime}. */
    public static <T> TaskSet<T> on(Spindle runtime) {
        return new TaskSet<>(Objects.requireNonNull(runtime, "runtime"));
    }

    /**
     * An empty set whose tasks run on the calling thread's runtime.
     *
     * @throws IllegalStateException if the calling thread is not inside a runtime
     */
    public static <T> TaskSet<T> create() {
        return new TaskSet<>(Spindle.current());
    }

    /**
     * Spawns {@code future} as a task of this set. Its output is taken through {@link #next()};
     * the set keeps the task's handle, since a second poller of that handle would take its
     * join wake-up away from the set.
     *
     * @throws NullPointerException if future is null
     * @throws IllegalStateException if the set is closed
     * @throws java.util.concurrent.RejectedExecutionException if the runtime is shut down
     */
    public void spawn(PollFuture<T> future) {
        Objects.requireNonNull(future, "future");
        if (closed) {
            throw new IllegalStateException("spawn into a closed TaskSet");
        }
        Entry<T> e = new Entry<>(this, runtime.spawn(future));
        live.add(e);
        e.watch();
        if (closed) {
            live.remove(e); // closed meanwhile: close may have missed this entry
            e.handle.abort();
        }
    }

    /** Tasks spawned into the set whose outputs have not been taken yet, finished or not. */
    public int size() {
        return live.size();
    }

    /** True when every task spawned into the set has been taken by {@link #next()}. */
    public boolean isEmpty() {
        return live.isEmpty();
    }

    /**
     * A future of the output of the next task to finish (in the order they finish), taken out of
     * the set. If that task failed, polling throws its own exception instance; if it was
     * aborted, {@link java.util.concurrent.CancellationException}. A poll that finds no finished
     * task waits and gives its unit of budget back, so a timeout around it fires on time.
     *
     * <p>Polling throws {@link IllegalStateException} if the set holds no task at all (nothing
     * could ever finish: check {@link #isEmpty()} in a loop that drains the set), or is closed.
     */
    public PollFuture<T> next() {
        return this::pollNext;
    }

    private Poll<T> pollNext(Context cx) {
        if (!cx.consumeBudget()) {
            return Poll.pending();
        }
        if (closed) {
            throw new IllegalStateException("next() on a closed TaskSet");
        }
        Entry<T> e = finished.poll();
        if (e == null) {
            if (live.isEmpty()) {
                throw new IllegalStateException("next() on an empty TaskSet: no task could ever finish");
            }
            consumer.register(cx.waker());
            e = finished.poll(); // re-check after registering: a finish in between woke nobody new
            if (e == null) {
                cx.refundBudget();
                return Poll.pending();
            }
        }
        live.remove(e);
        return e.handle.poll(Context.of(Waker.noop(), 1)); // finished: its outcome, or its exception
    }

    /**
     * Aborts every task still in the set (finished ones keep their outputs, which are dropped)
     * and empties it; later spawns throw. Closing twice does nothing more.
     */
    @Override
    public void close() {
        closed = true;
        for (Entry<T> e : live) {
            e.handle.abort();
        }
        live.clear();
        finished.clear();
    }

    @Override
    public String toString() {
        return "TaskSet[size=" + size() + (closed ? ", closed" : "") + "]";
    }

    /** One task of the set; it is the waker its handle wakes when the task finishes. */
    private static final class Entry<T> implements Waker {
        private final TaskSet<T> set;
        final JoinHandle<T> handle;
        private final AtomicBoolean queued = new AtomicBoolean();

        Entry(TaskSet<T> set, JoinHandle<T> handle) {
            this.set = set;
            this.handle = handle;
        }

        /** Becomes the handle's join waker; a task that has finished already queues itself now. */
        void watch() {
            boolean finished;
            try {
                finished = handle.poll(Context.of(this, 1)).isReady();
            } catch (RuntimeException | Error failedOrCancelled) {
                finished = true; // its outcome stays in the handle, for next() to rethrow
            }
            if (finished) {
                wake();
            }
        }

        @Override
        public void wake() {
            if (queued.compareAndSet(false, true)) {
                set.finished.add(this);
                set.consumer.wake();
            }
        }
    }
}
