package dev.spindle.bench.model;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"spindle", "platform", "virtual"})
    void lineReadReadsWholeBlocks(String impl) throws Exception {
        Assumptions.assumeTrue(!"virtual".equals(impl) || java.lang.Runtime.version().feature() >= 21,
                "virtual threads need JDK 21");
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
