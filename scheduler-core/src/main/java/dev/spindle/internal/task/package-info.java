/**
 * Task cells: the one object a spawned task costs, the state word that keeps a task in at most
 * one queue and out of two threads at once, and the poll protocol that moves it.
 *
 * <h2>Who owns what</h2>
 * <pre>
 * TaskCell       the state word and its transitions (the bits are private to this package);
 *                run(): claim, poll, then complete, idle, requeue or cancel; wake; join; abort
 * PollContext    one per polling thread: the budget, and what a poll tells run() afterwards
 *                (it woke itself; it holds RUNNING) without touching the state word
 * PollingThread  a thread with a PollContext: a task's wake on the thread polling it is noted
 *                there, not on the state word
 * IdleLog        the tasks that went idle on one worker (or on the extras), for close to cancel
 * TaskRunner     what run() asks of its caller: is the runtime stopping, report a failure
 * </pre>
 * A worker takes a task from a queue and calls {@code run}; it then only acts on the outcome
 * ({@code COMPLETED}: count it; {@code REQUEUE}: queue it; {@code IDLE}: nothing). The model
 * checker's harness ({@code TaskHarness} in the tests) calls the same {@code run}.
 *
 * <h2>The state word</h2>
 * {@link dev.spindle.internal.task.TaskCell} keeps one {@code int} of bits, changed only by
 * compare-and-set through a {@code VarHandle}:
 * <pre>
 *   NOTIFIED  1  a spawned task not polled yet, or a wake the next (or current) poll must serve
 *   RUNNING   2  a worker owns the task: it polls it, or will when it dequeues it
 *   COMPLETE  4  the task has an outcome; never cleared
 *   CANCELLED 8  abort was requested; never cleared
 *   ESCAPED  16  the task's waker has been handed out; never cleared
 * </pre>
 *
 * <h2>Unclaimed polls</h2>
 * The only way to get a task's waker is {@code Context.waker()} during one of its polls. Until
 * the first such call nothing can wake the task, so a worker polls a task whose word has
 * neither {@code ESCAPED} nor {@code RUNNING} without claiming it: the word stays
 * {@code NOTIFIED} during the poll (which also keeps wakes and aborts from queueing it), and
 * the one compare-and-set the task then costs is {@code NOTIFIED -> COMPLETE}. Runnables and
 * every future that finishes without waiting run this way. A poll that asks for its waker
 * stays unclaimed too: the context only notes the hand-out. A wake that finds the word
 * {@code NOTIFIED} without {@code ESCAPED} or {@code RUNNING} (a queued task, or an unclaimed
 * poll in progress) sets {@code ESCAPED} and queues nothing, and an unclaimed poll that returns
 * pending and finds {@code ESCAPED} is requeued instead of going idle; so no wake is lost,
 * whatever path reached the waker. With no such wake it goes idle in one compare-and-set,
 * {@code NOTIFIED -> ESCAPED} if it handed its waker out (so the next wake claims the task, and
 * every poll from then on is claimed as described below), {@code NOTIFIED -> 0} if not (only
 * an abort can reach it then, and it is logged, so close can cancel it). Claiming the task at
 * the hand-out instead would cost a second compare-and-set on every task's first wait.
 * A task is born {@code NOTIFIED} (it is about to be queued by its spawner). The transitions,
 * each returning an enum that names its outcome:
 * <ul>
 *   <li>{@code transitionToRunning} (the worker that took the task from a queue): a task
 *       queued {@code RUNNING} (by a wake or an abort, which claim it on the dequeuer's behalf,
 *       or by its own poller on {@code REQUEUE}) is taken with no compare-and-set, only
 *       clearing a {@code NOTIFIED} that a wake set while it sat in the queue (the poll about to
 *       start serves that wake); a task queued {@code NOTIFIED|ESCAPED} (an unclaimed poll
 *       that a wake reached, requeued) goes {@code NOTIFIED -> RUNNING}, as does a blocking
 *       cell or a task {@code shutdownNow} cancels. If {@code CANCELLED} is
 *       set the worker completes the task as cancelled instead of polling it.</li>
 *   <li>{@code transitionToIdle} (after a claimed poll returned pending; unclaimed ones are
 *       above): clears {@code RUNNING}. If a wake arrived during the poll ({@code NOTIFIED}
 *       set), or the task woke itself on the thread polling it (a yield or a spent budget: the worker notes that in its context and
 *       the waker touches no shared memory at all), the answer is {@code REQUEUE}: the word is
 *       left as it is, still {@code RUNNING}, and the same worker queues the task with no
 *       atomic operation. That is safe because while {@code RUNNING} is set no wake can queue
 *       the task (it only sets {@code NOTIFIED}), and an abort only adds {@code CANCELLED},
 *       which the next dequeue sees. If {@code CANCELLED} is set it keeps {@code RUNNING} and
 *       the worker completes the task as cancelled.</li>
 *   <li>{@code transitionToComplete} (the running worker, after ready, a throw or a
 *       cancellation): sets {@code COMPLETE}, clears {@code RUNNING} and {@code NOTIFIED}.</li>
 *   <li>{@code transitionToNotified} (any thread, through the task's waker): if the task is
 *       idle, sets {@code RUNNING} and answers {@code SUBMIT}: that caller, and only that
 *       caller, must queue the task, and the worker that dequeues it owns it at once (a hop
 *       costs the wake's compare-and-set and the idle one, not a third at the dequeue). Queued
 *       or polled ({@code RUNNING}: it sets {@code NOTIFIED}, so the poll that follows, or the
 *       poller's requeue, serves it), queued unclaimed (see above), complete:
 *       {@code DO_NOTHING}.</li>
 *   <li>{@code transitionToAborted} (any thread): sets {@code CANCELLED}; an idle task also
 *       gets {@code RUNNING} and the caller must queue it, so a worker completes it.</li>
 * </ul>
 * Hence the invariants: only the thread that moved a task from idle to queued, or the
 * worker that polled it on {@code REQUEUE}, may queue it, and only the thread that dequeued
 * it may poll it; so a task sits in at most one queue and is polled by one thread at a time. A
 * wake during a poll leaves {@code NOTIFIED} set and yields exactly one more poll. A complete
 * task never leaves {@code COMPLETE}, and {@code transitionToRunning} is only reached through a queue, which only
 * non-complete tasks enter.
 *
 * <p>Each transition first tries one compare-and-set from its common state without reading
 * the word (for a task whose waker escaped: idle to {@code RUNNING} at a wake, {@code RUNNING}
 * to idle or {@code COMPLETE}; for an unclaimed poll,
 * {@code NOTIFIED} to {@code COMPLETE}): a cell last written on another core then moves once, straight to
 * exclusive, rather than once to read and once more to write.
 *
 * <h2>Outcome and joiners</h2>
 * The task's body and then its outcome share a field, as a Tokio task's stage: the outcome
 * (value, failure, or cancellation) replaces the body with a plain store before the
 * compare-and-set that publishes {@code COMPLETE}; readers load the state with acquire first.
 * A joiner stores its waker (volatile) and then re-reads the state; the completer sets
 * {@code COMPLETE} (a volatile CAS) and then reads the waker: one of the two always sees the
 * other, so a join never misses its wake-up.
 *
 * <h2>The home, and the record a join puts in</h2>
 * {@code home} (the worker that last polled the task and saw it wait, {@code run} moving it
 * from the context after such a poll, so a task that finishes in one poll never pays a move;
 * or the scheduler itself, for a task with no worker: never null, and the cell's only way to its
 * scheduler) belongs to the worker package. It shares the cell's {@code link} field with the
 * joiner: the first poll of the handle from another task, or the first
 * {@code toCompletableFuture}, swaps the home for a {@code Joined} record (compare-and-set)
 * that holds the home from then on, the join waker and the promise. The owner moves a bare home
 * by compare-and-set, which fails only if a record came in meanwhile, and a home in a record
 * by a plain store; in the common case (polled again where it was polled last) it only reads.
 * The idle logs need no field of their own: a core worker's log lists the tasks whose home it
 * is, each appended at its first wait and when its home moves there (see
 * {@link dev.spindle.internal.task.IdleLog}).
 *
 * <h2>Size</h2>
 * A native spawn's cell is 24 bytes with 4-byte references: a 12-byte header, the state word,
 * the stage (the future, then the outcome) and the link (the home, or the record), as
 * {@code ForkJoinPool}'s task is on JDK 17 (32 on JDK 25). A task whose handle is polled while
 * it is unfinished pays the 24-byte record once; one joined only after it finished pays nothing.
 */
package dev.spindle.internal.task;
