package dev.spindle.bench.runner;

import dev.spindle.bench.Workloads;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the comparative runner was asked to do, parsed from its command line. Names are checked
 * here, so a typo fails before any benchmark starts.
 */
public final class RunOptions {
    /** The usage text {@code --help} prints. */
    public static final String USAGE = String.join("\n",
            "usage: java -jar scheduler-bench/target/benchmarks.jar [options]",
            "",
            "Runs the scheduler workloads on Spindle and its peers in one JMH run, prints a table",
            "(time per operation with its error, Spindle's ratio to the best peer) and writes an",
            "HTML report with one bar chart per workload.",
            "",
            "  --full               the full run: 2 forks, 5 x 1 s warm-up, 8 x 1 s measurement,",
            "                       allocation per operation (-prof gc), remote_contention with 1,",
            "                       2, 4 and 8 producers (the default is the quick run: 1 fork,",
            "                       4 x 1 s warm-up, 10 x 200 ms measured, 1 and 4 producers);",
            "                       ping_pong always shows 1 and 10 round trips per pair",
            "  --workloads a,b      only these workloads (" + String.join(", ", Workloads.names()) + ")",
            "  --executors x,y      only these executors (" + String.join(", ", Workloads.EXECUTORS) + ")",
            "  --json FILE          also write JMH's JSON results to FILE",
            "  --report FILE        where the HTML report goes (default: spindle-report.html next to",
            "                       benchmarks.jar, in scheduler-bench/target)",
            "  --forks N  --warmups N  --iterations N  --time MS",
            "                       override the run shape (--time: the time of every warm-up",
            "                       and measured iteration, in milliseconds)",
            "  --jmh ARGS...        hand every later argument to JMH's own command line, unchanged",
            "  --help               this text");

    boolean help;
    boolean full;
    List<String> workloads = Workloads.names();
    List<String> executors = Workloads.EXECUTORS;
    Path json;
    Path report;
    Integer forks;
    Integer warmups;
    Integer iterations;
    Integer timeMillis;
    /** Arguments after {@code --jmh}, or null when the comparative runner is wanted. */
    List<String> jmhArgs;

    private RunOptions() {
    }

    /**
     * Parses the runner's arguments.
     *
     * @throws IllegalArgumentException with a message fit for the user (it names the valid
     *         choices) if an argument is unknown, a name is not a workload or executor, or a
     *         value is missing or malformed
     */
    public static RunOptions parse(String... args) {
        RunOptions o = new RunOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help":
                case "-h":
                    o.help = true;
                    break;
                case "--full":
                    o.full = true;
                    break;
                case "--workloads":
                    o.workloads = names(value(args, ++i, a), Workloads.names(), "workload");
                    break;
                case "--executors":
                    o.executors = names(value(args, ++i, a), Workloads.EXECUTORS, "executor");
                    break;
                case "--json":
                    o.json = Path.of(value(args, ++i, a));
                    break;
                case "--report":
                    o.report = Path.of(value(args, ++i, a));
                    break;
                case "--forks":
                    o.forks = count(value(args, ++i, a), a, 0);
                    break;
                case "--warmups":
                    o.warmups = count(value(args, ++i, a), a, 0);
                    break;
                case "--iterations":
                    o.iterations = count(value(args, ++i, a), a, 1);
                    break;
                case "--time":
                    o.timeMillis = count(value(args, ++i, a), a, 1);
                    break;
                case "--jmh":
                    o.jmhArgs = List.copyOf(Arrays.asList(args).subList(i + 1, args.length));
                    return o;
                default:
                    throw new IllegalArgumentException("unknown argument: " + a
                            + " (--help lists the options; JMH's own go after --jmh)");
            }
        }
        return o;
    }

    /** True if {@code --help} was asked for. */
    public boolean help() {
        return help;
    }

    /** The arguments for JMH's own command line, or null for the comparative run. */
    public List<String> jmhArgs() {
        return jmhArgs;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int count(String text, String option, int min) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new IllegalArgumentException(option + " takes a whole number of at least " + min + ", not " + text);
    }

    /** The comma-separated names in {@code text}, in the order of {@code valid}, each checked. */
    private static List<String> names(String text, List<String> valid, String kind) {
        List<String> asked = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String s : text.split(",")) {
            String n = s.trim();
            if (n.isEmpty()) {
                continue;
            }
            (valid.contains(n) ? asked : unknown).add(n);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown " + kind + (unknown.size() > 1 ? "s: " : ": ")
                    + String.join(", ", unknown) + "; valid " + kind + "s: " + String.join(", ", valid));
        }
        if (asked.isEmpty()) {
            throw new IllegalArgumentException("no " + kind + " named; valid " + kind + "s: " + String.join(", ", valid));
        }
        List<String> ordered = new ArrayList<>(valid);
        ordered.retainAll(asked);
        return List.copyOf(ordered);
    }
}
