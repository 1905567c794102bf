/**
 * Workers: the loop, the LIFO slot, stealing, idle and searching accounting, and shutdown.
 *
 * <h2>Queues and who touches them</h2>
 * <pre>
 *                 offers                         polls
 * local queue     owner only (displaced LIFO     owner; thieves (stealHalfInto)
 *                 tasks, yields, requeues)
 * LIFO slot       owner only (a wake on this     owner (getAndSet); thieves, last resort (getAndSet)
 *                 worker's thread, or a spawn
 *                 when the slot is empty)
 * inbox           any thread (wake of a task     owner; idle peers (stealHalfInto)
 *                 whose home is this worker)
 * injector        outside submissions, local     every worker, a fair share at a time
 *                 overflow (half a queue in one
 *                 batch), full inboxes
 * </pre>
 * A task's {@code home} is the worker that last polled it (or spawned it). A wake on the home's
 * own thread puts the task in the LIFO slot (the displaced task goes to the local queue); a
 * wake anywhere else puts it in the home's inbox and then either unparks the home, if it
 * sleeps, or wakes an idle peer, if nobody is searching, so a task is never stranded behind a
 * busy home. A spawn on a worker goes to its LIFO slot when the slot is empty (a task and the
 * task it just spawned run back to back while their data is in cache, which is what makes a
 * ping-pong pair or a spawn chain cheap), and otherwise to the back of the local queue (a
 * burst of spawns keeps its order and costs no atomic per spawn); spawns from outside go to
 * the injector.
 * Only the owner puts tasks in the LIFO slot and thieves only take them out, so filling an
 * empty slot is a plain release store; displacing a task is a compare-and-set.
 *
 * <h2>The loop</h2>
 * {@code nextTask}: every 61st tick the driver is polled and the inbox and the injector come
 * first (fairness towards remote work): the whole inbox (up to half a local queue) moves to the
 * back of the local queue, and a share of the injector, so a local queue that never empties
 * (refilled by the worker's own I/O events, say) delays a remote wake by one pass, not by 61
 * polls per task ahead of it in the inbox; otherwise the LIFO slot (at most 3 times in a row, then its task goes to the
 * back of the local queue so two tasks that wake each other cannot starve the rest), the local
 * queue, the inbox, the injector. With nothing of its own the worker {@code search}es: peers'
 * local queues and inboxes from a random start, taking about half of a victim's queue in one
 * go; then the injector; then, as a last resort, a peer's LIFO slot, whose owner may be stuck in
 * a long poll. At most half the workers search at once; a searcher that finds work stops
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
 * LIFO slot wakes nobody. Sleepers cover both: while any other worker is awake, a sleeper parks
 * for at most a millisecond and then re-checks (its own queues, the injector, and, when nobody
 * searches, its peers' queues and LIFO slots, which it may steal as a last resort). Only when
 * every worker sleeps does a worker park without a deadline, and then no busy worker exists
 * to strand anything. The moment one leaves that state other than as a searcher (a task sent
 * to its inbox unparks it, or it finds work right after registering), {@code Idle} pokes one
 * other sleeper, which then parks with a deadline again (a searcher that finds work already
 * hands the search on, which wakes a sleeper the same way). A worker that is refused a search slot does not spin on peers' work:
 * somebody is searching it already. A worker is woken either as a searcher ({@code workerToNotify}) or because a
 * task was sent to its inbox ({@code wakeIfSleeping}); {@code sleeping} and
 * {@code wakeAsSearcher} change only under the lock, and the worker parks until
 * {@code sleeping} is false, so stale permits and spurious returns from park are harmless.
 *
 * <h2>The keeper of time and driver</h2>
 * One sleeping worker at a time <em>keeps</em> the runtime's timers and its driver (the
 * {@code spi.Driver}, if the runtime has one): it takes {@code driverBusy} with a CAS, publishes
 * itself in {@code driverHolder}, and parks until the earliest timer (or the millisecond
 * re-check while a peer is awake): inside the driver when there is one, so I/O events wake
 * it, else on its {@code Parker}. It fires due timers whenever it wakes and gives the driver
 * back before running anything. Other sleepers park as above. A timer scheduled earlier than
 * every other one unparks the keeper so that it parks again with the new deadline (the
 * keeper stores {@code driverHolder} and then reads the earliest deadline; the scheduler
 * stores the deadline and then reads {@code driverHolder}: a Dekker pair on volatiles, so one
 * of them sees the other); with no keeper it wakes a sleeper to become one. {@code Parker}
 * turns an unpark into the driver's own wake-up ({@code Selector.wakeup()}) only while its
 * owner is parked in the driver, so a busy runtime pays no wake-up syscalls. Busy workers
 * poll the driver without blocking at every fairness tick, and the monitor every tick, each
 * only if nobody holds it; a sleeper that finds the driver held by such a poll parks for the
 * re-check interval rather than indefinitely, so the driver never goes unkept for long.
 * When the last worker exits, the driver is taken for good and shut down.
 *
 * <h2>Counting tasks, and shutdown in order</h2>
 * Each worker counts the tasks it spawned and completed in two owner-written fields (release
 * stores: no contended atomic on the spawn path); spawns from outside and completions by the
 * {@code shutdownNow} caller use two {@code AtomicLong}s. An outside spawn increments before it
 * checks the run state, so a shutdown either rejects it or sees it counted. {@code tryTerminate}
 * fences, then reads completions before spawns: a completion it sees implies (through the
 * queue hand-off) that the task's spawn is visible, and a task spawned inside another task is
 * spawned before its parent completes, so an alive task is never missed; the full fence makes
 * two workers completing the last two tasks see each other's counts.
 * <ol>
 *   <li>{@code shutdown}: the run state becomes SHUTDOWN; new tasks are rejected, from outside
 *       and from tasks alike. Accepted tasks keep running and may still be woken.</li>
 *   <li>{@code close}: shutdown, then once every worker sleeps (nothing can run) the tasks that
 *       wait for a wake-up are aborted, which queues them; workers complete them as
 *       cancelled. A wake that races with this either runs the task first or finds it
 *       cancelled; either way it is accounted for.</li>
 *   <li>How waiting tasks are found: each worker keeps an idle log, an owner-only array of the
 *       tasks that returned pending on it (a task's {@code loggedBy} says which log holds it,
 *       so it is appended once per worker it waits on, not once per poll). No lock and no
 *       shared write on the pending path; finished, moved-away and duplicate entries are
 *       dropped when the array fills. To cancel, the scheduler bumps its cancel epoch and wakes
 *       every worker; each aborts the tasks in its own log.</li>
 *   <li>{@code shutdownNow}: STOP; the caller drains the injector, inboxes, local queues and
 *       LIFO slots, cancelling each task (runnables never started are returned), has the
 *       workers abort the tasks in their idle logs, and interrupts the workers. Workers cancel, rather than poll, futures
 *       they dequeue from then on; a runnable that a worker won the race for (so it is not in
 *       the returned list) runs, so no runnable is both unreturned and unrun.</li>
 *   <li>Whoever completes a task after shutdown, and every worker about to sleep after it,
 *       checks the counts (a completion's release store may pass a concurrent shutdown's
 *       check; the sleeper's locked update orders it). When spawned equals completed, the run
 *       state becomes TERMINATED, every sleeper is
 *       woken, the workers leave their loops, and the last one to exit opens the termination
 *       latch.</li>
 * </ol>
 * Blocking work ({@code spawnBlocking}) is counted like an outside spawn; {@code shutdown}
 * lets the blocking pool finish its queue, {@code shutdownNow} cancels what it has not
 * started and interrupts the rest, and {@code close} treats running or queued blocking work as
 * "something can still run" (it may wake a waiting task), so it cancels nothing until that is
 * done.
 *
 * <h2>Blocked workers: the monitor, extra workers, blocking in place</h2>
 * Existing Future code blocks inside tasks ({@code future.get()}, {@code join()}), often on
 * work queued behind it, and there is no hook in the JDK's futures through which to see that
 * coming (ForkJoinPool compensates through {@code ManagedBlocker}, which only its own threads
 * reach). Spindle answers after the fact, as Go's sysmon does for threads stuck in system calls.
 * <ul>
 *   <li>The {@code Monitor} thread looks at each worker every tick (10 ms while any worker
 *       is awake, stretching to 100 ms while all sleep). It reads the poll counter
 *       (opaque store by the owner, nothing else on the hot path) and the task in the
 *       context: a worker inside the same poll as at the last tick is stuck. Stalls longer than
 *       the threshold are reported once per poll, by the runtime's clock.</li>
 *   <li>While a stuck worker has queued work, the monitor wakes a sleeping peer to steal it
 *       (sleepers re-check every millisecond anyway while a peer is awake). If nobody sleeps,
 *       no worker polled anything during the last tick, work is queued, and a stuck worker's
 *       thread is blocked (WAITING, TIMED_WAITING or BLOCKED), the monitor starts an
 *       <em>extra worker</em>: a worker with its own queues, in {@code Scheduler.all} (what
 *       searches steal from) but not in {@code Idle}. It steals like any searcher without
 *       taking a search slot. It is a guest: tasks it polls keep their core home, tasks it
 *       spawns get none, and its spawn and completion counts go to the shared counters. So
 *       no other thread ever puts a task in its queues; when it has found nothing for about
 *       20 ms its own queues are empty for good, and it leaves. Tasks that go idle on it are
 *       logged in the scheduler's shared orphan log (locked; this path is rare) for
 *       {@code close} and {@code shutdownNow} to cancel. A runnable (busy) stuck worker gets no
 *       extra: more threads than cores would only slow computation down.</li>
 *   <li>{@code Tasks.blockInPlace} is the same compensation, asked for up front: the worker
 *       moves its LIFO slot, local queue and inbox to the injector, wakes a sleeper or starts an
 *       extra, and sets {@code blockedInPlace}. Until the body returns, its thread counts as an
 *       outside thread ({@code currentWorker} is null): spawns and wakes from the body go to
 *       the injector, and remote wakes of tasks homed on it skip its inbox.</li>
 * </ul>
 * Extras count as alive for termination (the live count is raised before the thread starts,
 * and never from zero), and {@code close} treats a live extra like an awake worker.
 */
package dev.spindle.internal.worker;
