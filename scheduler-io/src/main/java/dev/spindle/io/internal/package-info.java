/**
 * The reactor's machinery: the selector driver, per-channel readiness, and waiter lists.
 *
 * <h2>Who waits in the selector</h2>
 * {@code SelectorDriver} is the runtime's {@code spi.Driver}: the worker that keeps the driver
 * blocks in {@code select} (timeout: the nearest timer), busy workers and the monitor call
 * {@code selectNow}, never two at once (the core's {@code DriverKeeper}). Events are dispatched
 * on that thread through {@code select(Consumer)}, which allocates no iterator.
 *
 * <h2>Interest, level-triggered</h2>
 * NIO's selector is level-triggered: a socket with unread bytes is reported by every select.
 * So interest is on only while somebody waits or is about to. A key starts with no interest.
 * An operation that would block files its waiter, then arms the direction's op
 * ({@code interestOpsOr}) unless it is armed already. The dispatcher leaves a direction armed
 * when it woke waiters there (they are about to use the socket, and most wait again: this
 * saves two {@code epoll_ctl} calls a request), and disarms a direction that had no waiter
 * ({@code interestOpsAnd}), then re-arms it if a waiter filed itself meanwhile (the waiter
 * files before it reads the interest, the dispatcher disarms before it looks for waiters: one
 * of the two sees the other). The same goes, once, for a
 * report that finds no waiter because the woken ones have not come back yet (they are queued
 * or running; under load the next poll of the selector often comes first): the interest stays
 * armed for them. A direction whose waiters never come back costs two more reports at most,
 * the second of which disarms it. An interest change is applied by the next select; a
 * select already blocked is woken ({@code Selector.wakeup}) only when {@code blocked} says one
 * is: the arming thread queues its update under the selector's lock and then reads
 * {@code blocked}, the keeper writes {@code blocked} and then takes that lock to apply queued
 * updates, so either the select applies the update or the arming thread wakes it.
 *
 * <h2>Readiness and its tick</h2>
 * {@code Registration.state} packs READ, WRITE and CLOSED bits with a count of readiness
 * events above them. It starts READ|WRITE (optimistic: an operation is tried before anything
 * is waited for). The dispatcher ORs in what arrived and bumps the count, <em>then</em> takes
 * the waiter lists. An operation reads the word, tries the socket while its bit is set, and on
 * would-block: files itself in the direction's list (under the registration's lock), then
 * clears its bit with a CAS from exactly the word it read. A newer event changed the word, so
 * the CAS fails and the operation tries again; an event after the CAS finds the waiter filed.
 * Readiness is cleared only by an operation, and only if nothing newer arrived since it read
 * the word: one that saw would-block, or (as Tokio does) one that moved fewer bytes than it
 * had room for, which is would-block seen one call early and saves the call that would see
 * it. Clearing too early cannot lose an event: the next operation arms interest, and a
 * level-triggered selector reports a socket that is still ready at once.
 *
 * <h2>Waiter lists</h2>
 * Every waiting operation is its own list node ({@code IoOp extends Waiter}), so any number of
 * tasks can wait in one direction of one socket and none replaces another's waker. A woken
 * list is unlinked whole under the lock, its wakers copied out and woken after the lock is
 * released; a waiter polled again files itself anew. A finished or dropped operation unlinks
 * itself. Close sets CLOSED, cancels the key and wakes both lists; their operations then fail
 * with an {@code IOException} naming the operation, the address and the reason. The channel's
 * descriptor is released by the selector at its next select, so a close wakes a blocked one.
 */
package dev.spindle.io.internal;
