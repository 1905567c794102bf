package dev.spindle.bench.model;

import dev.spindle.Spindle;
import dev.spindle.bench.JmhSettings;
import dev.spindle.future.Futures;
import dev.spindle.future.Step;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * A loop of {@value #STEPS} steps, each adding its index to a sum: as {@code Futures.loop} run by
 * one task ({@code loop}), and as a plain Java loop over the same step function ({@code plain},
 * the floor: what the loop costs without any future). The task's loop runs its steps in one
 * poll except where the cooperative budget makes it yield, so the difference is the price of a
 * step as a future: its objects and the trampoline.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LoopSteps extends JmhSettings {
    static final int STEPS = 1_000_000;

    /** {@code loop}: {@code Futures.loop} in a task; {@code plain}: a {@code while} loop. */
    @Param({"loop", "plain"})
    public String impl;

    private Spindle rt;

    /** The loop's state: the next index and the sum so far. */
    static final class State {
        final int next;
        final long sum;

        State(int next, long sum) {
            this.next = next;
            this.sum = sum;
        }

        /** One step: the state after adding {@code next}, or null when the loop is done. */
        State step() {
            return next < STEPS ? new State(next + 1, sum + next) : null;
        }
    }

    @Setup
    public void start() {
        if (!"loop".equals(impl) && !"plain".equals(impl)) {
            throw new IllegalArgumentException("impl must be loop or plain, was " + impl);
        }
        // A million ready steps are one poll (nothing in them spends budget): not a stall to report.
        rt = Spindle.builder().workers(1).daemon(true).onStall(r -> { }).build();
    }

    @TearDown
    public void stop() {
        rt.close();
    }

    @Benchmark
    public long run() {
        long sum;
        if ("plain".equals(impl)) {
            State s = new State(0, 0);
            for (State n = s.step(); n != null; n = s.step()) {
                s = n;
            }
            sum = s.sum;
        } else {
            sum = rt.blockOn(rt.spawn(Futures.loop(new State(0, 0), s -> {
                State n = s.step();
                return Futures.ready(n == null ? Step.<State, Long>done(s.sum) : Step.next(n));
            })));
        }
        if (sum != (long) STEPS * (STEPS - 1) / 2) {
            throw new IllegalStateException("sum " + sum);
        }
        return sum;
    }
}
