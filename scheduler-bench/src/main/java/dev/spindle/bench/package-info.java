/**
 * Scheduler benchmarks: Tokio's {@code rt_multi_threaded} workloads at the same sizes, each run
 * on Spindle and on its peers in the same JMH run.
 *
 * <h2>How a workload is laid out</h2>
 * Each workload is one class extending {@link dev.spindle.bench.BenchmarkBase}, whose
 * {@code executor} parameter picks what runs it:
 * <ul>
 *   <li>{@code spindle}: native {@code PollFuture} tasks, spawned with {@code Spindle.spawn} or
 *       {@code Tasks.spawn}, yielding with {@code Tasks.yieldPending}, waking through wakers;</li>
 *   <li>{@code spindle-exec}: the same runtime through {@code execute} only;</li>
 *   <li>a peer from {@link dev.spindle.bench.baseline.Peers}: {@code fjp}, {@code fjp-async},
 *       {@code tpe}, {@code vthreads} (JDK 21+), {@code kotlin};</li>
 *   <li>{@code serial}, the floor: the same runnables on the benchmark thread, queued in an
 *       {@code ArrayDeque} ({@link dev.spindle.bench.baseline.SerialExecutor}).</li>
 * </ul>
 * All but the first share one runnable body: "spawn" is {@code execute}, "yield" submits the
 * same runnable again, and ping-pong bounces by resubmission. Every workload runs on every
 * executor unless it redeclares the {@code executor} field with its own {@code @Param} values
 * ({@code cf_chain} has no native case; {@code cf_blocking} has neither a native case nor a
 * serial floor, which cannot block). A workload whose peer is not an executor from
 * {@code Peers} (the timer workload's {@code ScheduledThreadPoolExecutor}) starts it by
 * overriding {@code startPeer}. Other parameters of a workload (a channel's kind, say) are
 * plain {@code @Param} fields of its class, crossed with the executors by JMH and by the smoke
 * test alike. {@link dev.spindle.bench.Workloads} names the scheduler workloads, and
 * {@link dev.spindle.bench.Main} runs them side by side.
 *
 * <h2>Completion</h2>
 * The tasks of an operation count down one {@link dev.spindle.bench.Countdown}; the benchmark
 * thread parks on it and the last task unparks it. No task ever blocks on another inside the
 * executor (but in {@code cf_blocking}, whose point that is), and completion costs the same on every executor. On the serial floor the benchmark
 * thread runs the queued tasks itself before it looks at the countdown, so the floor includes
 * the same count-down per task (an uncontended atomic) and nothing else shared.
 *
 * <h2>Reading the allocation figures</h2>
 * Task bodies and the per-pair one-shots are allocated once per trial and rearmed per
 * operation, so {@code gc.alloc.rate.norm} (with {@code -prof gc}) is what the executor itself
 * allocates: divide by the tasks an operation spawns, submits or wakes to get bytes per spawn,
 * per yield or per wake. The workloads that exercise a public primitive ({@code Oneshot},
 * {@code Channel}, {@code Time.sleep}) make that primitive's objects as a user would, so their
 * figures include them; each class says what that adds.
 */
package dev.spindle.bench;
