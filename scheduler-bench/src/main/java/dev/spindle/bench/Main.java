package dev.spindle.bench;

/**
 * The entry point of {@code benchmarks.jar}. For now it hands its arguments to JMH as they
 * are; the comparative runner (tables of ratios against the peers) will take its place.
 *
 * <pre>{@code java -jar scheduler-bench/target/benchmarks.jar -prof gc -rf json -rff results.json}</pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
