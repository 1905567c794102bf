/**
 * Building blocks for tasks that wait on each other: {@link dev.spindle.sync.AtomicWaker} (one
 * waiting task), {@link dev.spindle.sync.WaitGroup} (many tasks wait for a count to reach
 * zero), {@link dev.spindle.sync.Notify} (permits and broadcasts) and
 * {@link dev.spindle.sync.Oneshot} (one value from one task to another).
 *
 * <p>Every future here spends one unit of the task's cooperative budget per poll (see
 * {@link dev.spindle.Context#consumeBudget()}), so a task looping on them still yields to its
 * peers. A future here that is dropped unfinished ({@link dev.spindle.PollFuture#drop()})
 * removes its waker registration.
 *
 * <p>Design notes: the lock-free slot's states and interleavings are in
 * {@link dev.spindle.sync.AtomicWaker}'s class notes. {@code WaitGroup} and {@code Notify}
 * keep their waiters in an intrusive doubly linked list guarded by one lock (the holder class
 * {@code WaiterList}), so a dropped waiter unlinks itself in constant time; wakers are always
 * called after the lock is released.
 *
 * <h2>Semaphore, Mutex and Channel</h2>
 * Async building blocks for tasks: {@link dev.spindle.sync.Semaphore},
 * {@link dev.spindle.sync.Mutex} and {@link dev.spindle.sync.Channel}.
 *
 * <p>Design: each primitive keeps its state (counts, buffer, FIFO waiter queue) in one small
 * holder whose monitor is its lock ({@code synchronized}; the model checker in the tests
 * explores it cheaply). A waiter records its task's {@link dev.spindle.Waker} under the lock,
 * and whoever makes progress possible takes the waker out under the lock and calls it after
 * unlocking. Capacity (permits, buffer slots) is <em>granted</em> to the waiter at the head of
 * the queue rather than left for it to grab, so a later caller cannot overtake it; a waiter
 * whose future is dropped after a grant gives the grant back, and the next waiter gets it.
 * Every poll spends one unit of the cooperative budget.
 */
package dev.spindle.sync;
