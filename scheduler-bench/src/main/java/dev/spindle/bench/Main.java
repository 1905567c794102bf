package dev.spindle.bench;

import dev.spindle.bench.runner.ComparativeRun;
import dev.spindle.bench.runner.RunOptions;

import java.io.PrintStream;

/**
 * The entry point of {@code benchmarks.jar}: the comparative runner. With no arguments it runs
 * a quick comparison of every scheduler workload on Spindle and its peers, prints a table and
 * writes an HTML report; {@code --help} lists the options, and {@code --jmh ...} hands the
 * rest of the line to JMH's own command line.
 *
 * <pre>{@code java -jar scheduler-bench/target/benchmarks.jar --workloads ping_pong --executors spindle,fjp}</pre>
 */
public final class Main {
    private Main() {
    }

    /** Runs the comparison the arguments ask for; exits nonzero on bad arguments or failed cases. */
    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * What {@link #main} does, without exiting: 0 on success, 1 if some case failed, 2 on bad
     * arguments (told on {@code err} with the valid choices).
     */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        RunOptions options;
        try {
            options = RunOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("benchmarks.jar: " + e.getMessage());
            err.println("(--help lists the options)");
            return 2;
        }
        if (options.help()) {
            out.println(RunOptions.USAGE);
            return 0;
        }
        if (options.jmhArgs() != null) {
            org.openjdk.jmh.Main.main(options.jmhArgs().toArray(new String[0]));
            return 0;
        }
        return new ComparativeRun(options, out).execute();
    }
}
