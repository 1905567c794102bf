package dev.spindle.future;

import dev.spindle.Context;
import dev.spindle.PollFuture;
import dev.spindle.Waker;
import dev.spindle.sync.AtomicWaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The children of a {@code joinAll}, a select or a race, each with a waker of its own, and the queue of the
 * children woken since their last poll: a poll of the combinator polls only those, so one
 * wake costs one child's poll, however many children there are (the package notes give the
 * protocol and its interleavings). {@link Combinators.All} and {@link Combinators.Any} extend
 * this class with what finishes them; the protocol is all here.
 *
 * <p>One object plays three parts, so that the combinator allocates itself, its children and
 * their array, and the task's {@link AtomicWaker}, nothing more: it is the combinator (the
 * subclass), the children's queue, and the {@link Context} each child is polled with (its own
 * waker, the task's budget; a spent budget wakes the child's waker, so the child is polled
 * again, not only the task).
 *
 * <p>Who calls what: {@link Child#wake()} from any thread, any time, also after the combinator
 * finished or was dropped; every other method is the owner's (the task polling or dropping
 * the combinator, one thread at a time). The context methods are called by the child being
 * polled, inside {@link #pollChild}.
 *
 * <p>Order of declarations: the shared state (the woken stack, the parent's waker), then the
 * owner's (its batch, the child being polled), then the context methods and the child.
 */
abstract class Children<R> extends Context implements PollFuture<R> {
    private static final VarHandle HEAD;
    private static final VarHandle QUEUED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(Children.class, "head", Child.class);
            QUEUED = lookup.findVarHandle(Child.class, "queued", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Every child, by index; the owner reads values and drops through it. */
    final Child<?>[] all;

    /** The children woken since the owner last drained: a Treiber stack, pushed by wakers. */
    @SuppressWarnings("unused") // accessed through HEAD
    private volatile Child<?> head;
    /** The waker of the task that polls the combinator, woken after each push. */
    private final AtomicWaker parent = new AtomicWaker();

    // Owner only.
    /** Children taken off the stack (or queued at the start) and not yet polled, in order. */
    private Child<?> batchHead;
    private Child<?> batchTail;
    /** While a child is polled: the task's context, and that child (null between polls). */
    private Context outer;
    private Child<?> polling;

    /**
     * Children for {@code futures}, all queued: the first poll polls each once, in index order
     * from {@code first} round to {@code first - 1}.
     */
    Children(PollFuture<?>[] futures, int first) {
        int n = futures.length;
        all = new Child<?>[n];
        for (int i = 0; i < n; i++) {
            all[i] = new Child<>(futures[i], i, this);
        }
        queueAll(first);
    }

    /** Two children (a select's), {@code a} at index 0 and {@code b} at 1, queued from {@code first}. */
    Children(PollFuture<?> a, PollFuture<?> b, int first) {
        all = new Child<?>[] {new Child<>(a, 0, this), new Child<>(b, 1, this)};
        queueAll(first);
    }

    private void queueAll(int first) {
        int n = all.length;
        for (int k = 0, i = first; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
            append(all[i], all[i]);
        }
    }

    // ---------------------------------------------------------------- the owner's side

    /**
     * A poll begins: stores the task's waker for the children's wakes to come, then takes the
     * children woken so far. Registering first means a wake that missed this drain wakes
     * {@code w}: the task polls again and the next drain finds that child.
     */
    void beginPoll(Waker w) {
        parent.register(w);
        // Acquire: pairs with the pushes' compare-and-set, so their next links are visible.
        Child<?> top = (Child<?>) HEAD.getAndSet(this, (Child<?>) null);
        if (top == null) {
            return;
        }
        Child<?> last = top; // the stack is newest first: reverse it into wake order
        Child<?> first = null;
        for (Child<?> c = top; c != null; ) {
            Child<?> next = c.next;
            c.next = first;
            first = c;
            c = next;
        }
        append(first, last);
    }

    /** True while children taken off the stack wait for a poll in this or the next poll. */
    boolean hasQueued() {
        return batchHead != null;
    }

    /**
     * The next queued child that is still live, out of the queue and with its flag cleared, so
     * a wake from now on (during its poll, too) queues it again; null when none is left. A child
     * that finished or was dropped keeps its flag set for good: it never queues again.
     */
    Child<?> take() {
        for (Child<?> c = batchHead; c != null; c = batchHead) {
            batchHead = c.next;
            if (batchHead == null) {
                batchTail = null;
            }
            c.next = null; // before the clear: from then on a pusher owns the link
            if (c.isLive()) {
                // Volatile: pairs with the wake's compare-and-set (store-load on both sides).
                // Either that CAS sees false and queues the child again, or the poll that
                // follows sees what the waking thread stored before it woke.
                QUEUED.setVolatile(c, false);
                return c;
            }
        }
        return null;
    }

    /**
     * Polls {@code c} with this as its context (its own waker, {@code cx}'s budget); true when
     * it is now ready.
     */
    boolean pollChild(Child<?> c, Context cx) {
        outer = cx;
        polling = c;
        try {
            return c.poll(this);
        } finally {
            outer = null;
            polling = null;
            if (!c.isLive()) {
                // Finished: its later wakes do nothing. No fence: a wake that sets the flag
                // first only queues a child that take() skips, and wakes the task once more.
                QUEUED.setRelease(c, true);
            }
        }
    }

    /**
     * The combinator finished or is dropped: every child's later wake does nothing and the
     * task's waker is let go. Call before dropping the children.
     */
    void close() {
        for (Child<?> c : all) {
            if (c.isLive()) { // a finished child's flag is set for good already
                QUEUED.setVolatile(c, true);
            }
            c.owner = null; // so a waker kept by a resource holds no sibling's value
        }
        parent.take();
        if (HEAD.getAcquire(this) != null) { // a push after the last drain: forget it
            HEAD.setRelease(this, (Child<?>) null);
        }
        batchHead = null;
        batchTail = null;
    }

    private void append(Child<?> first, Child<?> last) {
        if (batchTail == null) {
            batchHead = first;
        } else {
            batchTail.next = first;
        }
        batchTail = last;
    }

    // ---------------------------------------------------------------- the child's context

    @Override
    public Waker waker() {
        return polling;
    }

    @Override
    public boolean consumeBudget() {
        if (outer.consumeBudget()) {
            return true;
        }
        polling.wake(); // the runtime's context may note a yield without waking any waker
        return false;
    }

    @Override
    public void refundBudget() {
        outer.refundBudget();
    }

    @Override
    public int remainingBudget() {
        return outer.remainingBudget();
    }

    // ---------------------------------------------------------------- the wakers' side

    /** Pushes a child whose flag this thread just set, then wakes the task. */
    private void push(Child<?> c) {
        for (;;) {
            Child<?> h = (Child<?>) HEAD.getVolatile(this);
            c.next = h;
            // Release: publishes the link to the owner's getAndSet.
            if (HEAD.compareAndSet(this, h, c)) {
                break;
            }
        }
        parent.wake();
    }

    /**
     * One child: its slot (the future while live, its value once ready), its index, and the
     * waker it is polled with, allocated once. {@code queued} is true while the child sits in
     * the stack or the batch, and for good once it finished or the combinator closed; a wake
     * queues the child only when it sets it.
     */
    static final class Child<T> extends Combinators.Slot<T> implements Waker {
        final int index;
        /** Null once the combinator closed; a wake racing that close may still see it. */
        private Children<?> owner;
        @SuppressWarnings("unused") // accessed through QUEUED
        private volatile boolean queued = true;
        /** The link in the stack (written by the pusher that set queued) or the batch (owner). */
        private Child<?> next;

        Child(PollFuture<T> future, int index, Children<?> owner) {
            super(future);
            this.index = index;
            this.owner = owner;
        }

        /** Queues this child for the next poll of its combinator. Any thread, any time. */
        @Override
        public void wake() {
            if (QUEUED.compareAndSet(this, false, true)) {
                Children<?> o = owner;
                if (o != null) {
                    o.push(this);
                }
            }
        }

        @Override
        public String toString() {
            return "Child[" + index + "]";
        }
    }
}
