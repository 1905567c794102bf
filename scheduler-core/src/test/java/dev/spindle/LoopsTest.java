package dev.spindle;

import dev.spindle.future.Futures;
import dev.spindle.future.Step;
import dev.spindle.sync.Channel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loops without hand-written state machines: a recursive {@code andThen} chain and
 * {@code Futures.loop} run any number of steps in constant stack and linear time, with and
 * without yielding between steps, polled by hand and on a runtime.
 */
class LoopsTest extends RuntimeTestBase {
    private static final int STEPS = 1_000_000;

    /** Counts from {@code i} to {@code end} as a chain of andThen steps, each built by the last. */
    private static PollFuture<Integer> countChain(int i, int end, boolean yieldEach) {
        if (i == end) {
            return Futures.ready(i);
        }
        PollFuture<Void> step = yieldEach ? Tasks.yieldNow() : Futures.ready(null);
        return Futures.andThen(step, v -> countChain(i + 1, end, yieldEach));
    }

    /** Counts from 0 to {@code end} with Futures.loop. */
    private static PollFuture<Integer> countLoop(int end, boolean yieldEach) {
        return Futures.loop(0, i -> i == end
                ? Futures.ready(Step.done(i))
                : Futures.map(yieldEach ? Tasks.yieldNow() : Futures.ready(null), v -> Step.next(i + 1)));
    }

    @Test
    void aMillionAndThenStepsRunInConstantStackInOnePoll() {
        AtomicInteger wakes = new AtomicInteger();
        Poll<Integer> p = countChain(0, STEPS, false).poll(Context.of(wakes::incrementAndGet, 128));
        assertEquals(STEPS, p.value());
        assertEquals(0, wakes.get());
    }

    @Test
    void aMillionLoopIterationsRunInConstantStackInOnePoll() {
        Poll<Integer> p = countLoop(STEPS, false).poll(Context.of(Waker.noop(), 128));
        assertEquals(STEPS, p.value());
    }

    @Test
    void chainsAndLoopsThatYieldEveryStepFinishOnARuntime() {
        Spindle rt = runtime(2);
        JoinHandle<Integer> chain = rt.spawn(countChain(0, STEPS, true));
        JoinHandle<Integer> loop = rt.spawn(countLoop(STEPS, true));
        assertEquals(STEPS, rt.blockOn(chain));
        assertEquals(STEPS, rt.blockOn(loop));
    }

    @Test
    void aLoopOverAChannelEndsWithTheStream() {
        Spindle rt = runtime(2);
        Channel<Long> ch = Channel.bounded(8);
        Channel.Receiver<Long> rx = ch.receiver();
        // The example in Futures.loop's javadoc, as written there.
        PollFuture<Long> sum = Futures.loop(0L, total -> Futures.map(rx.receive(),
                m -> m == null ? Step.<Long, Long>done(total) : Step.next(total + m)));
        JoinHandle<Long> summed = rt.spawn(sum);
        JoinHandle<Void> sent = rt.spawn(Futures.andThen(Futures.loop(1L, i -> i > 1000
                ? Futures.ready(Step.<Long, Void>done(null))
                : Futures.map(ch.sender().send(i), v -> Step.next(i + 1))), v -> {
                    ch.sender().close();
                    return Futures.ready(null);
                }));
        rt.blockOn(sent);
        assertEquals(1000L * 1001 / 2, rt.blockOn(summed));
    }

    @Test
    void badBodiesFailAtThePollThatMeetsThem() {
        assertThrows(NullPointerException.class, () -> Futures.loop(0, null));
        assertThrows(NullPointerException.class, () -> Futures.loop(0, i -> null));
        PollFuture<Integer> nullStep = Futures.loop(0, i -> Futures.ready(null));
        assertThrows(NullPointerException.class, () -> nullStep.poll(Context.of(Waker.noop(), 128)));
        assertThrows(IllegalStateException.class, () -> nullStep.poll(Context.of(Waker.noop(), 128)),
                "a loop that failed is finished");
        PollFuture<Integer> thrower = Futures.loop(0, i -> {
            if (i == 3) {
                throw new ArithmeticException("three");
            }
            return Futures.ready(Step.next(i + 1));
        });
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> thrower.poll(Context.of(Waker.noop(), 128)));
        assertEquals("three", e.getMessage());
    }

    @Test
    void droppingALoopDropsItsRunningIteration() {
        AtomicInteger drops = new AtomicInteger();
        PollFuture<Integer> loop = Futures.loop(0, i -> new PollFuture<Step<Integer, Integer>>() {
            @Override
            public Poll<Step<Integer, Integer>> poll(Context cx) {
                return Poll.pending();
            }

            @Override
            public void drop() {
                drops.incrementAndGet();
            }
        });
        assertTrue(loop.poll(Context.of(Waker.noop(), 128)).isPending());
        loop.drop();
        assertEquals(1, drops.get());
    }

    @Test
    void anAdoptedChainStageIsHandedOver() {
        // The chain takes over an andThen its function returns: polling that one again is a bug
        // the caller hears about, and dropping it does not drop the stage it handed over.
        AtomicInteger drops = new AtomicInteger();
        PollFuture<Integer> pendingForever = new PollFuture<>() {
            @Override
            public Poll<Integer> poll(Context cx) {
                return Poll.pending();
            }

            @Override
            public void drop() {
                drops.incrementAndGet();
            }
        };
        PollFuture<Integer> inner = Futures.andThen(pendingForever, Futures::ready);
        PollFuture<Integer> outer = Futures.andThen(Futures.ready(1), v -> inner);
        Context cx = Context.of(Waker.noop(), 128);
        assertTrue(outer.poll(cx).isPending());
        assertThrows(IllegalStateException.class, () -> inner.poll(cx));
        inner.drop();
        assertEquals(0, drops.get());
        outer.drop();
        assertEquals(1, drops.get());
    }
}
