/**
 * The timer wheel and its driver.
 *
 * <p>{@code TimeDriver} keeps Agrona's {@code DeadlineTimerWheel} (half-millisecond ticks, not
 * thread-safe) behind one lock, with a map from the wheel's timer ids to timer entries. Who
 * touches it:
 * <ul>
 *   <li>Any thread schedules (a sleep's first pending poll) and cancels (a dropped sleep).</li>
 *   <li>Firing is {@code tryLock}: a worker at every fairness tick and after every timed park,
 *       and the monitor every tick. Expired entries are collected under the lock and woken after
 *       it, so a waker never runs under the lock.</li>
 *   <li>The wheel reuses an expired timer's id at once. An entry's {@code id} is cleared under
 *       the lock when it fires, and a cancel removes only the entry still filed under its id;
 *       otherwise cancelling a fired sleep could cancel a stranger's timer.</li>
 * </ul>
 * The wheel cannot report its next deadline, so while any timer is pending a sleeping worker
 * parks for at most one wheel tick and fires on waking; with no timer, parking is unchanged.
 * The first timer into an empty wheel wakes a sleeper, which may have parked with no deadline.
 * A fired entry's {@code fired} flag is written before its waker is read, and a poll stores its
 * waker before it reads {@code fired} (all volatile): either the poll sees the flag, or the
 * firer sees the poll's waker, so no wake-up is lost.
 */
package dev.spindle.internal.time;
