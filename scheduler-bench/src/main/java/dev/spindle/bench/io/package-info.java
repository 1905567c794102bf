/**
 * I/O benchmarks: Spindle's reactor and example servers against Netty 4.2 (NIO transport) and,
 * for HTTP, a virtual-thread-per-connection server, on 127.0.0.1 only. Netty appears in this
 * module alone.
 *
 * <h2>What runs where</h2>
 * <ul>
 *   <li>{@link dev.spindle.bench.io.ServeMain} starts one server ({@code spindle}, {@code netty}
 *       or {@code vthreads} × {@code http} or {@code echo}) on a port and serves until killed;
 *       {@code src/main/scripts/wrk-compare.sh} drives the HTTP servers with {@code wrk} and
 *       prints requests/s, p50 and p99 side by side.</li>
 *   <li>{@link dev.spindle.bench.io.EchoRoundTrip} is the JMH benchmark: loopback echo round
 *       trips with server and clients on one runtime (Spindle) or one event loop group
 *       (Netty).</li>
 * </ul>
 *
 * <h2>Same work on every side</h2>
 * The Netty and virtual-thread HTTP servers answer byte for byte as
 * {@code dev.spindle.io.examples.HttpServer} does (status line, {@code Content-Type} and
 * {@code Content-Length}, keep-alive, pipelined answers of one read written together), with
 * {@code TCP_NODELAY} on and a backlog of 1024. Each gets as many threads doing the work as
 * Spindle has workers: Netty's event loop group (its boss thread only accepts), the
 * virtual-thread scheduler's parallelism.
 *
 * <h2>Netty's settings</h2>
 * Netty reads its system properties once, in static initializers, so
 * {@code NettyQuiet.configure()} runs before any Netty class initializes (from the static
 * initializers of the classes that use Netty, and first thing in {@code ServeMain}). On JDK 24
 * and later it sets {@code io.netty.noUnsafe=true}, without which Netty 4.2's first
 * {@code Unsafe.allocateMemory} prints JDK 25's {@code WARNING:} lines; on older JDKs Netty
 * keeps its defaults. Its transport is NIO: no native library is loaded.
 */
package dev.spindle.bench.io;
