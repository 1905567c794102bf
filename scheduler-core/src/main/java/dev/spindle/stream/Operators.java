package dev.spindle.stream;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

import java.util.ArrayList;
import java.util.Arrays;
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
    static <T, R> AsyncStream<R> map(AsyncStream<T> source, Function<? super T, ? extends R> mapper) {
        return Pipeline.build(source, new MapStage(mapper), "a map stream");
    }

    /** {@link AsyncStream#filter}. */
    static <T> AsyncStream<T> filter(AsyncStream<T> source, Predicate<? super T> predicate) {
        return Pipeline.build(source, new FilterStage(predicate), "a filter stream");
    }

    /** {@link AsyncStream#take}. */
    static <T> AsyncStream<T> take(AsyncStream<T> source, long n) {
        return Pipeline.build(source, new TakeStage(n), "a take stream");
    }

    /** A map among a pipeline's stages. */
    private static final class MapStage {
        final Function<Object, Object> mapper;

        @SuppressWarnings("unchecked")
        MapStage(Function<?, ?> mapper) {
            this.mapper = (Function<Object, Object>) mapper;
        }
    }

    /** A filter among a pipeline's stages. */
    private static final class FilterStage {
        final Predicate<Object> predicate;

        @SuppressWarnings("unchecked")
        FilterStage(Predicate<?> predicate) {
            this.predicate = (Predicate<Object>) predicate;
        }
    }

    /** A take among a pipeline's stages: the items it may still hand out. */
    private static final class TakeStage {
        long left;

        TakeStage(long n) {
            this.left = n;
        }
    }

    /**
     * {@link AsyncStream#map}, {@link AsyncStream#filter} and {@link AsyncStream#take}, as one
     * stream over one source: an item is taken from the source and passed through the stages in
     * order, in a loop, so a chain of any number of operators polls through one level (each one
     * a stream over the last would add stack frames to every poll). An operator applied to an
     * unfinished pipeline takes its source and stages over and adds its own; the pipeline handed
     * over is inert: polling it throws, dropping it does nothing.
     *
     * <p>It answers what the chain of single operators would: a map or filter that throws drops
     * the source and fails the poll; a take drops the source in the poll that hands out its last
     * item (a drop failing there is ignored: that item is handed out), and ends the stream at the
     * next poll, or in the same poll when a stage after it rejects that item; {@code take(0)}
     * ends at the first poll, dropping the source then.
     */
    static final class Pipeline<T> implements AsyncStream<T> {
        /** Null once handed over. */
        private Upstream<Object> source;
        private Object[] stages;
        private int count;
        /** A take had nothing left to hand out from the start ({@code take(0)}). */
        private boolean spentTake;
        /** A take handed out its last item: the next poll ends the stream. */
        private boolean lastGiven;
        /** Answered its end, threw, was dropped, or was handed over. */
        private boolean ended;
        /** The outermost operator, for the polled-after-its-end message. */
        private final String name;

        private Pipeline(String name) {
            this.name = name;
        }

        @SuppressWarnings("unchecked")
        static <R> AsyncStream<R> build(AsyncStream<?> source, Object stage, String name) {
            Pipeline<R> p = new Pipeline<>(name);
            if (source instanceof Pipeline && !((Pipeline<?>) source).ended) {
                Pipeline<?> q = (Pipeline<?>) source;
                p.source = q.source;
                p.stages = q.stages;
                p.count = q.count;
                p.spentTake = q.spentTake;
                p.lastGiven = q.lastGiven;
                q.source = null;
                q.stages = null;
                q.ended = true; // polling it again throws; dropping it does nothing
            } else {
                p.source = new Upstream<>((AsyncStream<Object>) source);
                p.stages = new Object[2];
            }
            if (p.count == p.stages.length) {
                p.stages = Arrays.copyOf(p.stages, p.count * 2);
            }
            p.stages[p.count++] = stage;
            if (stage instanceof TakeStage && ((TakeStage) stage).left == 0) {
                p.spentTake = true;
            }
            return p;
        }

        @SuppressWarnings("unchecked")
        @Override
        public Poll<T> pollNext(Context cx) {
            if (ended) {
                throw polledAfterEnd(name);
            }
            if (lastGiven || spentTake) {
                ended = true;
                source.drop(); // done already after a last item; take(0) drops it now
                return Poll.ready(null);
            }
            for (;;) {
                Poll<Object> p;
                try {
                    p = source.next(cx);
                } catch (Throwable t) {
                    ended = true;
                    throw t;
                }
                if (p.isPending()) {
                    return Poll.pending();
                }
                Object item = p.value();
                if (item == null) {
                    ended = true;
                    return Poll.ready(null);
                }
                int i = 0;
                try {
                    for (; i < count; i++) {
                        Object stage = stages[i];
                        if (stage instanceof MapStage) {
                            Object mapped = ((MapStage) stage).mapper.apply(item);
                            if (mapped == null) {
                                throw new NullPointerException("map's function returned null for " + item
                                        + " (stream items are never null)");
                            }
                            item = mapped;
                        } else if (stage instanceof FilterStage) {
                            if (!((FilterStage) stage).predicate.test(item)) {
                                break;
                            }
                        } else if (--((TakeStage) stage).left == 0) {
                            lastGiven = true;
                            try {
                                source.drop(); // release the source now, not at the next poll
                            } catch (Throwable ignored) {
                                // The item goes on: like the runtime, ignore a drop that fails.
                            }
                        }
                    }
                } catch (Throwable t) {
                    ended = true;
                    source.dropAfter(t);
                    throw t;
                }
                if (i == count) {
                    return Poll.ready((T) item);
                }
                if (lastGiven) { // a take's last item, rejected after it: the end
                    ended = true;
                    return Poll.ready(null);
                }
            }
        }

        @Override
        public void drop() {
            ended = true;
            if (source != null) { // null once handed over
                source.drop();
            }
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
