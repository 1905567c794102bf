/**
 * Workers: the loop, the run queues, stealing, idling and parking, compensation for blocked
 * workers, and the runtime's lifecycle.
 *
 * <h2>Who owns what</h2>
 * <pre>
 * Scheduler      construction and wiring; submission (spawn, execute, spawnBlocking) and wakes
 *                (schedule): which queue a task goes to
 * Worker         one worker's loop: take a task, run it through TaskCell.run, act on the
 *                outcome; search peers; spin, register as a sleeper, park
 * RunQueue       one worker's queues and the owner's policy over them: LIFO slot, spawn stack
 *                and their streak, local queue and its overflow to the injector, inbox,
 *                batches, steals, drains
 * Idle           who searches and who sleeps (the sleeper stack, the packed counts)
 * DriverKeeper   which sleeper keeps time and the driver; polling the driver; its shutdown
 * Parker         one worker's park and unpark, on its thread or inside the driver
 * Lifecycle      run state, closing and the cancel epoch, task counts, termination, live
 *                threads, and the one "is the runtime quiescent?" check
 * ExtraWorkers   extra workers started for blocked ones, and the list searches steal from
 * Monitor        the watcher thread: stalls, and when to start an extra
 * WorkerThread   a worker's thread, and the binding from a thread to its worker (blockInPlace)
 * TaskDumper     the task dump: racy reads of what each worker runs, its queues, the injector
 *                and the idle logs, taking nothing and stopping nobody
 * </pre>
 * JFR events go out through {@code internal.jfr.Jfr} (steals in {@code Worker.search}, parks,
 * stalls in {@code Monitor.report}, extras starting and leaving); its package notes say what
 * each costs when nothing records.
 * The poll protocol itself (claim, poll, complete / idle / requeue / cancel, self-wakes, the idle
 * logs) lives in {@code internal.task}; nothing here reads a task's state bits.
 *
 * <p>One task's life, file by file: {@code Scheduler.spawn} makes the cell and hands it to the
 * spawning worker's {@code RunQueue.spawn} (or the injector, from outside); {@code Worker}'s loop
 * takes it and calls {@code TaskCell.run}; a pending poll leaves it logged and idle; its waker
 * ({@code TaskCell.wake}) claims it for its dequeuer and calls {@code Scheduler.schedule}, which
 * puts it in the LIFO slot of the core worker that woke it (unless its home sleeps) or in its
 * home's inbox; the run that completes it returns {@code COMPLETED}, and the worker counts that
 * for {@code Lifecycle}'s termination check.
 *
 * <h2>Queues and who touches them</h2>
 * <pre>
 *                 offers                         polls
 * spawn stack     owner only (spawns and         owner, newest first (pop); thieves, oldest
 *                 executes on this worker)       first, one per steal (compare-and-set)
 * local queue     owner only (displaced LIFO     owner; thieves (stealFrom)
 *                 tasks, yields, requeues,
 *                 spawns when the stack is full)
 * LIFO slot       owner only (a wake on this     owner (xchg); thieves, last resort (xchg)
 *                 worker's thread, unless the
 *                 task's home sleeps)
 * inbox           a wake of a task whose home    owner; idle peers (stealFrom)
 *                 is this worker, from outside
 *                 the workers, or from a peer
 *                 while this worker sleeps
 * injector        outside submissions, local     every worker, a fair share at a time
 *                 overflow (half a queue in one  from one stripe, each worker from its
 *                 batch), full inboxes; each     own rotating start
 *                 thread into its own stripe
 * </pre>
 * A task's {@code home} is the core worker that last polled it and saw it wait (or spawned it;
 * a poll that finishes the task leaves the home as it was). A wake on a core
 * worker's thread puts the task in that worker's LIFO slot (the displaced task goes to the local
 * queue), whether or not it is the home, unless the home sleeps: the waker and the woken share
 * what just passed between them, and two tasks that wake each other stay on one core even after
 * a steal split them (with wakes sent home they crossed cores on every hop from then on, one
 * hop in ten in the ping-pong benchmark). A wake from anywhere else (an outside thread, an
 * extra worker), or of a task whose home sleeps, puts it in the home's inbox and then either
 * unparks the home, if it sleeps, or wakes an idle peer, if nobody is searching, so a task is
 * never stranded behind a busy home. A spawn on a worker (a native spawn, or {@code execute} from
 * inside a task) goes on its spawn stack: the worker's own spawns run newest first, so a task and
 * the task it just spawned run back to back while their data is in cache (a ping-pong pair, a
 * spawn chain) and a tree of spawns is walked depth-first, holding as many tasks as the tree is
 * deep rather than a whole level; thieves take the oldest spawn, which in a tree is the biggest
 * subtree left (ForkJoinPool's owner-LIFO, thief-FIFO discipline). Spawns from outside go to
 * the injector.
 *
 * <h2>The loop</h2>
 * Every 61st tick the driver is polled and the inbox and the injector come first (fairness
 * towards remote work): the whole inbox (up to half a local queue) moves to the back of the local
 * queue, and a share of the injector, so a local queue that never empties (refilled by the
 * worker's own I/O events, say) delays a remote wake by one pass, not by 61 polls per task ahead
 * of it in the inbox. Otherwise: the LIFO slot, then the spawn stack (together at most 3 tasks
 * in a row while the local queue holds anything: then the slot's task goes to the back of the
 * local queue, so two tasks that wake each other cannot starve the rest, and the stack waits a
 * turn, so a self-spawning chain cannot either), the local queue, the inbox, the injector. With
 * nothing of its own the worker searches: peers' local queues (about half of one in one go),
 * spawn stacks (the oldest task) and inboxes (about half) from a random start;
 * then the injector; then, as a last resort, a peer's LIFO slot, whose owner may be stuck in a
 * long poll. At most half the workers search at once; a searcher that finds work stops
 * searching, and if it was the last searcher it wakes a sleeper to carry on (a burst of work
 * thus fans out one worker at a time rather than waking the whole pool).
 *
 * <h2>Idling and the lost wake-up that cannot happen</h2>
 * A worker with nothing to do spins briefly (Agrona's {@code BackoffIdleStrategy}: spins then
 * yields, re-checking for work), then registers as a sleeper in {@code Idle} (under its lock,
 * which also updates the packed unparked/searching counts), re-checks every queue, and parks.
 * A producer makes work visible with a volatile CAS (inbox and injector offers are CASes) and
 * then reads {@code Idle}'s state: the two sides are a Dekker pair, so either the producer sees
 * the sleeper and wakes it, or the sleeper's re-check sees the work. Local-queue offers are
 * release stores, and the spawn path keeps a full fence off itself, so a local push racing
 * with a peer falling asleep can slip past both checks; and a task woken into a busy worker's
 * LIFO slot wakes nobody. Sleepers cover both: while anything else can run, a sleeper parks
 * for at most a millisecond and then re-checks (its own queues, the injector, and, when nobody
 * searches, its peers' queues and LIFO slots, which it may steal as a last resort). Only when
 * the runtime is quiescent does a worker park without a deadline, and then no busy worker
 * exists to strand anything. The moment one leaves that state other than as a searcher (a task
 * sent to its inbox unparks it, or it finds work right after registering), {@code Idle} pokes
 * one other sleeper, which then parks with a deadline again (a searcher that finds work already
 * hands the search on, which wakes a sleeper the same way). A worker that is refused a search
 * slot does not spin on peers' work: somebody is searching it already. A worker is woken
 * either as a searcher ({@code workerToNotify}) or because a task was sent to its inbox
 * ({@code wakeIfSleeping}); {@code sleeping} and {@code wakeAsSearcher} change only under the
 * lock, and the worker parks until {@code sleeping} is false, so stale permits and spurious
 * returns from park are harmless. While it sleeps, the worker may keep time and driver
 * ({@link dev.spindle.internal.worker.DriverKeeper}).
 *
 * <h2>Shutdown in order</h2>
 * The counts and the termination check are {@link dev.spindle.internal.worker.Lifecycle}'s.
 * <ol>
 *   <li>{@code shutdown}: the run state becomes SHUTDOWN; new tasks are rejected, from outside
 *       and from tasks alike. Accepted tasks keep running and may still be woken; the blocking
 *       pool finishes its queue.</li>
 *   <li>{@code close}: shutdown, then once the runtime is quiescent (every core worker sleeps,
 *       no extra is alive, no blocking work is left: nothing can run) the tasks that wait for a
 *       wake-up are aborted, which queues them; workers complete them as cancelled. A wake that
 *       races with this either runs the task first or finds it cancelled; either way it is
 *       accounted for. Pending timers do not hold close up.</li>
 *   <li>How waiting tasks are found: a task that returns pending is listed in the idle log of
 *       the worker it ran on ({@code internal.task.IdleLog}; the extras share one). To cancel,
 *       the lifecycle bumps its cancel epoch, aborts the extras' shared log and wakes every
 *       worker; each core worker aborts the tasks in its own log.</li>
 *   <li>{@code shutdownNow}: STOP; the caller drains the injector, the blocking pool's queue,
 *       and every worker's queues, cancelling each task (runnables never started are returned),
 *       has the workers abort the tasks in their idle logs, and interrupts the workers. Workers
 *       cancel, rather than poll, futures they dequeue from then on; a runnable that a worker won
 *       the race for (so it is not in the returned list) runs, so no runnable is both
 *       unreturned and unrun.</li>
 *   <li>Whoever completes a task after shutdown, and every worker about to sleep after it,
 *       checks the counts (a completion's release store may pass a concurrent shutdown's
 *       check; the sleeper's locked update orders it). When spawned equals completed, the run
 *       state becomes TERMINATED, every sleeper is woken, the workers leave their loops, and the
 *       last one to exit shuts the driver down and opens the termination latch.</li>
 * </ol>
 *
 * <h2>Blocked workers: the monitor, extra workers, blocking in place</h2>
 * Existing Future code blocks inside tasks ({@code future.get()}, {@code join()}), often on
 * work queued behind it, and there is no hook in the JDK's futures through which to see that
 * coming (ForkJoinPool compensates through {@code ManagedBlocker}, which only its own threads
 * reach). Spindle watches from outside, as Go's sysmon does for threads stuck in system calls,
 * and keeps the spawn, wake and poll paths free of any check: every tick (1 ms while a worker is
 * awake, 50 µs during a blocking episode) the {@code Monitor} counts the workers blocked inside
 * a poll (thread WAITING, TIMED_WAITING or BLOCKED, or blocking in place) and those still free to
 * run work; while work is queued and fewer than the configured number are free, it wakes a
 * sleeping peer or, with none, has {@code ExtraWorkers} wake a spare or start an extra, one per
 * missing worker (an extra still lingering for work is unparked first), and up to
 * {@code Monitor.OVERSHOOT} (4) more while that many tasks are queued beyond the missing
 * workers' share, since the threads added often block too before the next tick. The spare or
 * extra so added takes the blocked worker's LIFO slot and the oldest task of its spawn stack
 * first, then its queue: what a task spawned just before it blocked is most likely what it
 * waits on. A blocking episode (the 10 ms after the monitor last saw a blocked worker) changes
 * three more things, all off the hot paths of a runtime that never blocks: the monitor ticks every
 * 50 µs (some 100 µs with the kernel's timer slack), and right after a tick that found no worker
 * free and added threads it yields instead of sleeping; workers and thieves take one task at a time
 * from the injector and from peers ({@code Scheduler.compensating}), so a thread that blocks next
 * strands nothing but its own spawns, as a ForkJoinPool worker holds only its own pushes;
 * and a worker out of its own work takes a blocked peer's oldest spawn before the injector (a
 * peer the monitor saw blocked, {@code Worker.helpWanted}, or one whose thread the worker sees
 * waiting with spawns queued: it sees a block within a task, the monitor within a tick). When
 * enough threads run but a blocked worker's spawns sit behind their own queues, the monitor
 * wakes a spare for just those (a rescue: it runs them and what they spawn, never searches, and
 * parks again). A runnable (busy) stuck worker gets no extra: more threads than cores would
 * only slow computation down. An extra that finds nothing for two milliseconds parks as a spare
 * (out of the list searches scan), and the next episode wakes it: the most recently parked
 * first; a spare idle for 60 s exits, and spares count toward the builder's bound on extras.
 * {@code Tasks.blockInPlace} is the same compensation, asked for up front: the worker moves its
 * queued work to the injector, wakes a sleeper or a spare (or starts an extra), and sets
 * {@code blockedInPlace}. Until the body returns, its thread counts as an outside thread
 * ({@code WorkerThread.currentWorker} is null): spawns and wakes from the body go to the
 * injector, and remote wakes of tasks homed on it skip its inbox. Extras count as alive for
 * termination, spares too (the live count is raised before the thread starts, and never from
 * zero); spares do not count as awake for quiescence, and termination unparks them to exit.
 * Stalls are reported to the builder's hook, or by default to {@code StallLog}: a blocked
 * (compensated) worker at DEBUG only, a running one as one rate-limited WARNING line.
 */
package dev.spindle.internal.worker;
