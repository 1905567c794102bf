package dev.spindle.future;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The futures behind {@link Futures}' combinators. None of them spends the cooperative budget:
 * their children do (see the package notes). None is thread-safe: a task polls and drops its
 * future from one thread at a time, and the runtime's task state orders those calls. The one
 * part other threads touch is what {@link All} and {@link Any} hand their children as wakers,
 * which {@link Children} owns.
 */
final class Combinators {
    private Combinators() {
    }

    /** One wrapped future and what became of it; a join's or select's children extend it. */
    static class Slot<T> {
        /** The child while it is live; null once it finished (ready or threw) or was dropped. */
        private PollFuture<T> future;
        private T value;

        Slot(PollFuture<T> future) {
            this.future = future;
        }

        boolean isLive() {
            return future != null;
        }

        /**
         * Polls the live child; true when it is now ready (its value kept). A child that throws
         * has finished too: it is never polled or dropped again.
         */
        boolean poll(Context cx) {
            PollFuture<T> f = future;
            Poll<T> p;
            try {
                p = pollStage(f, cx);
            } catch (Throwable t) {
                future = null;
                throw t;
            }
            if (p.isPending()) {
                return false;
            }
            value = p.value();
            future = null;
            return true;
        }

        T value() {
            return value;
        }

        /** Drops the child if it is still live; at most once. */
        void drop() {
            PollFuture<T> f = future;
            if (f != null) {
                future = null;
                f.drop();
            }
        }
    }

    /**
     * Drops every live slot; a drop that throws does not stop the others. The drops' failures
     * are added as suppressed to {@code failure} when there is one (the combinator is failing
     * with it anyway); otherwise the first is returned, with later ones suppressed, or null.
     */
    static Throwable dropAll(Slot<?>[] slots, Throwable failure) {
        Throwable first = null;
        for (Slot<?> s : slots) {
            try {
                s.drop();
            } catch (Throwable t) {
                first = dropFailed(t, failure, first);
            }
        }
        return first;
    }

    /**
     * A drop failed with {@code t}: suppressed onto {@code failure} if there is one, else onto
     * {@code first} if there is one; returns the first drop failure so far.
     */
    private static Throwable dropFailed(Throwable t, Throwable failure, Throwable first) {
        if (failure != null) {
            failure.addSuppressed(t);
            return first;
        }
        if (first == null) {
            return t;
        }
        first.addSuppressed(t);
        return first;
    }

    /**
     * Polls a child. Every combinator polls its children through this one call, on purpose:
     * its call site sees every kind of child, so the JIT calls through it rather than inlining
     * a combinator's children into it, which for combinators nested recursively (a chain whose
     * stage is a join whose child is a chain...) measured slower on JDK 17.
     */
    static <T> Poll<T> pollStage(PollFuture<T> child, Context cx) {
        return child.poll(cx);
    }

    static IllegalStateException polledAfterCompletion(Object future) {
        return new IllegalStateException(future + " polled after it completed, failed, or was dropped");
    }

    /** {@link Futures#ready}: the same ready answer on every poll. */
    static final class Ready<T> implements PollFuture<T> {
        private final Poll<T> answer;

        Ready(T value) {
            this.answer = Poll.ready(value);
        }

        @Override
        public Poll<T> poll(Context cx) {
            return answer;
        }

        @Override
        public String toString() {
            return "ready(" + answer.value() + ")";
        }
    }

    /**
     * {@link Futures#map}: a {@link Mapped} over a plain future, or, over an unfinished map or
     * chain, a chain that takes that one's stages over and applies {@code f} last (see
     * {@link AndThen}).
     */
    @SuppressWarnings("unchecked")
    static <A, B> PollFuture<B> map(PollFuture<A> future, Function<? super A, ? extends B> f) {
        if (isOpenChain(future)) {
            return AndThen.after(future, new MapStep((Function<Object, Object>) f));
        }
        return new Mapped<>(future, f);
    }

    /** {@link Futures#andThen}, flattened the same way as {@link #map}. */
    static <A, B> PollFuture<B> andThen(PollFuture<A> future, Function<? super A, ? extends PollFuture<B>> next) {
        if (isOpenChain(future)) {
            return AndThen.after(future, next);
        }
        return new AndThen<B>(future, next);
    }

    /** An unfinished map or chain, whose stages a chain built on it takes over. */
    private static boolean isOpenChain(PollFuture<?> f) {
        return (f instanceof AndThen && !((AndThen<?>) f).done) || (f instanceof Mapped && !((Mapped<?, ?>) f).done);
    }

    /**
     * A map among a chain's continuations: applied to the value, with no stage to poll. A
     * {@link Mapped} is one, so a chain that takes a map over keeps it as its step.
     */
    private static class MapStep {
        final Function<Object, Object> f;

        MapStep(Function<Object, Object> f) {
            this.f = f;
        }
    }

    /**
     * {@link Futures#map} over a future that is not itself a map or chain. It holds its future
     * itself, not in a {@link Slot}, with the slot's rules: forgotten once it answers ready or
     * throws, so one that finished is never polled or dropped again.
     */
    static final class Mapped<A, B> extends MapStep implements PollFuture<B> {
        /** The mapped future while unfinished; null once it finished or was handed over to a chain. */
        private PollFuture<A> inner;
        private boolean done;

        @SuppressWarnings("unchecked")
        Mapped(PollFuture<A> inner, Function<? super A, ? extends B> f) {
            super((Function<Object, Object>) f);
            this.inner = inner;
        }

        @SuppressWarnings("unchecked")
        @Override
        public Poll<B> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            Poll<A> p;
            try {
                p = pollStage(inner, cx);
            } catch (Throwable t) {
                done = true;
                inner = null; // it threw: finished
                throw t;
            }
            if (p.isPending()) {
                return Poll.pending();
            }
            done = true;
            inner = null;
            return Poll.ready((B) f.apply(p.value()));
        }

        /** Gives the stage to a chain, which applies {@link #f} after it; this map is inert from now on. */
        @SuppressWarnings("unchecked")
        PollFuture<Object> handOver() {
            PollFuture<Object> stage = (PollFuture<Object>) inner;
            inner = null;
            done = true; // polling it again throws; dropping it does nothing
            return stage;
        }

        /** This map as a chain's step: only its function is used from now on. */
        MapStep step() {
            return this;
        }

        @Override
        public void drop() {
            done = true;
            PollFuture<A> stage = inner;
            inner = null;
            if (stage != null) {
                stage.drop();
            }
        }
    }

    /**
     * {@link Futures#andThen}: the first future, then the one built from its output, then any
     * continuations after that. Nesting in either direction becomes a list, never stack depth:
     * <ul>
     *   <li>When the built future is itself an unfinished chain or map (a recursive chain,
     *       {@code step(i)} then {@code step(i + 1)}), this one takes over its stage and puts
     *       its continuations in front of its own, instead of holding it as a child.</li>
     *   <li>A chain or map built on an unfinished chain or map ({@code c = andThen(c, f)} in a
     *       loop) takes that one's stage and continuations and adds its own at the end.</li>
     * </ul>
     * So a chain of any length, built either way, runs in constant stack, and each step is
     * polled through one level. A chain or map handed over is inert: polling it again throws,
     * and dropping it does nothing (its stage is dropped with the chain that holds it now).
     */
    static final class AndThen<B> implements PollFuture<B> {
        /**
         * The stage being polled; null once it finished (ready or threw) or the chain was handed
         * over. Held as a {@link Mapped} holds its future: forgotten once ready or thrown.
         */
        private PollFuture<Object> current;
        /**
         * What to do with the current stage's output: a function that builds the next stage, a
         * {@link MapStep}, or {@link Continuations} when more than one is queued; null when the
         * current stage's output is the chain's. One field for all of them keeps a chain step
         * as small as before chains took each other over.
         */
        private Object next;
        private boolean done;

        @SuppressWarnings("unchecked")
        <A> AndThen(PollFuture<A> first, Function<? super A, ? extends PollFuture<B>> next) {
            this.current = (PollFuture<Object>) first;
            this.next = next;
        }

        private AndThen() {
        }

        /** A chain that takes {@code open}'s stages over (see {@link #isOpenChain}) and runs {@code k} after them. */
        static <B> AndThen<B> after(PollFuture<?> open, Object k) {
            AndThen<B> c = new AndThen<>();
            c.takeOver(open);
            Object n = c.next;
            if (n == null) {
                c.next = k;
            } else if (n instanceof Continuations) {
                ((Continuations) n).addLast(k);
            } else {
                c.next = new Continuations(n, k);
            }
            return c;
        }

        /**
         * Makes {@code open}'s stage this chain's current one, and its continuations run before
         * this chain's own; {@code open} is inert from now on.
         */
        private void takeOver(PollFuture<?> open) {
            if (open instanceof Mapped) {
                Mapped<?, ?> m = (Mapped<?, ?>) open;
                MapStep step = m.step();
                current = m.handOver();
                runFirst(step);
                return;
            }
            AndThen<?> a = (AndThen<?>) open;
            current = a.current;
            runFirst(a.next);
            a.current = null;
            a.next = null;
            a.done = true; // polling it again throws; dropping it does nothing
        }

        /** Puts {@code k} (one continuation, or several) in front of this chain's own. */
        private void runFirst(Object k) {
            Object mine = next;
            if (k == null) {
                return; // the stage taken over was its chain's last: ours follow it directly
            }
            if (mine == null) {
                next = k;
            } else if (mine instanceof Continuations) {
                ((Continuations) mine).addAllFirst(k);
            } else if (k instanceof Continuations) {
                ((Continuations) k).addLast(mine);
                next = k;
            } else {
                next = new Continuations(k, mine);
            }
        }

        /** Takes the first continuation off {@link #next}; null if none is left. */
        private Object takeNext() {
            Object n = next;
            if (n instanceof Continuations) {
                Continuations c = (Continuations) n;
                Object k = c.pollFirst();
                if (c.isEmpty()) {
                    next = null;
                }
                return k;
            }
            next = null;
            return n;
        }

        @SuppressWarnings("unchecked")
        @Override
        public Poll<B> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            try {
                for (;;) {
                    Poll<Object> p = pollStage(current, cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    current = null; // finished: from here on, a throw is the continuation's
                    Object value = p.value();
                    for (;;) {
                        Object k = takeNext();
                        if (k == null) {
                            done = true;
                            return Poll.ready((B) value);
                        }
                        if (k instanceof MapStep) {
                            value = ((MapStep) k).f.apply(value);
                            continue;
                        }
                        PollFuture<Object> built = ((Function<Object, ? extends PollFuture<Object>>) k).apply(value);
                        if (built == null) {
                            throw new NullPointerException("andThen's function returned null for " + value);
                        }
                        if (isOpenChain(built)) {
                            takeOver(built);
                        } else {
                            current = built;
                        }
                        break;
                    }
                }
            } catch (Throwable t) {
                done = true; // the stage or continuation that threw has finished; no other is live
                current = null;
                throw t;
            }
        }

        @Override
        public void drop() {
            done = true;
            PollFuture<Object> stage = current; // null once finished, or handed over to a chain
            current = null;
            if (stage != null) {
                stage.drop();
            }
        }
    }

    /** Two or more continuations of a chain, in the order they run. */
    private static final class Continuations extends ArrayDeque<Object> {
        Continuations(Object first, Object second) {
            super(4);
            addLast(first);
            addLast(second);
        }

        /** Puts {@code k} (one continuation, or several in order) in front of these. */
        void addAllFirst(Object k) {
            if (k instanceof Continuations) {
                for (Iterator<Object> it = ((Continuations) k).descendingIterator(); it.hasNext(); ) {
                    addFirst(it.next());
                }
            } else {
                addFirst(k);
            }
        }
    }

    /**
     * {@link Futures#join}: two futures, both polled on every poll while unfinished, with the
     * task's own context; which one goes first alternates from poll to poll, so a child that
     * spends the whole budget cannot keep the other from its share. When the first polled
     * spent the budget, the other waits for the next poll (the task is woken for it), as a
     * {@code joinAll}'s queued children do. For two children this is cheaper than a waker each
     * (no wake protocol, nothing shared with other threads): a wake of one costs at most one
     * extra poll of the other.
     *
     * <p>Each child's field is cleared before its poll and put back if it answers pending, so a
     * child that throws counts as finished: it is never polled or dropped again.
     */
    static final class Both<A, B> implements PollFuture<Pair<A, B>> {
        /** The children while unfinished; null once ready, failed or dropped. */
        private PollFuture<A> first;
        private PollFuture<B> second;
        private A firstValue;
        private B secondValue;
        /** Whether the next poll starts with the second child. */
        private boolean secondGoesFirst;
        private boolean done;

        Both(PollFuture<A> first, PollFuture<B> second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public Poll<Pair<A, B>> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            boolean swap = secondGoesFirst;
            secondGoesFirst = !swap;
            try {
                if (swap) {
                    pollSecond(cx);
                    if (first != null && cx.remainingBudget() <= 0) {
                        return yieldRest(cx); // the first goes first next time
                    }
                    pollFirst(cx);
                } else {
                    pollFirst(cx);
                    if (second != null && cx.remainingBudget() <= 0) {
                        return yieldRest(cx);
                    }
                    pollSecond(cx);
                }
            } catch (Throwable t) {
                dropLive(t);
                throw t;
            }
            if (first != null || second != null) {
                return Poll.pending();
            }
            done = true;
            return Poll.ready(new Pair<>(firstValue, secondValue));
        }

        // pollFirst and pollSecond differ only in their child's type: one method over both would
        // need the fields untyped or an array, which is the allocation this class exists to save.
        private void pollFirst(Context cx) {
            PollFuture<A> f = first;
            if (f != null) {
                first = null;
                Poll<A> p = pollStage(f, cx);
                if (p.isPending()) {
                    first = f;
                } else {
                    firstValue = p.value();
                }
            }
        }

        private void pollSecond(Context cx) {
            PollFuture<B> f = second;
            if (f != null) {
                second = null;
                Poll<B> p = pollStage(f, cx);
                if (p.isPending()) {
                    second = f;
                } else {
                    secondValue = p.value();
                }
            }
        }

        /** Done: drops the unfinished children, each once; failures as {@link #dropAll} treats them. */
        private Throwable dropLive(Throwable failure) {
            done = true;
            PollFuture<?>[] live = {first, second};
            first = null;
            second = null;
            Throwable firstFailure = null;
            for (PollFuture<?> f : live) {
                if (f == null) {
                    continue;
                }
                try {
                    f.drop();
                } catch (Throwable t) {
                    firstFailure = dropFailed(t, failure, firstFailure);
                }
            }
            return firstFailure;
        }

        @Override
        public void drop() {
            Throwable t = dropLive(null);
            if (t != null) {
                throw Futures.<RuntimeException>sneaky(t);
            }
        }

        @Override
        public String toString() {
            return "join of 2";
        }
    }

    /** Builds a combinator's output from its children, indexed as they were given, all ready. */
    @FunctionalInterface
    interface AllDone<R> {
        R apply(Children.Child<?>[] children);
    }

    /**
     * {@link Futures#joinAll}: ready when every child is. Each poll polls the children woken
     * since their last poll (all of them on the first), in the order they were woken, through
     * {@link Children}.
     */
    static final class All<R> extends Children<R> {
        private final AllDone<R> finish;
        private int remaining;
        private boolean done;

        All(PollFuture<?>[] futures, AllDone<R> finish) {
            super(futures, 0);
            this.finish = finish;
            this.remaining = futures.length;
        }

        @Override
        public Poll<R> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            if (remaining > 0) {
                beginPoll(cx.waker());
                for (int polled = 0; hasQueued(); polled++) {
                    if (polled > 0 && cx.remainingBudget() <= 0) {
                        return yieldRest(cx);
                    }
                    Children.Child<?> c = take();
                    if (c == null) {
                        break;
                    }
                    try {
                        if (pollChild(c, cx)) {
                            remaining--;
                        }
                    } catch (Throwable t) {
                        done = true;
                        close();
                        dropAll(all, t);
                        throw t;
                    }
                }
                if (remaining > 0) {
                    return Poll.pending();
                }
            }
            done = true;
            close();
            return Poll.ready(finish.apply(all));
        }

        @Override
        public void drop() {
            done = true;
            close();
            Throwable t = dropAll(all, null);
            if (t != null) {
                throw Futures.<RuntimeException>sneaky(t);
            }
        }

        @Override
        public String toString() {
            return "join of " + all.length;
        }
    }

    /**
     * The budget ran out with queued children left: they stay queued for the next poll, and the
     * task is woken to come back for them after its peers ran.
     */
    private static <R> Poll<R> yieldRest(Context cx) {
        cx.waker().wake();
        return Poll.pending();
    }

    /** Builds a combinator's output from the winning child's index and value. */
    @FunctionalInterface
    interface AnyDone<R> {
        R apply(int index, Object value);
    }

    /**
     * {@link Futures#select} and {@link Futures#race}: ready with the first child that is. The
     * first poll polls every child, starting at a random one; later polls poll the children
     * woken since their last poll, in the order they were woken.
     */
    static final class Any<R> extends Children<R> {
        private final AnyDone<R> finish;
        private boolean done;

        Any(PollFuture<?>[] futures, AnyDone<R> finish) {
            super(futures, ThreadLocalRandom.current().nextInt(futures.length));
            this.finish = finish;
        }

        Any(PollFuture<?> a, PollFuture<?> b, AnyDone<R> finish) {
            super(a, b, ThreadLocalRandom.current().nextInt(2));
            this.finish = finish;
        }

        @Override
        public Poll<R> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            beginPoll(cx.waker());
            for (int polled = 0; hasQueued(); polled++) {
                if (polled > 0 && cx.remainingBudget() <= 0) {
                    return yieldRest(cx);
                }
                Children.Child<?> c = take();
                if (c == null) {
                    break;
                }
                boolean ready;
                try {
                    ready = pollChild(c, cx);
                } catch (Throwable t) {
                    done = true;
                    close();
                    dropAll(all, t);
                    throw t;
                }
                if (ready) {
                    done = true;
                    close();
                    // The losers are discarded; like the runtime, a combinator that has its
                    // value ignores a loser's failing drop.
                    dropAll(all, null);
                    return Poll.ready(finish.apply(c.index, c.value()));
                }
            }
            return Poll.pending();
        }

        @Override
        public void drop() {
            done = true;
            close();
            Throwable t = dropAll(all, null);
            if (t != null) {
                throw Futures.<RuntimeException>sneaky(t);
            }
        }

        @Override
        public String toString() {
            return "first of " + all.length;
        }
    }
}
