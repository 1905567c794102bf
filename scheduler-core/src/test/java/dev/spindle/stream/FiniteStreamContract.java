package dev.spindle.stream;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.Waker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What every finite stream answers to, whatever it is: items in order then the end, one unit of
 * budget per item (and pending with a wake-up once the budget is spent), a clear exception when
 * polled after its end, and a drop before the end that throws nothing. Each subclass is one kind
 * of stream: a source, or an operator over one.
 */
abstract class FiniteStreamContract {
    private final AtomicInteger wakes = new AtomicInteger();
    private final Waker waker = wakes::incrementAndGet;

    /** A stream of 0, 1, ..., n - 1, every item ready, then the end. */
    abstract AsyncStream<Integer> streamOf(int n);

    @Test
    void itemsComeInOrderThenTheEnd() {
        AsyncStream<Integer> s = streamOf(5);
        Context cx = Context.of(waker, 128);
        List<Integer> got = new ArrayList<>();
        for (Poll<Integer> p = s.pollNext(cx); p.value() != null; p = s.pollNext(cx)) {
            got.add(p.value());
        }
        assertEquals(List.of(0, 1, 2, 3, 4), got);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.pollNext(cx));
        assertTrue(e.getMessage().contains("after its end") || e.getMessage().contains("after their end"),
                e.getMessage());
    }

    @Test
    void anEmptyStreamEndsAtOnce() {
        assertNull(streamOf(0).pollNext(Context.of(waker, 128)).value());
    }

    @Test
    void eachItemSpendsOneUnit() {
        AsyncStream<Integer> s = streamOf(10);
        Context cx = Context.of(waker, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(i, s.pollNext(cx).value());
        }
        assertEquals(0, cx.remainingBudget());
        assertTrue(s.pollNext(cx).isPending(), "the budget is spent");
        assertEquals(1, wakes.get(), "and the task woken to run again");
        assertEquals(3, s.pollNext(Context.of(waker, 1)).value(), "no item was lost");
    }

    @Test
    void aDropBeforeTheEndThrowsNothing() {
        AsyncStream<Integer> s = streamOf(3);
        assertEquals(0, s.pollNext(Context.of(waker, 128)).value());
        s.drop();
    }
}
