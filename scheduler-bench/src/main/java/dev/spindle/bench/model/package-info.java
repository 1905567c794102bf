/**
 * Benchmarks of Spindle's programming model against what a Java user would write otherwise:
 * {@code Futures.joinAll} over many handles against {@code CompletableFuture.allOf} on
 * {@code ForkJoinPool}, a recursive split and join ({@code Futures.join}) against
 * {@code RecursiveTask}'s fork and join, a million-step {@code Futures.loop} against a plain loop
 * (the floor), and lines read from a loopback {@code TcpStream} against
 * {@code BufferedReader.readLine} on a blocking socket. They share the runner's run shape
 * ({@code JmhSettings}: forks, fixed heap, 1 s iterations, time per operation) without its
 * executor matrix; run
 * them with
 * {@code java -jar scheduler-bench/target/benchmarks.jar --jmh 'dev.spindle.bench.model'}.
 */
package dev.spindle.bench.model;
