/**
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
