package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Waker;
import dev.spindle.stream.AsyncStream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A multi-producer, single-consumer channel: any number of {@link Sender} handles, one
 * {@link Receiver}. Messages from one sender arrive in the order it sent them.
 *
 * <p>A bounded channel holds at most {@code capacity} messages; a {@link Sender#send} into a
 * full channel waits, and waiting senders get space in arrival order. An unbounded channel's
 * sends complete at once.
 *
 * <p><b>End of stream.</b> Messages are never null ({@code send(null)} throws). The receive
 * future completes with {@code null} exactly when every sender handle is closed and every
 * message sent before (including sends still waiting for space) has been received.
 *
 * <p><b>Dropped futures.</b> A waiting send that is dropped sends nothing; if space had
 * already been reserved for it, the space goes to the next waiting sender. A dropped receive
 * takes nothing.
 *
 * <p><b>Closing the receiver.</b> A consumer that stops early calls {@link Receiver#close()}:
 * every send not yet completed, waiting ones included, fails with {@link ClosedException}, and
 * so does every later one, so no producer waits forever for room; the messages already in the
 * channel can still be received, and then the stream ends, whatever senders are still open.
 *
 * <p>Current behaviour: one monitor per channel guards the buffer and the
 * waiter queue; wakers are called outside it. Each poll of a send or receive spends one unit of
 * the cooperative budget.
 *
 * @param <T> the message type
 */
public final class Channel<T> {
    private final Shared<T> shared;
    private final Sender<T> sender;
    private final Receiver<T> receiver;

    private Channel(int capacity) {
        this.shared = new Shared<>(capacity);
        this.sender = new Sender<>(shared);
        this.receiver = new Receiver<>(shared);
    }

    /**
     * A channel holding at most {@code capacity} messages.
     *
     * @throws IllegalArgumentException if capacity is below one
     */
    public static <T> Channel<T> bounded(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        return new Channel<>(capacity);
    }

    /** A channel whose sends never wait. */
    public static <T> Channel<T> unbounded() {
        return new Channel<>(Integer.MAX_VALUE);
    }

    /** The channel's first sender handle; more come from {@link Sender#newSender()}. */
    public Sender<T> sender() {
        return sender;
    }

    /** The channel's only receiver. */
    public Receiver<T> receiver() {
        return receiver;
    }

    /** The capacity, or {@link Integer#MAX_VALUE} for an unbounded channel. */
    public int capacity() {
        return shared.capacity;
    }

    /**
     * State shared by the handles; its monitor is the channel's lock, and every mutable field
     * is guarded by it.
     */
    private static final class Shared<T> {
        final int capacity;
        final ArrayDeque<T> buffer = new ArrayDeque<>();
        /** Buffer slots granted to waiting senders that have not filled them yet. */
        int reserved;
        final ArrayDeque<SendWaiter> sendWaiters = new ArrayDeque<>();
        /** Open sender handles. */
        int senders = 1;
        /** The receiver's waker while it waits for a message, else null. */
        Waker receiverWaker;
        /** The receiver, as a stream, has answered its end: pollNext must not be called again. */
        boolean streamEnded;
        /** {@link Receiver#close()} was called: sends fail, and the stream ends once the buffer is empty. */
        boolean receiverClosed;

        Shared(int capacity) {
            this.capacity = capacity;
        }

        boolean hasRoomLocked() {
            return buffer.size() + reserved < capacity;
        }

        /**
         * Grants a free slot to the first waiting sender, if any; returns its waker for the
         * caller to call after unlocking. Every operation frees at most one slot, and waiters
         * only queue while the channel is full, so one grant per call is enough.
         */
        Waker grantLocked() {
            if (receiverClosed || !hasRoomLocked()) {
                return null;
            }
            SendWaiter head = sendWaiters.pollFirst();
            if (head == null) {
                return null;
            }
            head.granted = true;
            reserved++;
            Waker w = head.waker;
            head.waker = null;
            return w;
        }

        /** Takes the receiver's waker, if it waits; the caller wakes it outside the lock. */
        Waker takeReceiverWakerLocked() {
            Waker w = receiverWaker;
            receiverWaker = null;
            return w;
        }

        boolean endOfStreamLocked() {
            return (senders == 0 || receiverClosed) && buffer.isEmpty() && reserved == 0 && sendWaiters.isEmpty();
        }

        void checkReceiverOpenLocked() {
            if (receiverClosed) {
                throw new ClosedException("the channel's receiver is closed: it takes no more messages");
            }
        }
    }

    /** One waiting send; fields guarded by the channel's lock. */
    private static final class SendWaiter {
        Waker waker;
        boolean granted;

        SendWaiter(Waker waker) {
            this.waker = waker;
        }
    }

    private static void wake(Waker w) {
        if (w != null) {
            w.wake();
        }
    }

    /**
     * A producer's handle. Each handle is closed by its owner; the stream ends once all are.
     *
     * @param <T> the message type
     */
    public static final class Sender<T> implements AutoCloseable {
        private final Shared<T> shared;
        /** Guarded by the channel's lock. */
        private boolean closed;

        private Sender(Shared<T> shared) {
            this.shared = shared;
        }

        /**
         * Another handle on the same channel, open even if this one is closed, as long as the
         * stream has not ended.
         *
         * @throws IllegalStateException if every sender was already closed
         */
        public Sender<T> newSender() {
            synchronized (shared) {
                if (shared.senders == 0) {
                    throw new IllegalStateException("the channel's senders are all closed");
                }
                shared.senders++;
                return new Sender<>(shared);
            }
        }

        /**
         * Sends {@code message} now if there is room and no sender waits before it.
         *
         * @return true if sent
         * @throws NullPointerException if message is null
         * @throws IllegalStateException if this handle is closed
         * @throws ClosedException if the receiver is closed
         */
        public boolean trySend(T message) {
            Objects.requireNonNull(message, "message");
            Waker toWake;
            synchronized (shared) {
                checkOpenLocked();
                shared.checkReceiverOpenLocked();
                if (!shared.sendWaiters.isEmpty() || !shared.hasRoomLocked()) {
                    return false;
                }
                shared.buffer.addLast(message);
                toWake = shared.takeReceiverWakerLocked();
            }
            wake(toWake);
            return true;
        }

        /**
         * A future that puts {@code message} in the channel, waiting for room in a full bounded
         * channel. Closing this handle while the send waits does not cancel it. The future fails
         * with {@link ClosedException} if the receiver is closed before the message is in.
         *
         * @throws NullPointerException if message is null
         * @throws IllegalStateException if this handle is closed
         */
        public PollFuture<Void> send(T message) {
            Objects.requireNonNull(message, "message");
            synchronized (shared) {
                checkOpenLocked();
            }
            return new Send<>(shared, message);
        }

        /** Closes this handle; the last close ends the stream. Closing twice is harmless. */
        @Override
        public void close() {
            Waker toWake = null;
            synchronized (shared) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--shared.senders == 0 && shared.endOfStreamLocked()) {
                    toWake = shared.takeReceiverWakerLocked();
                }
            }
            wake(toWake);
        }

        private void checkOpenLocked() {
            if (closed) {
                throw new IllegalStateException("this sender is closed");
            }
        }
    }

    /** The future {@link Sender#send} returns; polled by one task at a time. */
    private static final class Send<T> implements PollFuture<Void> {
        private final Shared<T> shared;
        private T message;
        private SendWaiter waiter;

        Send(Shared<T> shared, T message) {
            this.shared = shared;
            this.message = message;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (message == null) {
                throw new IllegalStateException("send future polled after it completed");
            }
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            Waker toWake;
            synchronized (shared) {
                if (shared.receiverClosed) {
                    toWake = failLocked();
                } else {
                    if (waiter == null) {
                        if (!shared.sendWaiters.isEmpty() || !shared.hasRoomLocked()) {
                            waiter = new SendWaiter(cx.waker());
                            shared.sendWaiters.addLast(waiter);
                            cx.refundBudget();
                            return Poll.pending();
                        }
                    } else if (waiter.granted) {
                        shared.reserved--; // the slot granted to us is filled below
                        waiter = null;
                    } else {
                        Waker w = cx.waker();
                        if (!waiter.waker.willWake(w)) {
                            waiter.waker = w;
                        }
                        cx.refundBudget();
                        return Poll.pending();
                    }
                    shared.buffer.addLast(message);
                    message = null;
                    toWake = shared.takeReceiverWakerLocked();
                }
            }
            wake(toWake);
            if (message != null) { // the receiver is closed
                message = null;
                throw new ClosedException("the channel's receiver is closed: the message was not sent");
            }
            return Poll.ready(null);
        }

        /**
         * The receiver is closed: gives back a slot granted to this send, and returns the
         * receiver's waker if that was the last thing the end of the stream waited for.
         */
        private Waker failLocked() {
            SendWaiter w = waiter;
            waiter = null;
            if (w != null && w.granted) {
                shared.reserved--;
            }
            return shared.endOfStreamLocked() ? shared.takeReceiverWakerLocked() : null;
        }

        /** Sends nothing; a slot already granted goes to the next waiting sender. */
        @Override
        public void drop() {
            SendWaiter w = waiter;
            if (w == null) {
                return;
            }
            waiter = null;
            message = null;
            Waker first;
            Waker receiverWaker = null;
            synchronized (shared) {
                if (w.granted) {
                    shared.reserved--;
                } else {
                    shared.sendWaiters.remove(w);
                }
                first = shared.grantLocked();
                if (shared.endOfStreamLocked()) { // the receiver may wait on this very send
                    receiverWaker = shared.takeReceiverWakerLocked();
                }
            }
            wake(first);
            wake(receiverWaker);
        }
    }

    /**
     * The consumer's handle. Receive futures from it must be polled by one task at a time.
     *
     * <p>The receiver is also an {@link AsyncStream} of the messages: {@code rx.forEach(...)},
     * {@code rx.map(...)} and the other operators read the channel until its end (every sender
     * closed and every message received). Like {@link #receive()}, each message taken spends one
     * unit of the cooperative budget. The stream answers its end once: calling
     * {@link #pollNext} again throws {@link IllegalStateException}, while {@code receive()} goes
     * on completing with {@code null}. Dropping the stream (a dropped {@code forEach} over it,
     * say) only forgets the receiver's waker: the channel stays open, senders are not told, and
     * messages not taken stay in it for a later receive.
     *
     * @param <T> the message type
     */
    public static final class Receiver<T> implements AsyncStream<T> {
        private final Shared<T> shared;

        private Receiver(Shared<T> shared) {
            this.shared = shared;
        }

        /**
         * A future that completes with the next message, or with {@code null} once the stream
         * has ended (every sender closed and every message received).
         */
        public PollFuture<T> receive() {
            return new Receive<>(this);
        }

        /** Number of messages buffered right now (a snapshot). */
        public int size() {
            synchronized (shared) {
                return shared.buffer.size();
            }
        }

        /**
         * The next message, the end ({@code Poll.ready(null)}), or pending; see the class notes.
         *
         * @throws IllegalStateException if this stream already answered its end
         */
        @Override
        public Poll<T> pollNext(Context cx) {
            return pollReceive(cx, true);
        }

        /** Forgets the receiver's waker; the channel and its messages stay as they are. */
        @Override
        public void drop() {
            synchronized (shared) {
                shared.receiverWaker = null;
            }
        }

        /**
         * Closes the channel from the receiving side, for a consumer that stops before the end:
         * every send not yet completed (waiting ones are woken for it) and every later send or
         * {@code trySend} fails with {@link ClosedException}. The messages already in the channel
         * can still be received; after them the stream ends, even while senders are open.
         * Closing again does nothing.
         */
        public void close() {
            List<Waker> toWake = new ArrayList<>();
            synchronized (shared) {
                if (shared.receiverClosed) {
                    return;
                }
                shared.receiverClosed = true;
                for (SendWaiter w; (w = shared.sendWaiters.pollFirst()) != null; ) {
                    if (w.waker != null) {
                        toWake.add(w.waker); // its next poll fails
                        w.waker = null;
                    }
                }
                if (shared.endOfStreamLocked()) {
                    Waker r = shared.takeReceiverWakerLocked();
                    if (r != null) {
                        toWake.add(r);
                    }
                }
            }
            for (Waker w : toWake) {
                wake(w);
            }
        }

        /** True once {@link #close()} was called. */
        public boolean isClosed() {
            synchronized (shared) {
                return shared.receiverClosed;
            }
        }

        Poll<T> pollReceive(Context cx) {
            return pollReceive(cx, false);
        }

        private Poll<T> pollReceive(Context cx, boolean asStream) {
            if (!cx.consumeBudget()) {
                return Poll.pending();
            }
            T message;
            Waker granted;
            synchronized (shared) {
                message = shared.buffer.pollFirst();
                if (message == null) {
                    if (shared.endOfStreamLocked()) {
                        if (asStream) {
                            if (shared.streamEnded) {
                                throw new IllegalStateException("the channel's receiver, as a stream, "
                                        + "was polled after its end");
                            }
                            shared.streamEnded = true;
                        }
                        return Poll.ready(null);
                    }
                    Waker w = cx.waker();
                    Waker old = shared.receiverWaker;
                    if (old == null || !old.willWake(w)) {
                        shared.receiverWaker = w;
                    }
                    cx.refundBudget();
                    return Poll.pending();
                }
                granted = shared.grantLocked();
            }
            wake(granted);
            return Poll.ready(message);
        }
    }

    /** The future {@link Receiver#receive} returns: holds nothing, so it may be polled again. */
    private static final class Receive<T> implements PollFuture<T> {
        private final Receiver<T> receiver;

        Receive(Receiver<T> receiver) {
            this.receiver = receiver;
        }

        @Override
        public Poll<T> poll(Context cx) {
            return receiver.pollReceive(cx);
        }
    }
}
