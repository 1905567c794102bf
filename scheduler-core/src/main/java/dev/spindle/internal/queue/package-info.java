/**
 * Run queues. Their elements are tasks as workers run them: a task cell, or a plain
 * {@code Runnable} that {@code execute} queued as itself. Each wraps a JCTools or JDK queue behind the few operations the scheduler uses,
 * so the worker code names roles, not queue classes, and no JCTools type leaks outward.
 *
 * The two bounded queues share {@link dev.spindle.internal.queue.BoundedRunQueue}, and one
 * contract test (at capacity 4) checks both.
 * <ul>
 *   <li>{@link dev.spindle.internal.queue.LocalQueue}: a worker's bounded FIFO run queue.
 *       Single producer (the owning worker), many consumers (the owner and thieves): JCTools'
 *       {@code SpmcAtomicArrayQueue}. When full, the owner moves half of it to the injector.</li>
 *   <li>{@link dev.spindle.internal.queue.Inbox}: tasks woken on other threads for this
 *       worker. Many producers (any waking thread), many consumers (the owner, and idle peers,
 *       so no task is stranded behind a busy owner): JCTools' bounded
 *       {@code MpmcAtomicArrayQueue}; a wake that finds it full goes to the injector.</li>
 *   <li>{@link dev.spindle.internal.queue.SpawnStack}: the tasks a worker spawned, newest
 *       first for the owner and oldest first for thieves (a bounded Chase-Lev deque): what makes
 *       the owner's own work depth-first.</li>
 *   <li>{@link dev.spindle.internal.queue.Injector}: the unbounded global queue for outside
 *       submissions and overflow, in stripes: per stripe a JCTools MPSC array whose one
 *       consumer is whichever taker holds the stripe's take flag (a refill of any size costs
 *       one compare-and-set), then a growable ring under one lock, so an entry costs no
 *       allocation, and overflow (half a local queue) and refills (a fair share) move as
 *       batches under one lock hold. JCTools' only unbounded MPMC queue is
 *       {@code Unsafe}-based, and the JDK's linked queue allocates a node per entry.</li>
 * </ul>
 * The local queue and the inbox come from the {@code atomic} (field-updater) side of JCTools,
 * so nothing here prints an {@code Unsafe} warning on JDK 24 and later.
 *
 * <p>Inbox and injector offers are volatile writes (a compare-and-set, or the injector's size
 * written under its lock), which is what makes the parking protocol's offer-then-check pairing
 * hold; the local queue's offer is only a release store, and sleepers make up for that by
 * re-checking periodically while a peer is awake (see the worker package). A thief's
 * {@code stealHalfInto} on a local queue claims its whole batch with one compare-and-set.
 */
package dev.spindle.internal.queue;
