package dev.spindle.future;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

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
                p = f.poll(cx);
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
                if (failure != null) {
                    failure.addSuppressed(t);
                } else if (first == null) {
                    first = t;
                } else {
                    first.addSuppressed(t);
                }
            }
        }
        return first;
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

    /** {@link Futures#map}. */
    static final class Mapped<A, B> implements PollFuture<B> {
        private final Slot<A> inner;
        private final Function<? super A, ? extends B> f;
        private boolean done;

        Mapped(PollFuture<A> inner, Function<? super A, ? extends B> f) {
            this.inner = new Slot<>(inner);
            this.f = f;
        }

        @Override
        public Poll<B> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            boolean ready;
            try {
                ready = inner.poll(cx);
            } catch (Throwable t) {
                done = true;
                throw t;
            }
            if (!ready) {
                return Poll.pending();
            }
            done = true;
            return Poll.ready(f.apply(inner.value()));
        }

        @Override
        public void drop() {
            done = true;
            inner.drop();
        }
    }

    /**
     * {@link Futures#andThen}: the first future, then the one built from its output. A trampoline:
     * when the built future is itself an {@code AndThen} (a recursive chain, {@code step(i)}
     * then {@code step(i + 1)}), this one takes over its stage and its function instead of
     * holding it as a child, so a chain of any length runs in constant stack and each step is
     * polled through one level, not through every step before it.
     */
    static final class AndThen<B> implements PollFuture<B> {
        /** The stage being polled. */
        private Slot<Object> current;
        /** Builds the next stage from the current one's output; null while the last stage runs. */
        private Function<Object, ? extends PollFuture<B>> next;
        private boolean done;

        @SuppressWarnings("unchecked")
        <A> AndThen(PollFuture<A> first, Function<? super A, ? extends PollFuture<B>> next) {
            this.current = new Slot<>((PollFuture<Object>) first);
            this.next = (Function<Object, ? extends PollFuture<B>>) next;
        }

        @SuppressWarnings("unchecked")
        @Override
        public Poll<B> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            try {
                for (;;) {
                    if (!current.poll(cx)) {
                        return Poll.pending();
                    }
                    Function<Object, ? extends PollFuture<B>> f = next;
                    if (f == null) {
                        done = true;
                        return Poll.ready((B) current.value());
                    }
                    Object value = current.value();
                    PollFuture<B> built = f.apply(value);
                    if (built == null) {
                        throw new NullPointerException("andThen's function returned null for " + value);
                    }
                    if (built instanceof AndThen && !((AndThen<B>) built).done) {
                        adopt((AndThen<B>) built);
                    } else {
                        current = new Slot<>((PollFuture<Object>) built);
                        next = null;
                    }
                }
            } catch (Throwable t) {
                done = true; // the stage that threw has finished; no other is live
                throw t;
            }
        }

        /** Takes over {@code inner}'s stage and function; {@code inner} is handed over and inert. */
        private void adopt(AndThen<B> inner) {
            current = inner.current;
            next = inner.next;
            inner.current = null;
            inner.next = null;
            inner.done = true; // polling it again throws; dropping it does nothing
        }

        @Override
        public void drop() {
            done = true;
            if (current != null) { // null once handed over to the chain that adopted this one
                current.drop();
            }
        }
    }

    /** Builds a combinator's output from its children's values, indexed as they were given. */
    @FunctionalInterface
    interface AllDone<R> {
        R apply(Object[] values);
    }

    /**
     * {@link Futures#join} and {@link Futures#joinAll}: ready when every child is. Each poll
     * polls the children woken since their last poll (all of them on the first), in the order
     * they were woken, through {@link Children}.
     */
    static final class All<R> implements PollFuture<R> {
        private final Children children;
        private final AllDone<R> finish;
        private int remaining;
        private boolean done;

        All(PollFuture<?>[] futures, AllDone<R> finish) {
            this.children = new Children(futures, 0);
            this.finish = finish;
            this.remaining = futures.length;
        }

        @Override
        public Poll<R> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            if (remaining > 0) {
                children.beginPoll(cx.waker());
                for (int polled = 0; children.hasQueued(); polled++) {
                    if (polled > 0 && cx.remainingBudget() <= 0) {
                        return yieldRest(cx);
                    }
                    Children.Child<?> c = children.take();
                    if (c == null) {
                        break;
                    }
                    try {
                        if (children.poll(c, cx)) {
                            remaining--;
                        }
                    } catch (Throwable t) {
                        done = true;
                        children.close();
                        dropAll(children.all, t);
                        throw t;
                    }
                }
                if (remaining > 0) {
                    return Poll.pending();
                }
            }
            done = true;
            children.close();
            Children.Child<?>[] all = children.all;
            Object[] values = new Object[all.length];
            for (int i = 0; i < all.length; i++) {
                values[i] = all[i].value();
            }
            return Poll.ready(finish.apply(values));
        }

        @Override
        public void drop() {
            done = true;
            children.close();
            Throwable t = dropAll(children.all, null);
            if (t != null) {
                throw Futures.<RuntimeException>sneaky(t);
            }
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
    static final class Any<R> implements PollFuture<R> {
        private final Children children;
        private final AnyDone<R> finish;
        private boolean done;

        Any(PollFuture<?>[] futures, AnyDone<R> finish) {
            this.children = new Children(futures, ThreadLocalRandom.current().nextInt(futures.length));
            this.finish = finish;
        }

        @Override
        public Poll<R> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            children.beginPoll(cx.waker());
            for (int polled = 0; children.hasQueued(); polled++) {
                if (polled > 0 && cx.remainingBudget() <= 0) {
                    return yieldRest(cx);
                }
                Children.Child<?> c = children.take();
                if (c == null) {
                    break;
                }
                boolean ready;
                try {
                    ready = children.poll(c, cx);
                } catch (Throwable t) {
                    done = true;
                    children.close();
                    dropAll(children.all, t);
                    throw t;
                }
                if (ready) {
                    done = true;
                    children.close();
                    // The losers are discarded; like the runtime, a combinator that has its
                    // value ignores a loser's failing drop.
                    dropAll(children.all, null);
                    return Poll.ready(finish.apply(c.index, c.value()));
                }
            }
            return Poll.pending();
        }

        @Override
        public void drop() {
            done = true;
            children.close();
            Throwable t = dropAll(children.all, null);
            if (t != null) {
                throw Futures.<RuntimeException>sneaky(t);
            }
        }
    }
}
