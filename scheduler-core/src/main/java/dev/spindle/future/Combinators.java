package dev.spindle.future;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The futures behind {@link Futures}' combinators. None of them spends the cooperative budget:
 * their children do (see the package notes). None is thread-safe: a task polls and drops its
 * future from one thread at a time, and the runtime's task state orders those calls.
 */
final class Combinators {
    private Combinators() {
    }

    /** One wrapped future and what became of it. */
    static final class Slot<T> {
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
     * polls the live children only, starting one further along than the previous poll did.
     */
    static final class All<R> implements PollFuture<R> {
        private final Slot<?>[] slots;
        private final AllDone<R> finish;
        private int remaining;
        private int start;
        private boolean done;

        All(Slot<?>[] slots, AllDone<R> finish) {
            this.slots = slots;
            this.finish = finish;
            this.remaining = slots.length;
        }

        @Override
        public Poll<R> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            int n = slots.length;
            int first = start;
            if (n > 0) {
                start = first + 1 == n ? 0 : first + 1;
            }
            for (int k = 0, i = first; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
                Slot<?> s = slots[i];
                if (!s.isLive()) {
                    continue;
                }
                try {
                    if (s.poll(cx)) {
                        remaining--;
                    }
                } catch (Throwable t) {
                    done = true;
                    dropAll(slots, t);
                    throw t;
                }
            }
            if (remaining > 0) {
                return Poll.pending();
            }
            done = true;
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                values[i] = slots[i].value();
            }
            return Poll.ready(finish.apply(values));
        }

        @Override
        public void drop() {
            done = true;
            Throwable t = dropAll(slots, null);
            if (t != null) {
                throw Futures.<RuntimeException>sneaky(t);
            }
        }
    }

    /** Builds a combinator's output from the winning child's index and value. */
    @FunctionalInterface
    interface AnyDone<R> {
        R apply(int index, Object value);
    }

    /**
     * {@link Futures#select} and {@link Futures#race}: ready with the first child that is. The
     * first poll starts at a random child; each later poll starts one further along.
     */
    static final class Any<R> implements PollFuture<R> {
        private final Slot<?>[] slots;
        private final AnyDone<R> finish;
        private int start = -1; // chosen on the first poll
        private boolean done;

        Any(Slot<?>[] slots, AnyDone<R> finish) {
            this.slots = slots;
            this.finish = finish;
        }

        @Override
        public Poll<R> poll(Context cx) {
            if (done) {
                throw polledAfterCompletion(this);
            }
            int n = slots.length;
            int first = start < 0 ? ThreadLocalRandom.current().nextInt(n) : start;
            start = first + 1 == n ? 0 : first + 1;
            for (int k = 0, i = first; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
                Slot<?> s = slots[i];
                boolean ready;
                try {
                    ready = s.poll(cx);
                } catch (Throwable t) {
                    done = true;
                    dropAll(slots, t);
                    throw t;
                }
                if (ready) {
                    done = true;
                    // The losers are discarded; like the runtime, a combinator that has its
                    // value ignores a loser's failing drop.
                    dropAll(slots, null);
                    return Poll.ready(finish.apply(i, s.value()));
                }
            }
            return Poll.pending();
        }

        @Override
        public void drop() {
            done = true;
            Throwable t = dropAll(slots, null);
            if (t != null) {
                throw Futures.<RuntimeException>sneaky(t);
            }
        }
    }
}
