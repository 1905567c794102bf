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
 */
package dev.spindle.sync;
