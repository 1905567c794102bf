/**
 * Composing {@link dev.spindle.PollFuture}s, and bridges between them and
 * {@link java.util.concurrent.CompletionStage}: {@link dev.spindle.future.Futures}.
 *
 * <p>The other direction, a task's output as a {@code CompletableFuture}, is
 * {@link dev.spindle.JoinHandle#toCompletableFuture()}.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Children are slots.</b> The combinators of many children ({@code joinAll},
 *       {@code select}, {@code race}) and the {@code Futures} wrappers keep their children in
 *       {@code Combinators.Slot}s: a slot holds its future while it is live and forgets it when
 *       the child returns ready (keeping the value), throws, or is dropped. Polling and
 *       dropping go through the slot, so "never poll a finished child again" and "drop each
 *       unfinished child once, never a finished one" hold by construction. Where a slot would
 *       be one more object per step ({@code map}, {@code andThen}, the join of two), the
 *       combinator keeps the same rules with a field per child, which it clears when the child
 *       answers ready or throws.</li>
 *   <li><b>The join of two polls both.</b> {@code Futures.join(a, b)} polls each unfinished
 *       child on every poll with the task's own context, alternating which goes first, as
 *       Tokio's {@code join!} does: no waker per child, nothing another thread touches. A wake
 *       of one costs at most one extra poll of the other, which is cheaper than the protocol
 *       below for two children (in the {@code RecursiveJoin} model benchmark, on 2026-12-05: 152
 *       bytes less a split and a quarter to a third less time).</li>
 *   <li><b>A waker per child.</b> {@code joinAll}, {@code select} and {@code race}
 *       ({@code Combinators.All}, {@code Combinators.Any}) extend {@code Children}, which owns
 *       this protocol: each child is a slot that is also its own waker, allocated once, with a
 *       {@code queued} flag. The combinator object is also the context its children are polled
 *       with, so it allocates itself, its children and their array, and the task's
 *       {@code AtomicWaker}. A wake
 *       that sets the flag (false to true) pushes the child on a lock-free stack (Treiber,
 *       intrusive: the child's {@code next} field is the link, so a wake allocates nothing)
 *       and wakes the task's waker, kept in an {@code AtomicWaker}. A poll first registers the
 *       task's waker there, then takes the whole stack (one get-and-set), reverses it into wake
 *       order behind the children left over from the previous poll (the "batch", owner only),
 *       and polls those: one wake, one child's poll. At construction every child is queued.
 *       Each poll takes the stack once: a child woken during this poll is polled on the next,
 *       which its wake has scheduled, so a child that keeps waking itself cannot hold a poll.
 *       <br>Interleavings that matter:
 *       <ul>
 *         <li><i>Wake during the child's poll.</i> The owner clears the flag before polling
 *             (after unlinking the child: from the clear on, a pusher owns {@code next}). A wake
 *             from then on sets it again and queues the child; clearing after the poll would
 *             swallow that wake, and the child would never be polled again.</li>
 *         <li><i>Wake racing the clear.</i> The clear is a volatile store, the wake a CAS, and
 *             the child's own state is stored before its waker is woken and read by its poll
 *             after the clear: either the CAS sees false and queues the child, or the poll sees
 *             the new state.</li>
 *         <li><i>Wake racing the drain.</i> The task's waker is registered before the drain:
 *             a push that the drain missed is followed by a wake of that waker, so the task
 *             polls again and the next drain has it. Registering after the drain looks as good
 *             but is not: when the wake that scheduled this poll has already taken the waker out
 *             of the slot, a push between drain and register finds no waker to wake, and the
 *             child waits for a poll nobody schedules ({@code CombinatorsLincheckTest} has that
 *             interleaving).</li>
 *         <li><i>Spurious wakes.</i> A resource's {@code AtomicWaker} wakes the child's waker
 *             itself when the child's register meets a wake in progress; that costs one more
 *             poll of that child, not of its siblings. On a loaded machine, a waking thread
 *             preempted inside its wake makes every register in that window do so.</li>
 *         <li><i>Late wakes.</i> A child that finished keeps its flag set for good, and closing
 *             the combinator (ready, failed, dropped) sets the flags of the children still live,
 *             lets the task's waker go and forgets the stack: a waker kept by a resource may be
 *             woken from any thread, any time after, and does nothing. The flag of a child that
 *             finishes is set with a plain release store, not a fenced one: a wake that gets in
 *             first queues a child that the owner's take skips (it is no longer live), and wakes
 *             the task once more; nothing is polled after it finished.</li>
 *       </ul></li>
 *   <li><b>Budget.</b> Combinators are not resources and spend no budget; the leaves
 *       (channels, join handles, stage bridges) do. The join of two hands its children the
 *       task's context. Elsewhere a child is polled with a context that
 *       hands out its own waker and passes the budget calls to the task's context; when the
 *       budget is spent, that context wakes the child's waker (the runtime's context notes a
 *       yield without waking a waker), so the child is queued for the next poll. A
 *       {@code joinAll} or select that finds the budget spent with children still queued stops, keeps them
 *       queued and wakes the task (a yield); it polls at least one child per poll.</li>
 *   <li><b>Fairness.</b> {@code select}/{@code race} queue their children for the first poll
 *       starting at a random one (ThreadLocalRandom): a select made afresh in a loop over an
 *       always-ready branch still lets the other branch win. After that, every
 *       {@code joinAll} and select polls its children in the order they were woken; the join
 *       of two alternates which of its two it polls first.</li>
 *   <li><b>Failure.</b> A child's exception propagates as the same instance after the
 *       combinator drops its unfinished siblings; failures of those drops are suppressed
 *       onto it. A combinator that has its value (a select's winner) ignores a loser's failing
 *       drop, as the runtime ignores a failing drop.</li>
 * </ul>
 */
package dev.spindle.future;
