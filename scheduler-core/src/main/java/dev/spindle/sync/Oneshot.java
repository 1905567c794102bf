package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A channel for a single value from one sender to one receiving task:
 * {@code Oneshot<T> ch = Oneshot.channel();} then {@code ch.sender().send(v)} on one side and
 * the future {@code ch.receiver()} on the other.
 *
 * <p>Exactly one of these happens: the value is sent ({@link Sender#send} returns true and the
 * receiver completes with it); the receiver is closed or dropped first ({@code send} returns
 * false and the value is discarded); or the sender is closed without sending (the receiver
 * fails with {@link ClosedException}). The receiver's waker lives in an {@link AtomicWaker}.
 *
 * @param <T> the type of the value; {@code null} may be sent
 */
public final class Oneshot<T> {
    private static final int EMPTY = 0;
    private static final int SENT = 1;
    private static final int SENDER_CLOSED = 2;
    private static final int RECEIVER_CLOSED = 3;
    private static final int TAKEN = 4;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Oneshot.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    /** Written by the sender before its release CAS to SENT; read by the receiver after seeing SENT. */
    private T value;
    private final AtomicWaker rxWaker = new AtomicWaker();
    private final Sender<T> sender = new Sender<>(this);
    private final Receiver<T> receiver = new Receiver<>(this);

    private Oneshot() {
    }

    /**
     * A new channel.
     *
     * @param <T> the type of the value
     * @return the channel, holding its two ends
     */
    public static <T> Oneshot<T> channel() {
        return new Oneshot<>();
    }

    /**
     * The sending end.
     *
     * @return the sender
     */
    public Sender<T> sender() {
        return sender;
    }

    /**
     * The receiving end, a future of the value.
     *
     * @return the receiver
     */
    public Receiver<T> receiver() {
        return receiver;
    }

    private int state() {
        return (int) STATE.getVolatile(this);
    }

    /**
     * The sending end of a {@link Oneshot}.
     *
     * @param <T> the type of the value
     */
    public static final class Sender<T> {
        private final Oneshot<T> ch;

        private Sender(Oneshot<T> ch) {
            this.ch = ch;
        }

        /**
         * Sends {@code value} and wakes the receiver.
         *
         * @param value the value, may be null
         * @return true if the receiver will get it; false if the receiver was closed or dropped
         * @throws IllegalStateException if this sender already sent or was closed
         */
        public boolean send(T value) {
            int s = ch.state();
            if (s == RECEIVER_CLOSED) {
                return false;
            }
            if (s != EMPTY) {
                throw new IllegalStateException("Oneshot sender already " + (s == SENDER_CLOSED ? "closed" : "used"));
            }
            ch.value = value;
            // Release: publishes value to the receiver's acquire read of SENT.
            if (STATE.compareAndSet(ch, EMPTY, SENT)) {
                ch.rxWaker.wake();
                return true;
            }
            ch.value = null; // the receiver closed meanwhile (the only other transition from EMPTY)
            return false;
        }

        /**
         * Closes without sending: a waiting receiver wakes and fails with
         * {@link ClosedException}. Does nothing after a send or a previous close.
         */
        public void close() {
            if (STATE.compareAndSet(ch, EMPTY, SENDER_CLOSED)) {
                ch.rxWaker.wake();
            }
        }

        /**
         * True if the receiver was closed or dropped, so a send would be discarded.
         *
         * @return whether the receiver is gone
         */
        public boolean isClosed() {
            return ch.state() == RECEIVER_CLOSED;
        }
    }

    /**
     * The receiving end of a {@link Oneshot}: a future that completes with the sent value, or
     * fails with {@link ClosedException} if the sender closed without sending. Each poll spends
     * one unit of the cooperative budget. Dropping it unfinished closes it.
     *
     * @param <T> the type of the value
     */
    public static final class Receiver<T> implements PollFuture<T> {
        private final Oneshot<T> ch;

        private Receiver(Oneshot<T> ch) {
            this.ch = ch;
        }

        /**
         * Completes with the value once sent.
         *
         * @param cx the polling task's context
         * @return ready with the value, or pending
         * @throws ClosedException if the sender closed without sending
         * @throws IllegalStateException if the value was already received, or this receiver closed
         */
        @Override
        public Poll<T> poll(Context cx) {
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            int s = ch.state();
            if (s == EMPTY) {
                ch.rxWaker.register(cx.waker());
                s = ch.state(); // re-check after registering: a send in between may have missed us
                if (s == EMPTY) {
                    cx.refundBudget();
                    return Poll.pending();
                }
            }
            switch (s) {
                case SENT: {
                    T v = ch.value;
                    ch.value = null;
                    STATE.setRelease(ch, TAKEN);
                    return Poll.ready(v);
                }
                case SENDER_CLOSED:
                    throw new ClosedException("Oneshot sender closed without sending a value");
                case TAKEN:
                    throw new IllegalStateException("Oneshot value already received");
                default:
                    throw new IllegalStateException("Oneshot receiver is closed");
            }
        }

        /**
         * Closes the receiver: a later {@link Sender#send} returns false. A value already sent
         * and not yet received is discarded.
         */
        public void close() {
            if (!STATE.compareAndSet(ch, EMPTY, RECEIVER_CLOSED) && STATE.compareAndSet(ch, SENT, RECEIVER_CLOSED)) {
                ch.value = null;
            }
        }

        /** Closes the receiver, as {@link #close()}. */
        @Override
        public void drop() {
            close();
        }
    }
}
