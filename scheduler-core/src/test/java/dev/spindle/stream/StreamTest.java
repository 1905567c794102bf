package dev.spindle.stream;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Waker;
import dev.spindle.future.Futures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The operators of {@link AsyncStream} and the futures that consume a stream, polled by hand. */
class StreamTest {
    private final AtomicInteger wakes = new AtomicInteger();
    private final Waker waker = wakes::incrementAndGet;

    private Context cx() {
        return Context.of(waker, 128);
    }

    @Test
    void operatorsKeepTheOrderAndTheEnd() {
        ScriptedStream source = new ScriptedStream(10);
        PollFuture<List<Integer>> all = source.filter(i -> i % 2 == 0).map(i -> "#" + i)
                .map(String::length).map(n -> n * 10).take(4).collect();
        assertEquals(List.of(20, 20, 20, 20), all.poll(cx()).value());

        ScriptedStream ordered = new ScriptedStream(6);
        List<Integer> seen = new ArrayList<>();
        assertNull(ordered.filter(i -> i != 3).map(i -> i * 2).forEach(seen::add).poll(cx()).value());
        assertEquals(List.of(0, 2, 4, 8, 10), seen);
        assertEquals(0, ordered.drops, "a stream that ended is not dropped");
    }

    @Test
    void aConsumerWaitsForAPendingSourceAndGoesOnWhenWoken() {
        ScriptedStream source = new ScriptedStream(4).blockAfter(2);
        List<Integer> seen = new ArrayList<>();
        PollFuture<Void> each = source.map(i -> i * 3).forEach(seen::add);
        assertTrue(each.poll(cx()).isPending());
        assertEquals(List.of(0, 3), seen);
        assertEquals(0, wakes.get());
        source.release();
        assertEquals(1, wakes.get(), "the source woke the consumer's task");
        assertTrue(each.poll(cx()).isReady());
        assertEquals(List.of(0, 3, 6, 9), seen);
    }

    @Test
    void anEmptyStreamCollectsAnEmptyListAndTheListCannotBeChanged() {
        List<Integer> none = new ScriptedStream(0).collect().poll(cx()).value();
        assertEquals(List.of(), none);
        List<Integer> some = new ScriptedStream(2).collect().poll(cx()).value();
        assertThrows(UnsupportedOperationException.class, () -> some.add(9));
    }

    @Test
    void pollingAfterTheEndThrows() {
        AsyncStream<Integer> mapped = new ScriptedStream(1).map(i -> i + 1);
        assertEquals(1, mapped.pollNext(cx()).value());
        assertNull(mapped.pollNext(cx()).value());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mapped.pollNext(cx()));
        assertTrue(e.getMessage().contains("polled after its end"), e.getMessage());
        AsyncStream<Integer> filtered = new ScriptedStream(0).filter(i -> true);
        assertNull(filtered.pollNext(cx()).value());
        assertThrows(IllegalStateException.class, () -> filtered.pollNext(cx()));
        AsyncStream<Integer> taken = new ScriptedStream(5).take(1);
        assertEquals(0, taken.pollNext(cx()).value());
        assertNull(taken.pollNext(cx()).value());
        assertThrows(IllegalStateException.class, () -> taken.pollNext(cx()));
        PollFuture<Void> each = new ScriptedStream(2).forEach(i -> { });
        assertTrue(each.poll(cx()).isReady());
        assertThrows(IllegalStateException.class, () -> each.poll(cx()));
        PollFuture<List<Integer>> collected = new ScriptedStream(2).collect();
        assertTrue(collected.poll(cx()).isReady());
        assertThrows(IllegalStateException.class, () -> collected.poll(cx()));
    }

    @Test
    void takeDropsItsSourceInThePollOfItsLastItem() {
        ScriptedStream source = new ScriptedStream(ScriptedStream.ENDLESS);
        AsyncStream<Integer> three = source.take(3);
        assertEquals(0, three.pollNext(cx()).value());
        assertEquals(1, three.pollNext(cx()).value());
        assertEquals(0, source.drops);
        assertEquals(2, three.pollNext(cx()).value());
        assertEquals(1, source.drops, "dropped with the last item, before the next poll");
        assertNull(three.pollNext(cx()).value());
        three.drop(); // after the end: nothing more to drop
        assertEquals(1, source.drops);
        assertEquals(3, source.polls);

        ScriptedStream untouched = new ScriptedStream(ScriptedStream.ENDLESS);
        AsyncStream<Integer> none = untouched.take(0);
        assertEquals(0, untouched.drops, "take(0) does nothing until polled");
        assertNull(none.pollNext(cx()).value());
        assertEquals(1, untouched.drops);
        assertEquals(0, untouched.polls, "take(0) never polls its source");

        ScriptedStream unpolled = new ScriptedStream(ScriptedStream.ENDLESS);
        unpolled.take(0).drop();
        assertEquals(1, unpolled.drops);

        ScriptedStream shortOne = new ScriptedStream(2);
        assertEquals(List.of(0, 1), shortOne.take(5).collect().poll(cx()).value());
        assertEquals(0, shortOne.drops, "a source that ended first is not dropped");
    }

    @Test
    void aDroppedConsumerDropsItsSource() {
        ScriptedStream a = new ScriptedStream(10).blockAfter(2);
        List<Integer> seen = new ArrayList<>();
        PollFuture<Void> each = a.map(i -> i).forEach(seen::add);
        assertTrue(each.poll(cx()).isPending());
        assertEquals(List.of(0, 1), seen);
        each.drop();
        assertEquals(1, a.drops);
        assertThrows(IllegalStateException.class, () -> each.poll(cx()), "a dropped future is finished");

        ScriptedStream b = new ScriptedStream(10).blockAfter(2);
        PollFuture<List<Integer>> collected = b.filter(i -> true).collect();
        assertTrue(collected.poll(cx()).isPending());
        collected.drop();
        assertEquals(1, b.drops);

        ScriptedStream c = new ScriptedStream(10);
        AtomicInteger bodyDrops = new AtomicInteger();
        PollFuture<Void> async = c.take(5).forEachAsync(i -> new PollFuture<Void>() {
            @Override
            public Poll<Void> poll(Context cx) {
                return Poll.pending();
            }

            @Override
            public void drop() {
                bodyDrops.incrementAndGet();
            }
        });
        assertTrue(async.poll(cx()).isPending());
        async.drop();
        assertEquals(1, bodyDrops.get(), "the running body is dropped");
        assertEquals(1, c.drops, "and the source, through take");
    }

    @Test
    void forEachAsyncRunsOneBodyAtATimeInOrder() {
        ScriptedStream source = new ScriptedStream(3);
        List<String> log = new ArrayList<>();
        List<Gate> gates = new ArrayList<>();
        PollFuture<Void> all = source.forEachAsync(i -> {
            log.add("start " + i);
            Gate g = new Gate(() -> log.add("end " + i));
            gates.add(g);
            return g;
        });
        assertTrue(all.poll(cx()).isPending());
        assertEquals(List.of("start 0"), log);
        assertEquals(1, source.handedOut(), "the next item waits for the body");
        gates.get(0).open = true;
        assertTrue(all.poll(cx()).isPending());
        gates.get(1).open = true;
        assertTrue(all.poll(cx()).isPending());
        gates.get(2).open = true;
        assertTrue(all.poll(cx()).isReady());
        assertEquals(List.of("start 0", "end 0", "start 1", "end 1", "start 2", "end 2"), log);
    }

    /** A body future that is pending until opened, then runs {@code onDone} and is ready. */
    private static final class Gate implements PollFuture<Void> {
        private final Runnable onDone;
        boolean open;

        Gate(Runnable onDone) {
            this.onDone = onDone;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (!open) {
                return Poll.pending();
            }
            onDone.run();
            return Poll.ready(null);
        }
    }

    @Test
    void aThrowingFunctionFailsWithItsOwnExceptionAndDropsTheSource() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        ScriptedStream a = new ScriptedStream(10);
        PollFuture<Void> each = a.forEach(i -> {
            if (i == 3) {
                throw boom;
            }
        });
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> each.poll(cx())));
        assertEquals(1, a.drops);
        assertThrows(IllegalStateException.class, () -> each.poll(cx()));

        ScriptedStream b = new ScriptedStream(10);
        AsyncStream<Integer> mapped = b.map(i -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> mapped.pollNext(cx())));
        assertEquals(1, b.drops);
        assertThrows(IllegalStateException.class, () -> mapped.pollNext(cx()));

        ScriptedStream c = new ScriptedStream(10);
        AsyncStream<Integer> filtered = c.filter(i -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> filtered.pollNext(cx())));
        assertEquals(1, c.drops);

        ScriptedStream d = new ScriptedStream(10);
        PollFuture<Void> async = d.forEachAsync(i -> cx -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> async.poll(cx())));
        assertEquals(1, d.drops);
    }

    @Test
    void aFailingSourceFailsTheConsumerAndIsNotDropped() {
        IllegalStateException broken = new IllegalStateException("broken source");
        ScriptedStream s = new ScriptedStream(2).failWith(broken);
        PollFuture<List<Integer>> all = s.map(i -> i).collect();
        assertSame(broken, assertThrows(IllegalStateException.class, () -> all.poll(cx())));
        all.drop(); // the source threw: it has finished and is not dropped
        assertEquals(0, s.drops);
    }

    @Test
    void aDropThatFailsIsSuppressedOntoTheFailure() {
        RuntimeException dropFailure = new RuntimeException("drop failed");
        AsyncStream<Integer> badDrop = new AsyncStream<>() {
            @Override
            public Poll<Integer> pollNext(Context cx) {
                return Poll.ready(1);
            }

            @Override
            public void drop() {
                throw dropFailure;
            }
        };
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        PollFuture<Void> each = badDrop.forEach(i -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> each.poll(cx())));
        assertArrayEquals(new Throwable[] {dropFailure}, boom.getSuppressed());
    }

    @Test
    void badArgumentsFailAtTheCall() {
        AsyncStream<Integer> s = new ScriptedStream(3);
        assertEquals("mapper", assertThrows(NullPointerException.class, () -> s.map(null)).getMessage());
        assertEquals("predicate", assertThrows(NullPointerException.class, () -> s.filter(null)).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class, () -> s.forEach(null)).getMessage());
        assertEquals("body", assertThrows(NullPointerException.class, () -> s.forEachAsync(null)).getMessage());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> s.take(-1));
        assertTrue(neg.getMessage().contains("-1"), neg.getMessage());
    }

    @Test
    void nullsWhereAnItemOrAFutureIsDueFailThePoll() {
        ScriptedStream a = new ScriptedStream(3);
        AsyncStream<Object> toNull = a.map(i -> null);
        NullPointerException e = assertThrows(NullPointerException.class, () -> toNull.pollNext(cx()));
        assertTrue(e.getMessage().contains("never null"), e.getMessage());
        assertEquals(1, a.drops);

        ScriptedStream b = new ScriptedStream(3);
        PollFuture<Void> nullBody = b.forEachAsync(i -> null);
        assertThrows(NullPointerException.class, () -> nullBody.poll(cx()));
        assertEquals(1, b.drops);
    }

    @Test
    void theBudgetBoundsAPollOverAnEndlessReadySource() {
        ScriptedStream endless = new ScriptedStream(ScriptedStream.ENDLESS);
        AtomicInteger taken = new AtomicInteger();
        PollFuture<Void> each = endless.map(i -> i).forEach(i -> taken.incrementAndGet());
        assertTrue(each.poll(Context.of(waker, 5)).isPending());
        assertEquals(5, taken.get(), "one unit per item");
        assertEquals(1, wakes.get(), "the spent budget woke the task to run again");
        assertTrue(each.poll(Context.of(waker, 5)).isPending());
        assertEquals(10, taken.get());
        assertEquals(2, wakes.get());

        // A filter that rejects everything is bounded by the units its source spent.
        ScriptedStream rejected = new ScriptedStream(ScriptedStream.ENDLESS);
        PollFuture<List<Integer>> none = rejected.filter(i -> false).collect();
        assertTrue(none.poll(Context.of(waker, 5)).isPending());
        assertEquals(5, rejected.handedOut());
        assertEquals(3, wakes.get());

        ScriptedStream forAsync = new ScriptedStream(ScriptedStream.ENDLESS);
        PollFuture<Void> async = forAsync.forEachAsync(i -> Futures.ready(null));
        assertTrue(async.poll(Context.of(waker, 5)).isPending());
        assertEquals(5, forAsync.handedOut());
    }

    @Test
    void aMillionItemsRunInConstantStackInOnePoll() {
        int n = 1_000_000;
        AtomicLong sum = new AtomicLong();
        Context unbounded = Context.of(waker, Integer.MAX_VALUE);
        PollFuture<Void> each = new ScriptedStream(n).map(i -> (long) i).filter(i -> i % 2 == 1)
                .forEach(sum::addAndGet);
        assertTrue(each.poll(unbounded).isReady());
        assertEquals((long) n / 2 * n / 2, sum.get());
        AtomicInteger bodies = new AtomicInteger();
        PollFuture<Void> async = new ScriptedStream(n).forEachAsync(i -> {
            bodies.incrementAndGet();
            return Futures.ready(null);
        });
        assertTrue(async.poll(unbounded).isReady());
        assertEquals(n, bodies.get());
        assertEquals(n, new ScriptedStream(n).take(n).collect().poll(unbounded).value().size());
    }

    @Test
    void aStreamCanBeALambda() {
        int[] left = {3};
        AsyncStream<Integer> countdown = cx -> Poll.ready(left[0] == 0 ? null : left[0]--);
        assertEquals(List.of(3, 2, 1), countdown.collect().poll(cx()).value());
    }
}
