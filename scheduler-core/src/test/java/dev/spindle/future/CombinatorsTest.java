package dev.spindle.future;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Waker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The combinators of {@link Futures}, polled by hand with {@link Context#of}. */
class CombinatorsTest {

    /** Counts wakes, so a test can see who arranged a wake-up. */
    private static final class CountingWaker implements Waker {
        final AtomicInteger wakes = new AtomicInteger();

        @Override
        public void wake() {
            wakes.incrementAndGet();
        }
    }

    private final CountingWaker waker = new CountingWaker();

    private Context cx() {
        return Context.of(waker, 128);
    }

    /**
     * A scripted child: pending for its first {@code pendingPolls} polls (waking the task each
     * time, as a future that answers pending must arrange), then ready with its value, or
     * throwing {@code failure} instead when one is set. Records its name in {@code order} on
     * every poll, and fails the test if polled after it finished or was dropped.
     */
    private static final class Probe<T> implements PollFuture<T> {
        final String name;
        final T value;
        final int pendingPolls;
        final List<String> order;
        RuntimeException failure;
        boolean spendsBudget;
        int polls;
        int drops;
        boolean finished;

        Probe(String name, T value, int pendingPolls, List<String> order) {
            this.name = name;
            this.value = value;
            this.pendingPolls = pendingPolls;
            this.order = order;
        }

        @Override
        public Poll<T> poll(Context cx) {
            assertFalse(finished, name + " polled after it finished");
            assertEquals(0, drops, name + " polled after drop");
            order.add(name);
            polls++;
            if (spendsBudget && !cx.consumeBudget()) {
                return Poll.pending();
            }
            if (polls <= pendingPolls) {
                cx.waker().wake();
                return Poll.pending();
            }
            finished = true;
            if (failure != null) {
                throw failure;
            }
            return Poll.ready(value);
        }

        @Override
        public void drop() {
            assertFalse(finished, name + " dropped after it finished");
            drops++;
        }
    }

    private final List<String> order = new ArrayList<>();

    private <T> Probe<T> probe(String name, T value, int pendingPolls) {
        return new Probe<>(name, value, pendingPolls, order);
    }

    @Test
    void readyIsReadyOnEveryPollAndSpendsNoBudget() {
        PollFuture<String> f = Futures.ready("x");
        Context c = Context.of(waker, 3);
        for (int i = 0; i < 5; i++) {
            assertEquals("x", f.poll(c).value());
        }
        assertEquals(3, c.remainingBudget());
        assertNull(Futures.ready(null).poll(c).value());
    }

    @Test
    void mapAppliesOnceWhenReadyAndForwardsDropOnlyWhileUnfinished() {
        Probe<Integer> a = probe("a", 20, 1);
        PollFuture<String> m = Futures.map(a, x -> "v" + (x + 1));
        assertTrue(m.poll(cx()).isPending());
        assertEquals("v21", m.poll(cx()).value());
        assertEquals(2, a.polls);
        assertThrows(IllegalStateException.class, () -> m.poll(cx()));
        m.drop();
        assertEquals(0, a.drops, "a finished child is never dropped");

        Probe<Integer> b = probe("b", 1, 5);
        PollFuture<Integer> mb = Futures.map(b, x -> x);
        assertTrue(mb.poll(cx()).isPending());
        mb.drop();
        mb.drop();
        assertEquals(1, b.drops);

        IllegalStateException boom = new IllegalStateException("boom");
        PollFuture<Integer> failing = Futures.map(Futures.ready(1), x -> { throw boom; });
        assertSame(boom, assertThrows(IllegalStateException.class, () -> failing.poll(cx())));
    }

    @Test
    void andThenPollsTheSecondInTheSamePollAndDropsWhicheverRuns() {
        Probe<Integer> first = probe("first", 3, 1);
        List<Probe<String>> built = new ArrayList<>();
        PollFuture<String> chain = Futures.andThen(first, n -> {
            Probe<String> p = probe("second", "s" + n, 0);
            built.add(p);
            return p;
        });
        assertTrue(chain.poll(cx()).isPending());
        assertEquals("s3", chain.poll(cx()).value());
        assertEquals(List.of("first", "first", "second"), order);
        assertEquals(1, built.size());
        chain.drop();
        assertEquals(0, first.drops);
        assertEquals(0, built.get(0).drops);

        // Dropped while the first runs: the first is dropped, the function never runs.
        Probe<Integer> slow = probe("slow", 1, 9);
        AtomicInteger calls = new AtomicInteger();
        PollFuture<Integer> c2 = Futures.andThen(slow, n -> { calls.incrementAndGet(); return Futures.ready(n); });
        assertTrue(c2.poll(cx()).isPending());
        c2.drop();
        assertEquals(1, slow.drops);
        assertEquals(0, calls.get());

        // Dropped while the second runs: only the second is dropped.
        Probe<Integer> quick = probe("quick", 1, 0);
        Probe<Integer> pending = probe("pending", 2, 9);
        PollFuture<Integer> c3 = Futures.andThen(quick, n -> pending);
        assertTrue(c3.poll(cx()).isPending());
        c3.drop();
        assertEquals(0, quick.drops);
        assertEquals(1, pending.drops);

        PollFuture<Integer> nul = Futures.andThen(Futures.ready(1), n -> null);
        assertThrows(NullPointerException.class, () -> nul.poll(cx()));
    }

    @Test
    void joinPollsOnlyUnfinishedChildrenAndKeepsTheirValues() {
        Probe<Integer> a = probe("a", 1, 0);
        Probe<String> b = probe("b", "two", 2);
        PollFuture<Pair<Integer, String>> j = Futures.join(a, b);
        assertTrue(j.poll(cx()).isPending());
        assertTrue(j.poll(cx()).isPending());
        assertEquals(new Pair<>(1, "two"), j.poll(cx()).value());
        assertEquals(1, a.polls, "a ready child is not polled again");
        assertEquals(3, b.polls);
        assertThrows(IllegalStateException.class, () -> j.poll(cx()));
        j.drop();
        assertEquals(0, a.drops);
        assertEquals(0, b.drops);
    }

    @Test
    void droppingAJoinDropsEachUnfinishedChildOnceAndNoFinishedOne() {
        Probe<Integer> a = probe("a", 1, 5);
        Probe<Integer> b = probe("b", 2, 5);
        PollFuture<Pair<Integer, Integer>> j = Futures.join(a, b);
        assertTrue(j.poll(cx()).isPending());
        j.drop();
        j.drop();
        assertEquals(1, a.drops);
        assertEquals(1, b.drops);

        Probe<Integer> done = probe("done", 1, 0);
        Probe<Integer> waiting = probe("waiting", 2, 5);
        Probe<Integer> fresh = probe("fresh", 3, 5);
        PollFuture<List<Integer>> all = Futures.joinAll(List.of(done, waiting, fresh));
        assertTrue(all.poll(cx()).isPending());
        all.drop();
        assertEquals(0, done.drops);
        assertEquals(1, waiting.drops);
        assertEquals(1, fresh.drops);
    }

    @Test
    void aFailingChildDropsTheUnfinishedOthersAndPropagatesTheSameInstance() {
        IllegalStateException boom = new IllegalStateException("boom");
        Probe<Integer> done = probe("done", 0, 0);
        Probe<Integer> failing = probe("failing", 1, 1);
        failing.failure = boom;
        Probe<Integer> waiting = probe("waiting", 2, 9);
        PollFuture<List<Integer>> all = Futures.joinAll(List.of(done, failing, waiting));
        assertTrue(all.poll(cx()).isPending());
        assertSame(boom, assertThrows(IllegalStateException.class, () -> all.poll(cx())));
        assertEquals(0, done.drops);
        assertEquals(0, failing.drops, "a child that threw has finished");
        assertEquals(1, waiting.drops);
        all.drop();
        assertEquals(1, waiting.drops);
        assertThrows(IllegalStateException.class, () -> all.poll(cx()));

        Probe<Integer> a = probe("a", 1, 9);
        Probe<Integer> b = probe("b", 1, 0);
        b.failure = boom;
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Futures.join(a, b).poll(cx())));
        assertEquals(1, a.drops);
    }

    @Test
    void joinAllKeepsInputOrderWhateverOrderTheChildrenFinishIn() {
        List<PollFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fs.add(probe("c" + i, i == 2 ? null : "v" + i, 4 - i));
        }
        PollFuture<List<String>> all = Futures.joinAll(fs);
        fs.clear(); // the join copied the list
        Poll<List<String>> p;
        int polls = 0;
        do {
            p = all.poll(cx());
            polls++;
        } while (p.isPending());
        assertEquals(5, polls);
        List<String> values = p.value();
        assertEquals(Arrays.asList("v0", "v1", null, "v3", "v4"), values);
        assertThrows(UnsupportedOperationException.class, () -> values.add("x"));
        assertEquals(List.of(), Futures.joinAll(List.<PollFuture<String>>of()).poll(cx()).value());
    }

    @Test
    void joinsStartOneChildFurtherAlongEachPoll() {
        Probe<Integer> a = probe("a", 1, 9);
        Probe<Integer> b = probe("b", 2, 9);
        Probe<Integer> c = probe("c", 3, 9);
        PollFuture<List<Integer>> all = Futures.joinAll(List.of(a, b, c));
        for (int i = 0; i < 3; i++) {
            all.poll(cx());
        }
        assertEquals(List.of("a", "b", "c", "b", "c", "a", "c", "a", "b"), order);
    }

    @Test
    void selectReturnsTheWinnerAndDropsTheLoserOnce() {
        Probe<Integer> a = probe("a", 1, 9);
        Probe<String> b = probe("b", "bee", 1);
        PollFuture<Either<Integer, String>> s = Futures.select(a, b);
        assertTrue(s.poll(cx()).isPending());
        Either<Integer, String> e = s.poll(cx()).value();
        assertTrue(e.isSecond());
        assertEquals("bee", e.second());
        assertThrows(IllegalStateException.class, e::first);
        assertEquals(1, a.drops);
        assertEquals(0, b.drops);
        s.drop();
        assertEquals(1, a.drops);
        assertEquals(0, b.drops);
        assertThrows(IllegalStateException.class, () -> s.poll(cx()));

        // Dropped unfinished: both dropped once.
        Probe<Integer> x = probe("x", 1, 9);
        Probe<Integer> y = probe("y", 1, 9);
        PollFuture<Either<Integer, Integer>> s2 = Futures.select(x, y);
        assertTrue(s2.poll(cx()).isPending());
        s2.drop();
        s2.drop();
        assertEquals(1, x.drops);
        assertEquals(1, y.drops);

        // A branch that throws fails the select; the other is dropped.
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Probe<Integer> f = probe("f", 1, 0);
        f.failure = boom;
        Probe<Integer> g = probe("g", 1, 9);
        PollFuture<Either<Integer, Integer>> s3 = Futures.select(f, g);
        Throwable thrown = null;
        for (int i = 0; i < 2 && thrown == null; i++) {
            try {
                assertTrue(s3.poll(cx()).isPending());
            } catch (IllegalArgumentException ex) {
                thrown = ex;
            }
        }
        assertSame(boom, thrown);
        assertEquals(1, g.drops);
        assertEquals(0, f.drops);
    }

    @Test
    void aSelectOverAnAlwaysReadyBranchLetsTheOtherWinToo() {
        PollFuture<Integer> always = Futures.ready(1);
        int firstWins = 0;
        int secondWins = 0;
        for (int i = 0; i < 1_000; i++) {
            Probe<Integer> alsoReady = new Probe<>("b", 2, 0, new ArrayList<>());
            Either<Integer, Integer> e = Futures.select(always, alsoReady).poll(cx()).value();
            if (e.isFirst()) {
                firstWins++;
                assertEquals(1, alsoReady.drops, "the loser is dropped");
            } else {
                secondWins++;
                assertEquals(2, e.second());
            }
        }
        // With a fair coin, either count being 0 has probability 2^-999.
        assertTrue(firstWins > 0 && secondWins > 0, firstWins + " / " + secondWins);
    }

    @Test
    void aBranchPolledSecondIsPolledFirstOnTheNextPoll() {
        for (int round = 0; round < 20; round++) {
            order.clear();
            // Both pending on the first poll, both ready from the second on.
            Probe<String> a = probe("a", "a", 1);
            Probe<String> b = probe("b", "b", 1);
            PollFuture<Either<String, String>> s = Futures.select(a, b);
            assertTrue(s.poll(cx()).isPending());
            String polledSecond = order.get(1);
            Either<String, String> e = s.poll(cx()).value();
            assertEquals(polledSecond, e.isFirst() ? e.first() : e.second());
            assertEquals(3, order.size(), "the winner is found first; the loser is not polled");
        }
    }

    @Test
    void raceReturnsTheFirstReadyValueAndDropsTheRest() {
        Probe<Integer> a = probe("a", 1, 9);
        Probe<Integer> b = probe("b", 2, 2);
        Probe<Integer> c = probe("c", 3, 9);
        PollFuture<Integer> r = Futures.race(List.of(a, b, c));
        Poll<Integer> p;
        do {
            p = r.poll(cx());
        } while (p.isPending());
        assertEquals(2, p.value());
        assertEquals(1, a.drops);
        assertEquals(0, b.drops);
        assertEquals(1, c.drops);
        r.drop();
        assertEquals(1, a.drops);

        int[] wins = new int[3];
        for (int i = 0; i < 1_000; i++) {
            wins[Futures.race(List.of(Futures.ready(0), Futures.ready(1), Futures.ready(2))).poll(cx()).value()]++;
        }
        for (int w : wins) {
            assertTrue(w > 0, Arrays.toString(wins));
        }
    }

    @Test
    void combinatorsSpendNoBudgetThemselvesAndChildrenShareIt() {
        Context c = Context.of(waker, 4);
        assertEquals(new Pair<>(1, 2), Futures.join(Futures.ready(1), Futures.ready(2)).poll(c).value());
        assertTrue(Futures.select(Futures.ready(1), Futures.ready(2)).poll(c).isReady());
        assertEquals(3, Futures.andThen(Futures.map(Futures.ready(1), x -> x + 1), x -> Futures.ready(x + 1)).poll(c).value());
        assertEquals(4, c.remainingBudget());

        // A budget of one: one budget-spending child progresses per poll, the next poll starts
        // with the other, and the child that found the budget spent has woken the task.
        Probe<Integer> a = probe("a", 1, 0);
        Probe<Integer> b = probe("b", 2, 0);
        a.spendsBudget = true;
        b.spendsBudget = true;
        PollFuture<Pair<Integer, Integer>> j = Futures.join(a, b);
        int wakes = waker.wakes.get();
        assertTrue(j.poll(Context.of(waker, 1)).isPending());
        assertEquals(wakes + 1, waker.wakes.get());
        assertEquals(new Pair<>(1, 2), j.poll(Context.of(waker, 1)).value());
        assertEquals(List.of("a", "b", "b"), order);
    }

    @Test
    void badInput() {
        PollFuture<Integer> f = Futures.ready(1);
        assertNpe("future", () -> Futures.map(null, x -> x));
        assertNpe("f", () -> Futures.map(f, null));
        assertNpe("future", () -> Futures.andThen(null, x -> f));
        assertNpe("next", () -> Futures.andThen(f, null));
        assertNpe("a", () -> Futures.join(null, f));
        assertNpe("b", () -> Futures.join(f, null));
        assertNpe("a", () -> Futures.select(null, f));
        assertNpe("b", () -> Futures.select(f, null));
        assertNpe("futures", () -> Futures.joinAll(null));
        assertNpe("futures", () -> Futures.race(null));
        assertNpe("futures[1]", () -> Futures.joinAll(Arrays.asList(f, null)));
        assertNpe("futures[0]", () -> Futures.race(Arrays.asList(null, f)));
        assertThrows(IllegalArgumentException.class, () -> Futures.race(List.<PollFuture<Integer>>of()));
    }

    private static void assertNpe(String argument, Runnable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call::run);
        assertTrue(e.getMessage() != null && e.getMessage().startsWith(argument), e.getMessage());
    }
}
