/**
 * Run queues. Each wraps a JCTools or JDK queue behind the few operations the scheduler uses,
 * so the worker code names roles, not queue classes, and no JCTools type leaks outward.
 *
 * <ul>
 *   <li>{@link dev.spindle.internal.queue.LocalQueue}: a worker's bounded FIFO run queue.
 *       Single producer (the owning worker), many consumers (the owner and thieves): JCTools'
 *       {@code SpmcAtomicArrayQueue}. When full, the owner moves half of it to the injector.</li>
 *   <li>{@link dev.spindle.internal.queue.Inbox}: tasks woken on other threads for this
 *       worker. Many producers (any waking thread), many consumers (the owner, and idle peers,
 *       so no task is stranded behind a busy owner): JCTools' bounded
 *       {@code MpmcAtomicArrayQueue}; a wake that finds it full goes to the injector.</li>
 *   <li>{@link dev.spindle.internal.queue.Injector}: the unbounded global queue for outside
 *       submissions and overflow: the JDK's lock-free {@code ConcurrentLinkedQueue}.</li>
 * </ul>
 * All three come from the {@code atomic} (VarHandle/field-updater) side of JCTools, or the JDK,
 * so nothing here prints an {@code Unsafe} warning on JDK 24 and later.
 *
 * <p>Inbox and injector offers are volatile compare-and-sets, which is what makes the parking
 * protocol's offer-then-check pairing hold; the local queue's offer is a release store, so its
 * owner adds a full fence before it checks for sleepers (see the worker package). A thief's
 * {@code stealHalfInto} on a local queue claims its whole batch with one compare-and-set.
 */
package dev.spindle.internal.queue;
