package dev.spindle.bench.runner;

import dev.spindle.bench.BenchmarkBase;
import dev.spindle.bench.CfBlocking;
import dev.spindle.bench.JmhSettings;
import dev.spindle.bench.Main;
import dev.spindle.bench.Workloads;
import dev.spindle.bench.baseline.Peers;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runs the chosen workloads on the chosen executors through JMH's API, one benchmark and
 * executor at a time so that it can say where it is, then prints the comparison table and
 * writes the HTML report (and JMH's JSON when asked).
 *
 * <p>A case that fails because the executor deadlocked ({@code cf_blocking} on a fixed pool
 * whose threads all wait on futures queued behind them) is reported as deadlocking, with no
 * figure, and does not fail the run.
 *
 * <p>Current behaviour: the quick run is 1 fork, 3 warm-up and 10 measurement iterations of
 * 100 ms each, ping_pong with 1 and 10 round trips, and remote_contention with 1 and 4
 * producers; {@code --full} is 2 forks, 5 × 1 s warm-up, 8 × 1 s measurement,
 * {@code -prof gc} and every producer count (1, 2, 4, 8).
 */
public final class ComparativeRun {
    private final RunOptions options;
    private final PrintStream out;
    private final List<RunResult> jmhResults = new ArrayList<>();

    /** A run of what {@code options} asks for, reporting on {@code out}. */
    public ComparativeRun(RunOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * One JMH run to make: a workload, the parameter that picks its row (its name and value, or
     * both null), an executor.
     */
    private record Case(String workload, String row, String param, String value, String executor) {
    }

    /** A workload's second parameter: its name, and the values each kind of run shows. */
    private record RowParam(String name, List<String> quick, List<String> full, String one, String many) {
        String row(String workload, String value) {
            return workload + " (" + value + " " + (value.equals("1") ? one : many) + ")";
        }
    }

    /** The workloads that have more than one shape, each shape a row of its own. */
    private static final Map<String, RowParam> ROW_PARAMS = Map.of(
            "ping_pong", new RowParam("rounds", List.of("1", "10"), List.of("1", "10"), "round trip", "round trips"),
            "remote_contention", new RowParam("producers", List.of("1", "4"), List.of("1", "2", "4", "8"),
                    "producer", "producers"));

    /**
     * Runs every case, prints the table and writes the reports.
     *
     * @return 0 if every case ran, 1 if some failed (the others are still reported)
     */
    public int execute() throws IOException {
        List<Case> cases = cases();
        boolean gc = options.full;
        int forks = options.forks != null ? options.forks : options.full ? 2 : 1;
        // The quick run still warms up for 4 s: a fresh JVM runs these workloads 1.5-2.5x slower
        // for its first 2-3 s, on any executor (mostly the first touch of the fixed heap: with
        // -XX:+AlwaysPreTouch the first second is near the steady state), so figures taken sooner
        // say how far each JVM happened to get, in either executor's favour.
        int warmups = options.warmups != null ? options.warmups : options.full ? 5 : 4;
        int iterations = options.iterations != null ? options.iterations : options.full ? 8 : 10;
        int warmupMillis = options.timeMillis != null ? options.timeMillis : 1000;
        int millis = options.timeMillis != null ? options.timeMillis : options.full ? 1000 : 200;
        String shape = String.format(Locale.ROOT, "%d fork%s, %d x %d ms warm-up, %d x %d ms measured%s",
                forks, forks == 1 ? "" : "s", warmups, warmupMillis, iterations, millis, gc ? ", -prof gc" : "");
        out.println("Spindle comparative run: " + cases.size() + " cases; " + shape + "; "
                + java.lang.Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version"));

        List<Measurement> measured = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> deadlocked = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            out.printf(Locale.ROOT, "[%" + width(cases.size()) + "d/%d] %-34s %-12s ", i + 1, cases.size(), c.row, c.executor);
            out.flush();
            ChainedOptionsBuilder b = new OptionsBuilder()
                    .include("^" + Pattern.quote(Workloads.benchmarkClass(c.workload).getName()) + "\\.run$")
                    .param("executor", c.executor)
                    .forks(forks)
                    .warmupIterations(warmups)
                    .warmupTime(TimeValue.milliseconds(warmupMillis))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.milliseconds(millis))
                    .verbosity(VerboseMode.SILENT)
                    .shouldFailOnError(true);
            // Setting jvmArgsAppend replaces the @Fork annotation's, so the fixed heap is restated.
            if (java.lang.Runtime.version().feature() >= 23) {
                // JMH's generated code reads field offsets through sun.misc.Unsafe; allowed, no warning.
                b.jvmArgsAppend(JmhSettings.HEAP_MIN, JmhSettings.HEAP_MAX, "--sun-misc-unsafe-memory-access=allow");
            } else {
                b.jvmArgsAppend(JmhSettings.HEAP_MIN, JmhSettings.HEAP_MAX);
            }
            if (c.param != null) {
                b.param(c.param, c.value);
            }
            if (gc) {
                b.addProfiler(GCProfiler.class);
            }
            try {
                Collection<RunResult> results = new Runner(b.build()).run();
                if (results.isEmpty()) {
                    throw new RunnerException("JMH found no benchmark to run");
                }
                for (RunResult r : results) {
                    jmhResults.add(r);
                    Measurement m = measurement(c, r);
                    measured.add(m);
                    out.printf(Locale.ROOT, "%s ± %s %s%n", Report.number(m.score()), Report.number(m.error()), m.unit());
                }
            } catch (RunnerException e) {
                if (mentions(e, CfBlocking.DEADLOCKED)) {
                    // What the workload measures: this executor cannot run work queued behind a blocked task.
                    out.println("deadlocks (a nested get() waited " + CfBlocking.DEADLOCK_BOUND_MS
                            + " ms for a future queued behind it)");
                    deadlocked.add(c.row + " on " + c.executor);
                    continue;
                }
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                out.println("failed: " + cause);
                failed.add(c.row + " on " + c.executor + ": " + cause);
            }
        }
        out.printf(Locale.ROOT, "Measured in %.0f s.%n%n", (System.nanoTime() - started) / 1e9);

        Report report = new Report(measured, options.executors, shape);
        out.print(report.table());
        Path html = options.report != null ? options.report : defaultReportPath();
        Path parent = html.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(html, report.html());
        out.println();
        out.println("HTML report: " + html.toAbsolutePath());
        if (options.json != null) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, options.json.toString()).writeOut(jmhResults);
            out.println("JMH JSON: " + options.json.toAbsolutePath());
        }
        if (!deadlocked.isEmpty()) {
            out.println("Deadlocked, so no figure (not a failure of the run): " + String.join(", ", deadlocked));
        }
        if (!failed.isEmpty()) {
            out.println(failed.size() + " case(s) failed:");
            failed.forEach(f -> out.println("  " + f));
            return 1;
        }
        return 0;
    }

    /** The cases to run, in table order; executors this JVM lacks are named once and left out. */
    private List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        Set<String> skipped = new LinkedHashSet<>();
        for (String w : options.workloads) {
            List<String> runsOn = Workloads.executors(w);
            RowParam rp = ROW_PARAMS.get(w);
            List<String> values = rp == null ? java.util.Collections.singletonList(null)
                    : options.full ? rp.full : rp.quick;
            for (String p : values) {
                String row = p == null ? w : rp.row(w, p);
                for (String e : options.executors) {
                    if (!runsOn.contains(e)) {
                        continue;
                    }
                    String reason = Peers.unavailableReason(e);
                    if (reason != null) {
                        skipped.add(reason);
                        continue;
                    }
                    cases.add(new Case(w, row, rp == null ? null : rp.name, p, e));
                }
            }
        }
        for (String reason : skipped) {
            out.println("Skipped: " + reason + ".");
        }
        return cases;
    }

    /** True if {@code text} is in the message of {@code t}, its causes or what they suppressed. */
    static boolean mentions(Throwable t, String text) {
        if (t == null) {
            return false;
        }
        if (String.valueOf(t.getMessage()).contains(text) || mentions(t.getCause(), text)) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (mentions(s, text)) {
                return true;
            }
        }
        return false;
    }

    private static Measurement measurement(Case c, RunResult r) {
        Result<?> primary = r.getPrimaryResult();
        Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        return new Measurement(c.workload, c.row, c.executor, primary.getScore(), primary.getScoreError(),
                primary.getScoreUnit(), alloc == null ? Double.NaN : alloc.getScore());
    }

    private static int width(int n) {
        return Integer.toString(n).length();
    }

    /** spindle-report.html beside benchmarks.jar (or beside target/classes when run from the build). */
    static Path defaultReportPath() {
        CodeSource source = Main.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            try {
                Path dir = Path.of(source.getLocation().toURI()).getParent();
                if (dir != null) {
                    return dir.resolve("spindle-report.html");
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a file location: fall back to the working directory
            }
        }
        return Path.of("spindle-report.html");
    }
}
