/**
 * Asynchronous streams: {@link dev.spindle.stream.AsyncStream}, a poll-driven sequence of items
 * (an item, the end, or pending), with {@code map}, {@code filter}, {@code take},
 * {@code forEach}, {@code forEachAsync} and {@code collect}.
 *
 * <p>Sources: a channel's {@link dev.spindle.sync.Channel.Receiver} is a stream of its
 * messages; {@link dev.spindle.time.Time.Interval#ticks()} is a stream of ticks; in
 * {@code scheduler-io}, {@code TcpListener.incoming()} streams accepted connections and
 * {@code TcpStream.lines(max)} the lines a peer sends.
 *
 * <pre>{@code
 * // Print every message until every sender has closed.
 * PollFuture<Void> printed = channel.receiver().forEach(System.out::println);
 * }</pre>
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>The end is {@code Poll.ready(null)}.</b> Items are never null, so the end needs no
 *       wrapper and no allocation, as a channel's {@code receive()} completes with null at its
 *       end. Operators and the futures built on a stream never poll it after its end.</li>
 *   <li><b>Sources are slots.</b> Each operator keeps its source in
 *       {@code Operators.Upstream}, which forgets the source once it ends, throws, or is
 *       dropped: a source is never polled after its end, and dropped at most once, never after
 *       it ended or threw (the same rules as {@code dev.spindle.future}'s slots).</li>
 *   <li><b>Budget.</b> Sources spend one unit of the cooperative budget per item and give it
 *       back when they end up pending after spending it. Operators spend nothing, and the
 *       consuming futures loop until their stream answers pending: the budget spent at the
 *       sources is what bounds one poll, whatever a {@code filter} rejects on the way.</li>
 *   <li><b>Failure.</b> An exception from a stream, a mapper, a predicate, an action or a body
 *       propagates as the same instance; the operator drops its source first (unless the
 *       source is what threw), and failures of that drop are suppressed onto it.</li>
 *   <li><b>Constant stack.</b> Every operator and consuming future takes items in a loop, so
 *       the number of items does not add to the stack. Nor does the length of a chain:
 *       {@code map}, {@code filter} and {@code take} build one {@code Operators.Pipeline} (an
 *       operator applied to an unfinished one takes its source and stages over) that passes
 *       each item through its stages in a loop. A chain of single operators, each a stream over
 *       the last, overflowed a 1 MB stack at 5,000 maps.</li>
 * </ul>
 */
package dev.spindle.stream;
