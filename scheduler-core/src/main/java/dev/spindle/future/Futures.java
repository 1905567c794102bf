package dev.spindle.future;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Building, composing and adapting {@link PollFuture}s.
 *
 * <p>What every combinator here guarantees:
 * <ul>
 *   <li>It polls only the children that have not finished: a child that returned ready is
 *       never polled again (its value is kept), nor is one that threw. {@link #map} and
 *       {@link #andThen} poll their child with the context they are given; the joins and
 *       selects give each child a waker of its own and the task's budget, and poll only the
 *       children woken since their last poll (see {@link #joinAll}).</li>
 *   <li>When it is dropped, or discards a child itself (the loser of a {@link #select}, the
 *       others when one child of a join throws), it calls {@link PollFuture#drop()} once on
 *       each child that has not finished, and never on one that has.</li>
 *   <li>An exception thrown by a child propagates as the same instance; failures of the drops
 *       this causes are added to it as suppressed.</li>
 *   <li>It spends no cooperative budget itself: it is not a resource, and its children that
 *       are spend their own units.</li>
 *   <li>Polling it again after it returned ready, threw, or was dropped throws
 *       {@link IllegalStateException} ({@link #ready} excepted: it is ready on every poll).</li>
 * </ul>
 * The combinators are not thread-safe, like any future: one task polls them.
 */
public final class Futures {
    private Futures() {
    }

    /**
     * A future that is ready on every poll with {@code value}, which may be {@code null}. It
     * spends no budget, and may be polled any number of times.
     */
    public static <T> PollFuture<T> ready(T value) {
        return new Combinators.Ready<>(value);
    }

    /**
     * A future that is ready with {@code f} applied to {@code future}'s output, in the poll in
     * which {@code future} became ready. An exception from {@code f} propagates from that poll.
     *
     * <p>The result owns {@code future}. When that is itself a map or chain from this class that
     * has not finished, its stages move into the result, so maps and chains built on one another
     * in a loop ({@code f = Futures.map(f, g)}) run in constant stack however many there are;
     * {@code future} is then inert: polling it throws {@link IllegalStateException}, and
     * dropping it does nothing.
     *
     * @throws NullPointerException if future or f is null
     */
    public static <A, B> PollFuture<B> map(PollFuture<A> future, Function<? super A, ? extends B> f) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(f, "f");
        return Combinators.map(future, f);
    }

    /**
     * Chains two futures: polls {@code future} until it is ready, then builds the next future
     * with {@code next} from its output and polls that one in the same poll, and afterwards
     * until it is ready. The result is the second future's output.
     *
     * <p>If {@code next} throws, or returns {@code null} (a {@link NullPointerException}), the
     * poll throws that. Dropping the chain drops whichever of the two is running.
     *
     * <p>Chains of any length run in constant stack, in both shapes: built recursively (the
     * function returns the next chain) and built in a loop ({@code c = Futures.andThen(c, f)}).
     * As with {@link #map}, the chain owns {@code future}, and an unfinished map or chain given
     * as {@code future} is inert afterwards.
     *
     * @throws NullPointerException if future or next is null
     */
    public static <A, B> PollFuture<B> andThen(PollFuture<A> future,
                                              Function<? super A, ? extends PollFuture<B>> next) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(next, "next");
        return Combinators.andThen(future, next);
    }

    /**
     * A loop as one future: polls {@code body.apply(initial)} until it is ready with a
     * {@link Step}; {@link Step#next(Object) Step.next(s)} starts the next iteration with
     * {@code body.apply(s)}, {@link Step#done(Object) Step.done(r)} ends the loop with
     * {@code r}. Iterations that are ready at once run on in the same poll; an iteration that
     * waits (or yields) ends the poll and the loop goes on from there when woken. Any number of
     * iterations run in constant stack.
     *
     * <pre>{@code
     * // Sum what a channel receives until every sender has closed.
     * PollFuture<Long> sum = Futures.loop(0L, total -> Futures.map(rx.receive(),
     *         m -> m == null ? Step.<Long, Long>done(total) : Step.next(total + m)));
     * }</pre>
     *
     * <p>If {@code body} throws, returns {@code null}, or its future completes with {@code null}
     * instead of a {@code Step}, the poll throws that (a {@link NullPointerException} for the
     * nulls). Dropping the loop drops the running iteration.
     *
     * @param initial the first iteration's state; may be {@code null}
     * @throws NullPointerException if body is null, or (here, at the call) returns null for
     *     {@code initial}
     */
    public static <S, R> PollFuture<R> loop(S initial, Function<? super S, ? extends PollFuture<Step<S, R>>> body) {
        Objects.requireNonNull(body, "body");
        return iterate(initial, body);
    }

    /** One iteration, then the rest: an andThen chain, which the trampoline runs in constant stack. */
    private static <S, R> PollFuture<R> iterate(S state, Function<? super S, ? extends PollFuture<Step<S, R>>> body) {
        PollFuture<Step<S, R>> iteration = body.apply(state);
        if (iteration == null) {
            throw new NullPointerException("loop's body returned null for state " + state);
        }
        return new Combinators.AndThen<R>(iteration, step -> {
            if (step == null) {
                throw new NullPointerException("loop's body completed with null: return Step.next or Step.done");
            }
            return step.isDone() ? ready(step.result()) : iterate(step.state(), body);
        });
    }

    /**
     * A future that is ready when both {@code a} and {@code b} are, with both outputs. If one
     * throws, the other (if not finished) is dropped and the exception propagates.
     *
     * <p><b>Which children a poll polls.</b> Every poll polls each of the two that has not
     * finished, with the task's own context (its waker and budget), and alternates which goes
     * first, so one that spends the whole budget cannot starve the other; when the first polled
     * spent the budget, the other is left for the next poll and the task is woken for it. A wake of one child
     * therefore costs a poll of the other too, while it is unfinished; for two futures that is
     * cheaper than the waker per child that {@link #joinAll} keeps, which polls only the
     * children woken since their last poll. To join two futures whose polls are costly, use
     * {@code joinAll(List.of(a, b))}.
     *
     * @throws NullPointerException if a or b is null
     */
    public static <A, B> PollFuture<Pair<A, B>> join(PollFuture<A> a, PollFuture<B> b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        return new Combinators.Both<>(a, b);
    }

    /**
     * A future that is ready when every one of {@code futures} is, with their outputs in the
     * order of the list (an unmodifiable list that may hold {@code null}s). An empty list gives
     * a future ready with an empty list. If one throws, the unfinished others are dropped and
     * the exception propagates.
     *
     * <p><b>Which children a poll polls.</b> Each child is polled with a waker of its own. The
     * first poll polls every child, in list order; each later poll polls only the children whose
     * waker was woken since their last poll, in the order they were woken, so a wake costs one
     * child's poll however many children wait. A child that is never woken is never polled
     * again. A child whose waker is woken while it is being polled is polled again on the next
     * poll. When the cooperative budget is spent part-way, the children still queued keep their
     * place for the next poll and the task is woken to come back for them; at least one child is
     * polled per poll.
     *
     * <p>The list is copied: changing it later does not change the join.
     *
     * @throws NullPointerException if futures or one of its elements is null
     */
    @SuppressWarnings("unchecked")
    public static <T> PollFuture<List<T>> joinAll(List<? extends PollFuture<T>> futures) {
        return new Combinators.All<>(copy(futures), children -> {
            Object[] values = new Object[children.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = children[i].value();
            }
            return Collections.unmodifiableList(Arrays.asList((T[]) values));
        });
    }

    /**
     * A future that is ready as soon as one of {@code a} and {@code b} is, with that output and
     * which one it was; the other is then dropped (not polled again). If one throws before
     * either is ready, the other is dropped and the exception propagates.
     *
     * <p>Each branch is polled with a waker of its own, as {@link #joinAll}'s children are: the
     * first poll polls both, later polls only a branch woken since its last poll, in the order
     * they were woken.
     *
     * <p><b>Fairness.</b> When both could be ready on the first poll, neither is favoured: the
     * first poll polls a branch chosen at random first. So a select re-created in a loop over
     * an always-ready {@code a} still lets {@code b} win about half the time. Later polls
     * follow the order of the wakes. Code that wants a priority should poll the preferred
     * future itself, or use {@link #andThen}.
     *
     * @throws NullPointerException if a or b is null
     */
    @SuppressWarnings("unchecked")
    public static <A, B> PollFuture<Either<A, B>> select(PollFuture<A> a, PollFuture<B> b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        return new Combinators.Any<>(a, b, (i, v) -> i == 0 ? Either.ofFirst((A) v) : Either.ofSecond((B) v));
    }

    /**
     * A future that is ready with the output of the first of {@code futures} to be ready; the
     * others are then dropped. If one throws before any is ready, the others are dropped and
     * the exception propagates. Polled as {@link #select} is: the first poll polls every future,
     * starting at a random one; later polls poll only the futures woken since their last poll,
     * in the order they were woken.
     *
     * <p>The list is copied: changing it later does not change the race.
     *
     * @throws NullPointerException if futures or one of its elements is null
     * @throws IllegalArgumentException if futures is empty (the race could never finish)
     */
    @SuppressWarnings("unchecked")
    public static <T> PollFuture<T> race(List<? extends PollFuture<T>> futures) {
        PollFuture<?>[] copy = copy(futures);
        if (copy.length == 0) {
            throw new IllegalArgumentException("race of no futures would never finish");
        }
        return new Combinators.Any<>(copy, (i, v) -> (T) v);
    }

    private static PollFuture<?>[] copy(List<? extends PollFuture<?>> futures) {
        Objects.requireNonNull(futures, "futures");
        PollFuture<?>[] copy = futures.toArray(new PollFuture<?>[0]);
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                throw new NullPointerException("futures[" + i + "] is null");
            }
        }
        return copy;
    }

    /**
     * The {@code catch} of async code: a future with {@code future}'s output, or, if polling
     * {@code future} throws an exception of type {@code type} (the same instance the failing
     * future threw, checked or not), with {@code handler}'s answer to it. Any other exception
     * passes through as it is. A failure that reaches a thread waiting in
     * {@link dev.spindle.Spindle#blockOn} after all arrives there as that method describes.
     *
     * <pre>{@code
     * // A connection's serving loop ends quietly when the peer resets the connection.
     * PollFuture<Void> served = Futures.catching(serve(conn), IOException.class, e -> null);
     * }</pre>
     *
     * <p>If {@code handler} throws, the poll throws that. Dropping the future drops
     * {@code future} if it has not finished.
     *
     * @throws NullPointerException if future, type or handler is null
     */
    public static <T, X extends Throwable> PollFuture<T> catching(PollFuture<T> future, Class<X> type,
                                                                  Function<? super X, ? extends T> handler) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        return new Catching<>(future, type, handler);
    }

    /**
     * The try-with-resources of async code: the future {@code body} builds from
     * {@code resource}, and {@code resource} closed once that future has finished, failed, or
     * been dropped, so a connection's task closes its socket whichever way it ends.
     *
     * <pre>{@code
     * Tasks.spawn(Futures.using(conn, c -> c.lines(4096).forEachAsync(line -> c.writeAll(reply(line)))));
     * }</pre>
     *
     * <p>As in a {@code try} statement: if the future fails, an exception from {@code close} is
     * added to its failure as suppressed; if it completed, the exception from {@code close}
     * fails the future instead (the same instance, checked or not). If {@code body} throws or
     * returns {@code null} (a {@link NullPointerException}), the resource is closed and this
     * call throws that. A close that throws while the future is dropped is ignored, as
     * the runtime ignores a failing {@code drop}.
     *
     * @throws NullPointerException if resource or body is null
     */
    public static <R extends AutoCloseable, T> PollFuture<T> using(R resource,
                                                                 Function<? super R, ? extends PollFuture<T>> body) {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(body, "body");
        PollFuture<T> future;
        try {
            future = Objects.requireNonNull(body.apply(resource), "using's body returned null");
        } catch (Throwable t) {
            throw Futures.<RuntimeException>sneaky(closeAfter(resource, t));
        }
        return new Using<>(resource, future);
    }

    /** Closes {@code resource} after {@code failure}, keeping a close failure as suppressed. */
    private static Throwable closeAfter(AutoCloseable resource, Throwable failure) {
        try {
            resource.close();
        } catch (Throwable fromClose) {
            if (fromClose != failure) {
                failure.addSuppressed(fromClose);
            }
        }
        return failure;
    }

    /** {@link #using}: one child and the resource to close when it ends. */
    private static final class Using<R extends AutoCloseable, T> implements PollFuture<T> {
        private final R resource;
        private final Combinators.Slot<T> inner;
        private boolean done;

        Using(R resource, PollFuture<T> inner) {
            this.resource = resource;
            this.inner = new Combinators.Slot<>(inner);
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (done) {
                throw Combinators.polledAfterCompletion(this);
            }
            boolean ready;
            try {
                ready = inner.poll(cx);
            } catch (Throwable t) {
                done = true;
                throw Futures.<RuntimeException>sneaky(closeAfter(resource, t));
            }
            if (!ready) {
                return Poll.pending();
            }
            done = true;
            try {
                resource.close();
            } catch (Throwable fromClose) {
                throw Futures.<RuntimeException>sneaky(fromClose);
            }
            return Poll.ready(inner.value());
        }

        @Override
        public void drop() {
            if (done) {
                return;
            }
            done = true;
            try {
                inner.drop();
            } finally {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // dropped: nobody is left to tell, as with a failing drop
                }
            }
        }

        @Override
        public String toString() {
            return "using(" + resource + ")";
        }
    }

    /** {@link #catching}: one child, and what to make of its failure of one type. */
    private static final class Catching<T, X extends Throwable> implements PollFuture<T> {
        private final Combinators.Slot<T> inner;
        private final Class<X> type;
        private final Function<? super X, ? extends T> handler;
        private boolean done;

        Catching(PollFuture<T> inner, Class<X> type, Function<? super X, ? extends T> handler) {
            this.inner = new Combinators.Slot<>(inner);
            this.type = type;
            this.handler = handler;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (done) {
                throw Combinators.polledAfterCompletion(this);
            }
            boolean ready;
            try {
                ready = inner.poll(cx);
            } catch (Throwable t) {
                done = true;
                if (type.isInstance(t)) {
                    return Poll.ready(handler.apply(type.cast(t)));
                }
                throw t;
            }
            if (!ready) {
                return Poll.pending();
            }
            done = true;
            return Poll.ready(inner.value());
        }

        @Override
        public void drop() {
            done = true;
            inner.drop();
        }
    }

    /**
     * A future that is ready when {@code stage} completes, with its value, and that wakes its
     * task at that moment (not by polling the stage).
     *
     * <p>Failure and cancellation travel both ways:
     * <ul>
     *   <li>If the stage fails, polling throws the stage's own exception instance (unwrapped from
     *       {@link CompletionException} when the stage wraps it), which fails the task.</li>
     *   <li>If the stage is cancelled, polling throws {@link CancellationException}, which
     *       cancels the task: its {@code JoinHandle} and {@code CompletableFuture} report a
     *       cancellation.</li>
     *   <li>If the task is aborted (or cancelled at shutdown) before the stage completed, the
     *       stage is cancelled, when it is a {@link Future} (as every
     *       {@code CompletableFuture} is), with {@code cancel(false)}.</li>
     * </ul>
     *
     * <p>Polling the returned future spends one unit of the cooperative budget.
     *
     * @throws NullPointerException if stage is null
     */
    public static <T> PollFuture<T> fromStage(CompletionStage<T> stage) {
        return new StageFuture<>(Objects.requireNonNull(stage, "stage"));
    }

    /** Waits for a stage through one callback, registered on the first poll. */
    private static final class StageFuture<T> implements PollFuture<T> {
        private static final VarHandle WAKER;
        private static final Object EMPTY = new Object();

        static {
            try {
                WAKER = MethodHandles.lookup().findVarHandle(StageFuture.class, "waker", Waker.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final CompletionStage<T> stage;
        /** The stage's value, or a Throwable wrapper; EMPTY until the callback ran. */
        private volatile Object outcome = EMPTY;
        @SuppressWarnings("unused") // accessed through WAKER
        private volatile Waker waker;
        private boolean registered; // touched by the poller only

        StageFuture(CompletionStage<T> stage) {
            this.stage = stage;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            Object o = outcome;
            if (o != EMPTY) {
                return ready(o);
            }
            Waker w = cx.waker();
            Waker current = (Waker) WAKER.getVolatile(this);
            if (current == null || !current.willWake(w)) {
                WAKER.setVolatile(this, w);
            }
            if (!registered) {
                registered = true;
                // May run the callback at once, on this thread, if the stage is complete.
                stage.whenComplete((v, e) -> {
                    outcome = e != null ? new Failed(e) : v;
                    Waker toWake = (Waker) WAKER.getVolatile(this);
                    if (toWake != null) {
                        toWake.wake();
                    }
                });
            }
            // Re-check after publishing the waker: pairs with the callback's store-then-read.
            o = outcome;
            if (o != EMPTY) {
                return ready(o);
            }
            cx.refundBudget();
            return Poll.pending();
        }

        @SuppressWarnings("unchecked")
        private Poll<T> ready(Object o) {
            if (o instanceof Failed) {
                Throwable e = ((Failed) o).error;
                if (e instanceof CompletionException && e.getCause() != null) {
                    e = e.getCause();
                }
                throw Futures.<RuntimeException>sneaky(e);
            }
            return Poll.ready((T) o);
        }

        @Override
        public void drop() {
            WAKER.setVolatile(this, null);
            if (outcome == EMPTY && stage instanceof Future) {
                ((Future<?>) stage).cancel(false);
            }
        }

        @Override
        public String toString() {
            return "fromStage(" + stage + ")";
        }
    }

    /** A failed stage's exception, kept apart from a value that happens to be a Throwable. */
    private static final class Failed {
        final Throwable error;

        Failed(Throwable error) {
            this.error = error;
        }
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
