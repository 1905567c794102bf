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
 *   <li>Timers due in the same wheel tick share one <em>bucket</em>, which is one wheel timer
 *       due at the bucket's earliest deadline. When it fires, the bucket's due timers fire
 *       (deadline at or before the clock: nothing early, and a manual clock moved exactly to a
 *       deadline fires it) and the rest re-arm the bucket at their earliest deadline. Agrona's wheel gives every
 *       spoke the same capacity, so a million timers on one deadline (a burst of connections
 *       with one idle timeout) would have grown it to gigabytes; buckets keep each spoke to a
 *       timer per distinct tick. A timer knows its bucket and its index in it, so a cancel is
 *       a swap-remove; the wheel timer goes when its bucket empties.</li>
 *   <li>Firing unlinks every timer of a bucket ({@code bucket = null}) under the lock, so a
 *       cancel that comes after finds nothing to do (the wheel reuses ids, so cancelling by a
 *       stale id could otherwise hit a stranger's timer).</li>
 * </ul>
 * The wheel cannot report its next deadline, so the driver keeps the ticks that have a bucket
 * in a min-heap (a tick enters when its bucket is made; a tick whose bucket is gone is dropped
 * when it reaches the top, and the heap is rebuilt from the live buckets when stale entries
 * outnumber them). {@code earliest} is the top bucket's wheel deadline, never later than the
 * earliest pending timer: the keeping worker parks until it. A timer that becomes the
 * earliest calls {@code onEarlierDeadline} so the keeper parks again. Firing first moves the
 * wheel to the earliest bucket's tick (no timer lies before it), so a long park does not make
 * the wheel poll every empty tick in between.
 * A fired entry's {@code fired} flag is written before its waker is read, and a poll stores its
 * waker before it reads {@code fired} (all volatile): either the poll sees the flag, or the
 * firer sees the poll's waker, so no wake-up is lost.
 */
package dev.spindle.internal.time;
