package dev.spindle.bench.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The programming-model benchmarks' bodies, outside JMH, on each of their cases: a few operations
 * must give the checked result (each body throws on a wrong one) and the trial must tear down.
 * Speed is not looked at here.
 */
class ModelBenchmarksTest {
    private static final int OPERATIONS = 3;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"spindle", "fjp-allOf"})
    void joinAllSumsEveryTask(String impl) {
        JoinAll b = new JoinAll();
        b.impl = impl;
        b.start();
        try {
            for (int i = 0; i < OPERATIONS; i++) {
                assertEquals(JoinAll.SUM, b.run());
            }
        } finally {
            b.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"spindle", "spindle-handwritten", "spindle-exec", "fjp-recursive", "fjp"})
    void recursiveJoinComputesTheNumber(String impl) {
        RecursiveJoin b = new RecursiveJoin();
        b.impl = impl;
        b.start();
        try {
            for (int i = 0; i < OPERATIONS; i++) {
                assertEquals(RecursiveJoin.EXPECTED, b.run());
            }
        } finally {
            b.stop();
        }
    }

    /** The documented split count, counted on the same recursion. */
    @org.junit.jupiter.api.Test
    void recursiveJoinSplitsAsDocumented() {
        assertEquals(RecursiveJoin.SPLITS, splits(RecursiveJoin.N));
    }

    private static int splits(int n) {
        return n <= RecursiveJoin.CUTOFF ? 0 : 1 + splits(n - 1) + splits(n - 2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"loop", "plain"})
    void loopStepsSumsEveryStep(String impl) {
        LoopSteps b = new LoopSteps();
        b.impl = impl;
        b.start();
        try {
            for (int i = 0; i < OPERATIONS; i++) {
                assertEquals((long) LoopSteps.STEPS * (LoopSteps.STEPS - 1) / 2, b.run());
            }
        } finally {
            b.stop();
        }
    }

    /** LineRead's cases on this JDK: virtual threads only from JDK 21 (no skipped test, which Maven warns of). */
    static java.util.List<String> lineReaders() {
        return java.lang.Runtime.version().feature() >= 21
                ? java.util.List.of("spindle", "platform", "virtual") : java.util.List.of("spindle", "platform");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lineReaders")
    void lineReadReadsWholeBlocks(String impl) throws Exception {
        LineRead b = new LineRead();
        b.impl = impl;
        b.start();
        try {
            for (int i = 0; i < OPERATIONS; i++) {
                assertEquals(LineRead.LINES, b.run());
            }
        } finally {
            b.stop();
        }
    }
}
