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

    /** Set on the JVM that {@link #main} started again with JMH's Unsafe allowance. */
    private static final String RELAUNCHED = "spindle.bench.relaunched";

    /** Runs the comparison the arguments ask for; exits nonzero on bad arguments or failed cases. */
    public static void main(String[] args) throws Exception {
        if (needsUnsafeAllowance()) {
            System.exit(relaunchWithUnsafeAllowance(args));
        }
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * JMH's own code calls {@code sun.misc.Unsafe}, which JDK 23 and newer warn about unless
     * the JVM was started with {@code --sun-misc-unsafe-memory-access=allow} (an option JDK 17
     * rejects). Users need no JVM flags: on such a JDK the runner starts itself again with it.
     */
    private static boolean needsUnsafeAllowance() {
        return java.lang.Runtime.version().feature() >= 23 && !Boolean.getBoolean(RELAUNCHED)
                && java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .noneMatch(a -> a.startsWith("--sun-misc-unsafe-memory-access"));
    }

    private static int relaunchWithUnsafeAllowance(String[] args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.add("-D" + RELAUNCHED + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
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
