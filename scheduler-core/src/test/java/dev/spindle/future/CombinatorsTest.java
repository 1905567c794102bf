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

    /**
     * A child that is pending until {@link #open()}ed, and that wakes nobody by itself: it keeps
     * the waker of its latest poll, which {@code open} wakes, as a resource would. Records its
     * name in {@code order} on every poll; fails the test if polled after it finished or was
     * dropped.
     */
    private static final class Gate<T> implements PollFuture<T> {
        final String name;
        final T value;
        final List<String> order;
        volatile boolean open;
        volatile Waker waker;
        int polls;
        int drops;
        boolean finished;

        Gate(String name, T value, List<String> order) {
            this.name = name;
            this.value = value;
            this.order = order;
        }

        @Override
        public Poll<T> poll(Context cx) {
            assertFalse(finished, name + " polled after it finished");
            assertEquals(0, drops, name + " polled after drop");
            if (order != null) {
                order.add(name);
            }
            polls++;
            waker = cx.waker();
            if (open) {
                finished = true;
                return Poll.ready(value);
            }
            return Poll.pending();
        }

        /** Opens the gate, then wakes the waker of its latest poll (a resource's order). */
        void open() {
            open = true;
            waker.wake();
        }

        @Override
        public void drop() {
            assertFalse(finished, name + " dropped after it finished");
            drops++;
        }
    }

    private <T> Gate<T> gate(String name, T value) {
        return new Gate<>(name, value, order);
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

    /** A stage that throws on its first poll and counts the drops it receives. */
    private static final class Thrower implements PollFuture<Integer> {
        final RuntimeException failure = new IllegalStateException("stage failed");
        int drops;

        @Override
        public Poll<Integer> poll(Context cx) {
            throw failure;
        }

        @Override
        public void drop() {
            drops++;
        }
    }

    @Test
    void aMapOrChainWhoseStageFinishedNeverDropsIt() {
        // The stage threw: it has finished, and dropping the map or chain afterwards leaves it be.
        Thrower t1 = new Thrower();
        PollFuture<Integer> m = Futures.map(t1, x -> x + 1);
        assertSame(t1.failure, assertThrows(IllegalStateException.class, () -> m.poll(cx())));
        m.drop();
        assertEquals(0, t1.drops);
        Thrower t2 = new Thrower();
        PollFuture<Integer> c = Futures.andThen(t2, x -> Futures.ready(x + 1));
        assertSame(t2.failure, assertThrows(IllegalStateException.class, () -> c.poll(cx())));
        c.drop();
        assertEquals(0, t2.drops);

        // The stage was ready and the continuation threw: the stage is not dropped either.
        Gate<Integer> g = gate("g", 1);
        g.open = true;
        IllegalStateException boom = new IllegalStateException("continuation failed");
        PollFuture<Integer> d = Futures.andThen(g, x -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalStateException.class, () -> d.poll(cx())));
        d.drop(); // the gate asserts it is not dropped after it finished
        assertEquals(0, g.drops);

        // A stage still pending is dropped once, however often the chain is.
        Gate<Integer> waiting = gate("waiting", 2);
        PollFuture<Integer> e = Futures.map(Futures.andThen(waiting, x -> Futures.ready(x)), x -> x * 2);
        assertTrue(e.poll(cx()).isPending());
        e.drop();
        e.drop();
        assertEquals(1, waiting.drops);
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
    void aPollPollsOnlyTheChildrenWokenSinceTheirLastPollInTheOrderTheyWereWoken() {
        Gate<Integer> a = gate("a", 1);
        Gate<Integer> b = gate("b", 2);
        Gate<Integer> c = gate("c", 3);
        PollFuture<List<Integer>> all = Futures.joinAll(List.of(a, b, c));
        assertTrue(all.poll(cx()).isPending());
        assertEquals(List.of("a", "b", "c"), order, "the first poll polls every child, in list order");
        order.clear();
        assertTrue(all.poll(cx()).isPending());
        assertEquals(List.of(), order, "no child was woken: none is polled");

        c.waker.wake();
        a.waker.wake();
        c.waker.wake(); // already queued: no second poll
        assertTrue(all.poll(cx()).isPending());
        assertEquals(List.of("c", "a"), order, "the woken ones, in the order they were woken");
        order.clear();

        b.open();
        assertTrue(all.poll(cx()).isPending());
        assertEquals(List.of("b"), order);
        order.clear();
        a.open();
        c.open();
        assertEquals(List.of(1, 2, 3), all.poll(cx()).value());
        assertEquals(List.of("a", "c"), order);
        assertEquals(List.of(3, 2, 3), List.of(a.polls, b.polls, c.polls));
    }

    @Test
    void aJoinOfTwoPollsEachUnfinishedChildOnEveryPollWithTheTasksContextAlternatingTheFirst() {
        Gate<Integer> a = gate("a", 1);
        Gate<Integer> b = gate("b", 2);
        PollFuture<Pair<Integer, Integer>> j = Futures.join(a, b);
        assertTrue(j.poll(cx()).isPending());
        assertSame(waker, a.waker, "a join of two hands its children the task's waker");
        assertSame(waker, b.waker);
        assertTrue(j.poll(cx()).isPending());
        assertEquals(List.of("a", "b", "b", "a"), order);

        a.open(); // wakes the task: the next poll polls both, a first this time
        assertTrue(j.poll(cx()).isPending());
        assertEquals(List.of("a", "b", "b", "a", "a", "b"), order);
        b.open();
        assertEquals(new Pair<>(1, 2), j.poll(cx()).value());
        assertEquals(List.of("a", "b", "b", "a", "a", "b", "b"), order, "a finished child is not polled again");
    }

    @Test
    void aJoinOfTwoWhoseFirstChildSpendsTheBudgetLetsTheOtherGoFirstNextTime() {
        Spender hungry = new Spender("hungry", 1_000, order);
        Gate<String> other = gate("other", "o");
        PollFuture<Pair<String, String>> j = Futures.join(hungry, other);
        for (int i = 0; i < 4; i++) {
            int wakes = waker.wakes.get();
            assertTrue(j.poll(cx()).isPending());
            assertTrue(waker.wakes.get() > wakes, "a spent budget wakes the task");
        }
        assertEquals(List.of("hungry", "other", "hungry", "hungry", "other", "hungry"), order,
                "the child left over when the budget ran out goes first on the next poll");
        other.open();
        assertTrue(j.poll(cx()).isPending());
        assertTrue(j.poll(cx()).isPending());
        assertTrue(j.poll(cx()).isPending());
        assertEquals(1, order.subList(6, order.size()).stream().filter("other"::equals).count(),
                "other, ready on its next turn, is not polled again");
    }

    @Test
    void eachChildOfAJoinAllHasItsOwnWakerForItsLifeAndAWakeWakesTheTask() {
        Gate<Integer> a = gate("a", 1);
        Gate<Integer> b = gate("b", 2);
        PollFuture<List<Integer>> j = Futures.joinAll(List.of(a, b));
        assertTrue(j.poll(cx()).isPending());
        Waker wa = a.waker;
        Waker wb = b.waker;
        assertNotSame(waker, wa, "a child is not handed the task's waker");
        assertNotSame(wa, wb);
        assertFalse(wa.willWake(wb));
        int before = waker.wakes.get();
        wa.wake();
        assertEquals(before + 1, waker.wakes.get(), "a child's wake wakes the task");
        assertTrue(j.poll(cx()).isPending());
        assertSame(wa, a.waker, "the same waker object on every poll");

        // The task's waker may change between polls: wakes go to the latest one.
        CountingWaker other = new CountingWaker();
        assertTrue(j.poll(Context.of(other, 128)).isPending());
        wb.wake();
        assertEquals(1, other.wakes.get());
        assertTrue(j.poll(cx()).isPending());
        assertSame(wb, b.waker);
    }

    @Test
    void aChildWokenDuringItsOwnPollIsPolledOnTheNextPoll() {
        Probe<Integer> selfWaking = probe("self", 1, 2); // wakes its waker inside each pending poll
        Gate<Integer> quiet = gate("quiet", 2);
        PollFuture<List<Integer>> j = Futures.joinAll(List.of(selfWaking, quiet));
        assertTrue(j.poll(cx()).isPending());
        assertTrue(j.poll(cx()).isPending());
        assertEquals(List.of("self", "quiet", "self"), order);
        quiet.open();
        assertEquals(List.of(1, 2), j.poll(cx()).value());
        assertEquals(List.of("self", "quiet", "self", "self", "quiet"), order);
    }

    @Test
    void oneWakeAmongTenThousandChildrenCostsOneChildsPoll() {
        int n = 10_000;
        List<Gate<Integer>> gates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gates.add(new Gate<>("g" + i, i, null));
        }
        PollFuture<List<Integer>> all = Futures.joinAll(gates);
        assertTrue(all.poll(cx()).isPending());
        assertEquals(n, totalPolls(gates));
        for (int round = 1; round <= 3; round++) {
            gates.get(n / 2).waker.wake();
            assertTrue(all.poll(cx()).isPending());
            assertEquals(n + round, totalPolls(gates), "one wake, one child's poll");
        }
        assertTrue(all.poll(cx()).isPending());
        assertEquals(n + 3, totalPolls(gates), "no wake, no child's poll");
        for (Gate<Integer> g : gates) {
            g.open();
        }
        List<Integer> values = all.poll(cx()).value();
        assertEquals(2 * n + 3, totalPolls(gates));
        assertEquals(n - 1, values.get(n - 1));

        // The same for a race: one wake, one poll.
        List<Gate<Integer>> racers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            racers.add(new Gate<>("r" + i, i, null));
        }
        PollFuture<Integer> race = Futures.race(racers);
        assertTrue(race.poll(cx()).isPending());
        racers.get(7).waker.wake();
        assertTrue(race.poll(cx()).isPending());
        assertEquals(n + 1, totalPolls(racers));
        racers.get(9_999).open();
        assertEquals(9_999, race.poll(cx()).value());
        assertEquals(n + 2, totalPolls(racers));
        assertEquals(n - 1, racers.stream().mapToInt(g -> g.drops).sum(), "every loser dropped once");
    }

    private static int totalPolls(List<? extends Gate<?>> gates) {
        return gates.stream().mapToInt(g -> g.polls).sum();
    }

    @Test
    void wakersOfFinishedOrDroppedChildrenDoNothing() throws InterruptedException {
        Gate<Integer> a = gate("a", 1);
        Gate<Integer> b = gate("b", 2);
        PollFuture<List<Integer>> all = Futures.joinAll(List.of(a, b));
        assertTrue(all.poll(cx()).isPending());
        a.open();
        assertTrue(all.poll(cx()).isPending());
        assertTrue(a.finished);
        int before = waker.wakes.get();
        a.waker.wake(); // finished: no poll, no wake of the task
        assertEquals(before, waker.wakes.get());
        order.clear();
        assertTrue(all.poll(cx()).isPending());
        assertEquals(List.of(), order);

        all.drop();
        assertEquals(1, b.drops);
        before = waker.wakes.get();
        Thread late = new Thread(() -> {
            a.waker.wake();
            b.waker.wake();
        });
        late.start();
        late.join();
        assertEquals(before, waker.wakes.get(), "a dropped join's child wakers wake nobody");
        assertThrows(IllegalStateException.class, () -> all.poll(cx()));

        // Likewise once a select has its winner.
        Gate<Integer> x = gate("x", 1);
        Gate<Integer> y = gate("y", 2);
        PollFuture<Either<Integer, Integer>> s = Futures.select(x, y);
        assertTrue(s.poll(cx()).isPending());
        x.open();
        assertEquals(1, s.poll(cx()).value().first());
        before = waker.wakes.get();
        x.waker.wake();
        y.waker.wake();
        assertEquals(before, waker.wakes.get());
        assertEquals(1, y.drops);
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
    void aSelectPollsTheBranchesWokenSinceTheirLastPollInTheOrderTheyWereWoken() {
        for (int round = 0; round < 20; round++) {
            order.clear();
            Gate<String> a = gate("a", "a");
            Gate<String> b = gate("b", "b");
            PollFuture<Either<String, String>> s = Futures.select(a, b);
            assertTrue(s.poll(cx()).isPending());
            assertEquals(2, order.size(), "the first poll polls both");
            order.clear();
            a.open = true;
            b.open = true;
            b.waker.wake();
            a.waker.wake();
            Either<String, String> e = s.poll(cx()).value();
            assertTrue(e.isSecond(), "woken first, polled first, found ready first");
            assertEquals(List.of("b"), order, "the winner is found first; the loser is not polled");
            assertEquals(1, a.drops);
        }
        // A branch that is not woken is not polled again.
        order.clear();
        Gate<String> x = gate("x", "x");
        Gate<String> y = gate("y", "y");
        PollFuture<Either<String, String>> s = Futures.select(x, y);
        assertTrue(s.poll(cx()).isPending());
        y.open();
        assertEquals("y", s.poll(cx()).value().second());
        assertEquals(1, x.polls);
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
        assertEquals(3, Futures.andThen(Futures.map(Futures.ready(1), x -> x + 1), x -> Futures.ready(x + 1))
                .poll(c).value());
        assertEquals(4, c.remainingBudget());

        // A budget of one: one budget-spending child progresses per poll; the join stops with the
        // other still queued and wakes the task, and the next poll starts with that one.
        Probe<Integer> a = probe("a", 1, 0);
        Probe<Integer> b = probe("b", 2, 0);
        a.spendsBudget = true;
        b.spendsBudget = true;
        PollFuture<Pair<Integer, Integer>> j = Futures.join(a, b);
        int wakes = waker.wakes.get();
        assertTrue(j.poll(Context.of(waker, 1)).isPending());
        assertEquals(wakes + 1, waker.wakes.get());
        assertEquals(new Pair<>(1, 2), j.poll(Context.of(waker, 1)).value());
        assertEquals(List.of("a", "b"), order);
    }

    /** Needs {@code units} units of budget in all; spends what it can on each poll. */
    private static final class Spender implements PollFuture<String> {
        final String name;
        final List<String> order;
        int units;

        Spender(String name, int units, List<String> order) {
            this.name = name;
            this.units = units;
            this.order = order;
        }

        @Override
        public Poll<String> poll(Context cx) {
            order.add(name);
            while (units > 0) {
                if (!cx.consumeBudget()) {
                    return Poll.pending(); // consumeBudget has woken our waker
                }
                units--;
            }
            return Poll.ready(name);
        }
    }

    @Test
    void aChildThatFindsTheBudgetSpentIsPolledAgainAndTheJoinDoesNotSpin() {
        Spender a = new Spender("a", 2, order);
        Spender b = new Spender("b", 1, order);
        PollFuture<List<String>> j = Futures.joinAll(List.of(a, b));
        int wakes = waker.wakes.get();
        assertTrue(j.poll(Context.of(waker, 1)).isPending());
        assertEquals(List.of("a"), order, "budget spent: b stays queued, not polled to no use");
        assertTrue(waker.wakes.get() > wakes, "the task was woken to come back");
        assertTrue(j.poll(Context.of(waker, 1)).isPending());
        assertEquals(List.of("a", "b"), order, "the child left queued comes first");
        assertEquals(List.of("a", "b"), j.poll(Context.of(waker, 1)).value());
        assertEquals(List.of("a", "b", "a"), order, "a, woken by its spent budget, is polled again");

        // A poll that starts with no budget still polls one child, which queues itself again.
        order.clear();
        Spender c = new Spender("c", 1, order);
        Gate<String> d = gate("d", "d");
        PollFuture<Either<String, String>> s = Futures.select(c, d);
        wakes = waker.wakes.get();
        assertTrue(s.poll(Context.of(waker, 0)).isPending());
        assertEquals(1, order.size());
        assertTrue(waker.wakes.get() > wakes);
        Either<String, String> e = s.poll(Context.of(waker, 5)).value();
        assertTrue(e.isFirst());
        assertTrue(order.size() <= 3 && order.get(order.size() - 1).equals("c"), order.toString());

        // Nested: the inner join's yield wakes the outer join's waker for it.
        order.clear();
        Spender p = new Spender("p", 1, order);
        Spender q = new Spender("q", 1, order);
        Gate<String> r = gate("r", "r");
        PollFuture<Pair<List<String>, String>> nested = Futures.join(Futures.joinAll(List.of(p, q)), r);
        wakes = waker.wakes.get();
        assertTrue(nested.poll(Context.of(waker, 1)).isPending());
        assertEquals(List.of("p"), order, "both joins stop when p has spent the budget");
        assertTrue(waker.wakes.get() > wakes);
        assertTrue(nested.poll(Context.of(waker, 5)).isPending());
        assertEquals(List.of("p", "r", "q"), order, "the outer's left-over r, then the inner join, woken");
        r.open();
        Pair<List<String>, String> v = nested.poll(Context.of(waker, 5)).value();
        assertEquals(new Pair<>(List.of("p", "q"), "r"), v);
        assertEquals(List.of("p", "r", "q", "r"), order);
    }

    @Test
    void chainsAndMapsBuiltOnEachOtherInALoopRunInConstantStack() {
        // c = andThen(c, f) and c = map(c, f) in a loop nest to the left: without flattening each
        // step would be one more stack frame per poll (a few thousand overflowed).
        int steps = 1_000_000;
        PollFuture<Integer> c = Futures.ready(0);
        for (int i = 0; i < steps; i++) {
            c = i % 3 == 0 ? Futures.map(c, v -> v + 1) : Futures.andThen(c, v -> Futures.ready(v + 1));
        }
        assertEquals(steps, c.poll(cx()).value());

        // The same with a stage that waits at the bottom, and one more that waits at the top.
        Probe<Integer> bottom = probe("bottom", 0, 2);
        PollFuture<Integer> d = bottom;
        for (int i = 0; i < steps; i++) {
            d = i % 2 == 0 ? Futures.map(d, v -> v + 1) : Futures.andThen(d, v -> Futures.ready(v + 1));
        }
        Probe<Integer> top = probe("top", 7, 1);
        PollFuture<Integer> e = Futures.andThen(d, v -> Futures.map(top, t -> v + t));
        assertTrue(e.poll(cx()).isPending());
        assertTrue(e.poll(cx()).isPending());
        assertTrue(e.poll(cx()).isPending(), "the bottom is ready; the top waits once");
        assertEquals(steps + 7, e.poll(cx()).value());
        assertEquals(List.of("bottom", "bottom", "bottom", "top", "top"), order);
    }

    @Test
    void aChainOrMapBuiltOnAnOpenOneTakesItsStageOver() {
        // Handed over: polling the inner one is a bug the caller hears about, dropping it drops
        // nothing, and the stage is dropped once, with the chain that holds it now.
        Probe<Integer> stage = probe("stage", 1, 9);
        PollFuture<Integer> inner = Futures.map(stage, v -> v + 1);
        PollFuture<Integer> outer = Futures.andThen(inner, v -> Futures.ready(v * 10));
        assertThrows(IllegalStateException.class, () -> inner.poll(cx()));
        inner.drop();
        assertEquals(0, stage.drops);
        assertTrue(outer.poll(cx()).isPending());
        outer.drop();
        assertEquals(1, stage.drops);
        assertThrows(IllegalStateException.class, () -> outer.poll(cx()));

        // A finished one is not taken over: the chain holds it as any future, and polling it
        // again fails there, as it always did.
        PollFuture<Integer> finished = Futures.map(Futures.ready(1), v -> v);
        assertEquals(1, finished.poll(cx()).value());
        PollFuture<Integer> late = Futures.map(finished, v -> v + 1);
        assertThrows(IllegalStateException.class, () -> late.poll(cx()));
    }

    @Test
    void aThrowingStepEndsTheChainAndLaterStepsNeverRun() {
        RuntimeException boom = new RuntimeException("boom");
        AtomicInteger after = new AtomicInteger();
        PollFuture<Integer> c = Futures.map(Futures.ready(1), v -> v + 1);
        c = Futures.andThen(c, v -> { throw boom; });
        c = Futures.map(c, v -> after.incrementAndGet());
        PollFuture<Integer> chain = c;
        assertSame(boom, assertThrows(RuntimeException.class, () -> chain.poll(cx())));
        assertEquals(0, after.get());
        assertThrows(IllegalStateException.class, () -> chain.poll(cx()));
        PollFuture<Integer> nul = Futures.andThen(Futures.map(Futures.ready(1), v -> v), v -> null);
        assertThrows(NullPointerException.class, () -> nul.poll(cx()));
    }

    /**
     * A random shape of maps and chains, nested both ways, run as futures and evaluated
     * directly: the same value for every shape means every step ran once, in its order.
     */
    private abstract static class Shape {
        abstract int eval(int x);

        abstract PollFuture<Integer> build(int x, List<String> order);
    }

    private static Shape randomShape(java.util.Random r, int depth) {
        int kind = depth == 0 ? 0 : r.nextInt(4);
        if (kind == 0) {
            int k = r.nextInt(100);
            int waits = r.nextInt(3) == 0 ? 1 : 0;
            return new Shape() {
                int eval(int x) {
                    return x + k;
                }

                PollFuture<Integer> build(int x, List<String> order) {
                    return new Probe<>("leaf", x + k, waits, order);
                }
            };
        }
        Shape child = randomShape(r, depth - 1);
        if (kind == 1) {
            int a = 2 + r.nextInt(5);
            return new Shape() {
                int eval(int x) {
                    return child.eval(x) * a + 1;
                }

                PollFuture<Integer> build(int x, List<String> order) {
                    return Futures.map(child.build(x, order), y -> y * a + 1);
                }
            };
        }
        Shape then = randomShape(r, depth - 1);
        return new Shape() {
            int eval(int x) {
                return then.eval(child.eval(x));
            }

            PollFuture<Integer> build(int x, List<String> order) {
                return Futures.andThen(child.build(x, order), y -> then.build(y, order));
            }
        };
    }

    @Test
    void randomShapesOfMapsAndChainsGiveTheValueTheirStepsDefine() {
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 2_000; i++) {
            Shape shape = randomShape(r, 1 + r.nextInt(10));
            int x = r.nextInt(1000);
            // Also nest the whole shape to the left a few times, as a loop would.
            PollFuture<Integer> f = shape.build(x, order);
            int extra = r.nextInt(4);
            int expected = shape.eval(x);
            for (int j = 0; j < extra; j++) {
                f = j % 2 == 0 ? Futures.map(f, v -> v ^ 0x5a5a) : Futures.andThen(f, v -> Futures.ready(v - 3));
                expected = j % 2 == 0 ? expected ^ 0x5a5a : expected - 3;
            }
            Poll<Integer> p;
            int polls = 0;
            while ((p = f.poll(cx())).isPending()) {
                assertTrue(++polls < 10_000, "shape " + i + " never finished");
            }
            assertEquals(expected, p.value(), "shape " + i);
        }
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
