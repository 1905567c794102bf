package dev.spindle.future;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/** Building and adapting {@link PollFuture}s. */
public final class Futures {
    private Futures() {
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
            return o != EMPTY ? ready(o) : Poll.pending();
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
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
