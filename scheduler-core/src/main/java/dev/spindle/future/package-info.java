/**
 * Composing {@link dev.spindle.PollFuture}s, and bridges between them and
 * {@link java.util.concurrent.CompletionStage}: {@link dev.spindle.future.Futures}.
 *
 * <p>The other direction, a task's output as a {@code CompletableFuture}, is
 * {@link dev.spindle.JoinHandle#toCompletableFuture()}.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Children are slots.</b> Every combinator keeps its children in
 *       {@code Combinators.Slot}s: a slot holds its future while it is live and forgets it when
 *       the child returns ready (keeping the value), throws, or is dropped. Polling and
 *       dropping go through the slot, so "never poll a finished child again" and "drop each
 *       unfinished child once, never a finished one" hold by construction.</li>
 *   <li><b>Budget.</b> Combinators are not resources and spend no budget; the leaves
 *       (channels, join handles, stage bridges) do. A child that finds the budget spent
 *       answers pending and has woken the task, so a combinator that sees pending needs no
 *       wake-up of its own.</li>
 *   <li><b>Fairness.</b> {@code select}/{@code race} start their first poll at a random
 *       child (ThreadLocalRandom) and each later poll one child further along: a select made
 *       afresh in a loop over an always-ready branch still lets the other branch win, and
 *       within one select a branch polled last is polled first next time.
 *       {@code join}/{@code joinAll} poll every live child each time, starting one further
 *       along per poll, so budget-spending children share the budget across polls.</li>
 *   <li><b>Failure.</b> A child's exception propagates as the same instance after the
 *       combinator drops its unfinished siblings; failures of those drops are suppressed
 *       onto it. A combinator that has its value (a select's winner) ignores a loser's failing
 *       drop, as the runtime ignores a failing drop.</li>
 * </ul>
 */
package dev.spindle.future;
