package dev.spindle.stream;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The streams and futures behind {@link AsyncStream}'s operators. None spends the cooperative
 * budget (their sources do; see the package notes), none is thread-safe, and each keeps its
 * source in an {@link Upstream}, so a source that ended, threw, or was dropped is never polled
 * or dropped again.
 */
final class Operators {
    private Operators() {
    }

    static IllegalStateException polledAfterEnd(String what) {
        return new IllegalStateException(what + " polled after its end (or after it failed or was dropped)");
    }

    /** A source stream and what became of it: held while live, forgotten once it ended, threw, or was dropped. */
    static final class Upstream<T> {
        private AsyncStream<T> stream;

        Upstream(AsyncStream<T> stream) {
            this.stream = stream;
        }

        boolean isLive() {
            return stream != null;
        }

        /** Polls the live source; an end or a throw finishes it. */
        Poll<T> next(Context cx) {
            Poll<T> p;
            try {
                p = stream.pollNext(cx);
            } catch (Throwable t) {
                stream = null;
                throw t;
            }
            if (p.isReady() && p.value() == null) {
                stream = null;
            }
            return p;
        }

        /** Drops the source if it is still live; at most once. A failing drop propagates. */
        void drop() {
            AsyncStream<T> s = stream;
            if (s != null) {
                stream = null;
                s.drop();
            }
        }

        /** Drops the source because of {@code failure}, which a failing drop is added to as suppressed. */
        void dropAfter(Throwable failure) {
            try {
                drop();
            } catch (Throwable t) {
                failure.addSuppressed(t);
            }
        }
    }

    /** {@link AsyncStream#map}. */
    static final class Map<T, R> implements AsyncStream<R> {
        private final Upstream<T> source;
        private final Function<? super T, ? extends R> mapper;

        Map(AsyncStream<T> source, Function<? super T, ? extends R> mapper) {
            this.source = new Upstream<>(source);
            this.mapper = mapper;
        }

        @Override
        public Poll<R> pollNext(Context cx) {
            if (!source.isLive()) {
                throw polledAfterEnd("a map stream");
            }
            Poll<T> p = source.next(cx);
            if (p.isPending()) {
                return Poll.pending();
            }
            T item = p.value();
            if (item == null) {
                return Poll.ready(null);
            }
            R mapped;
            try {
                mapped = mapper.apply(item);
                if (mapped == null) {
                    throw new NullPointerException("map's function returned null for " + item
                            + " (stream items are never null)");
                }
            } catch (Throwable t) {
                source.dropAfter(t);
                throw t;
            }
            return Poll.ready(mapped);
        }

        @Override
        public void drop() {
            source.drop();
        }
    }

    /** {@link AsyncStream#filter}. */
    static final class Filter<T> implements AsyncStream<T> {
        private final Upstream<T> source;
        private final Predicate<? super T> predicate;

        Filter(AsyncStream<T> source, Predicate<? super T> predicate) {
            this.source = new Upstream<>(source);
            this.predicate = predicate;
        }

        @Override
        public Poll<T> pollNext(Context cx) {
            if (!source.isLive()) {
                throw polledAfterEnd("a filter stream");
            }
            for (;;) {
                Poll<T> p = source.next(cx);
                T item = p.isReady() ? p.value() : null;
                if (item == null) {
                    return p; // pending, or the end
                }
                boolean keep;
                try {
                    keep = predicate.test(item);
                } catch (Throwable t) {
                    source.dropAfter(t);
                    throw t;
                }
                if (keep) {
                    return p;
                }
            }
        }

        @Override
        public void drop() {
            source.drop();
        }
    }

    /** {@link AsyncStream#take}. */
    static final class Take<T> implements AsyncStream<T> {
        private final Upstream<T> source;
        private long remaining;
        private boolean ended;

        Take(AsyncStream<T> source, long n) {
            this.source = new Upstream<>(source);
            this.remaining = n;
        }

        @Override
        public Poll<T> pollNext(Context cx) {
            if (ended) {
                throw polledAfterEnd("a take stream");
            }
            if (remaining == 0) { // take(0), or the end after the last item
                ended = true;
                source.drop();
                return Poll.ready(null);
            }
            Poll<T> p;
            try {
                p = source.next(cx);
            } catch (Throwable t) {
                ended = true;
                throw t;
            }
            if (p.isPending()) {
                return p;
            }
            if (p.value() == null) {
                ended = true;
                return p;
            }
            if (--remaining == 0) {
                try {
                    source.drop(); // release the source now, not at the next poll
                } catch (Throwable ignored) {
                    // We hold the last item: like the runtime, ignore a drop that fails.
                }
            }
            return p;
        }

        @Override
        public void drop() {
            ended = true;
            source.drop();
        }
    }

    /** {@link AsyncStream#forEach}. */
    static final class ForEach<T> implements PollFuture<Void> {
        private final Upstream<T> source;
        private final Consumer<? super T> action;

        ForEach(AsyncStream<T> source, Consumer<? super T> action) {
            this.source = new Upstream<>(source);
            this.action = action;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (!source.isLive()) {
                throw polledAfterEnd("a forEach future");
            }
            for (;;) {
                Poll<T> p = source.next(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                T item = p.value();
                if (item == null) {
                    return Poll.ready(null);
                }
                try {
                    action.accept(item);
                } catch (Throwable t) {
                    source.dropAfter(t);
                    throw t;
                }
            }
        }

        @Override
        public void drop() {
            source.drop();
        }
    }

    /** {@link AsyncStream#forEachAsync}: one body future at a time, each to completion. */
    static final class ForEachAsync<T> implements PollFuture<Void> {
        private final Upstream<T> source;
        private final Function<? super T, ? extends PollFuture<?>> body;
        /** The current item's future until it completes. */
        private PollFuture<?> running;

        ForEachAsync(AsyncStream<T> source, Function<? super T, ? extends PollFuture<?>> body) {
            this.source = new Upstream<>(source);
            this.body = body;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (!source.isLive()) {
                throw polledAfterEnd("a forEachAsync future");
            }
            for (;;) {
                PollFuture<?> f = running;
                if (f != null) {
                    boolean done;
                    try {
                        done = f.poll(cx).isReady();
                    } catch (Throwable t) {
                        running = null;
                        source.dropAfter(t);
                        throw t;
                    }
                    if (!done) {
                        return Poll.pending();
                    }
                    running = null;
                }
                Poll<T> p = source.next(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                T item = p.value();
                if (item == null) {
                    return Poll.ready(null);
                }
                try {
                    running = body.apply(item);
                    if (running == null) {
                        throw new NullPointerException("forEachAsync's body returned null for " + item);
                    }
                } catch (Throwable t) {
                    source.dropAfter(t);
                    throw t;
                }
            }
        }

        @Override
        public void drop() {
            PollFuture<?> f = running;
            running = null;
            try {
                if (f != null) {
                    f.drop();
                }
            } catch (Throwable t) {
                source.dropAfter(t);
                throw t;
            }
            source.drop();
        }
    }

    /** {@link AsyncStream#collect}. */
    static final class Collect<T> implements PollFuture<List<T>> {
        private final Upstream<T> source;
        private final ArrayList<T> items = new ArrayList<>();

        Collect(AsyncStream<T> source) {
            this.source = new Upstream<>(source);
        }

        @Override
        public Poll<List<T>> poll(Context cx) {
            if (!source.isLive()) {
                throw polledAfterEnd("a collect future");
            }
            for (;;) {
                Poll<T> p = source.next(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                T item = p.value();
                if (item == null) {
                    return Poll.ready(Collections.unmodifiableList(items));
                }
                items.add(item);
            }
        }

        @Override
        public void drop() {
            source.drop();
        }
    }
}
