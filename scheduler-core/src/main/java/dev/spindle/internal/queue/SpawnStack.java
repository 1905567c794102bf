package dev.spindle.internal.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/*
 * Fields on lines of their own: `top` is written by the owner on every push and pop, `base` by
 * thieves on every steal. Superclass fields come first in the object; the pads keep the two
 * 128 bytes apart.
 */

/**
 * Padding before the stack's fields. The JVM places a subclass's small field in any gap a
 * superclass leaves: the int fills the one after the object header, where it put {@code top},
 * in front of the pads.
 */
abstract class SpawnStackPad0 {
    int p0;
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The owner's end. */
abstract class SpawnStackTop extends SpawnStackPad0 {
    /** Index of the next push; written only by the owner. */
    volatile int top;
    /** Fills the rest of top's 8 bytes, so that no subclass field (base!) is placed beside it. */
    int topGap;
}

abstract class SpawnStackPad1 extends SpawnStackTop {
    long p20, p21, p22, p23, p24, p25, p26, p27;
    long p30, p31, p32, p33, p34, p35, p36, p37;
}

/** The thieves' end. */
abstract class SpawnStackBase extends SpawnStackPad1 {
    /** Index of the oldest element; moved only by compare-and-set (thieves, and the owner's last pop). */
    volatile int base;
}

abstract class SpawnStackPad2 extends SpawnStackBase {
    long p40, p41, p42, p43, p44, p45, p46, p47;
    long p50, p51, p52, p53, p54, p55, p56, p57;
}

/**
 * A worker's stack of the tasks it spawned: the owner pushes and pops at the top, so its own
 * work goes depth-first (a tree of spawns stays as deep as the tree, not as wide as a level);
 * thieves take the oldest at the bottom, one at a time, which in a tree is the biggest subtree
 * left. A bounded work-stealing deque after Chase and Lev ("Dynamic circular work-stealing
 * deque", 2005), without the growth: a push onto a full stack fails and the caller queues the
 * element elsewhere.
 *
 * <p>Who claims what: elements between {@code base} and {@code top} are live. A thief claims
 * the element at {@code base} by moving {@code base} past it with a compare-and-set. The owner
 * pops by lowering {@code top} first and only then reading {@code base} (a volatile write, then
 * a volatile read: the owner and a thief cannot both miss each other); if an element is still
 * left below the one it took, no thief can have claimed that one, and it takes it with no
 * atomic operation; if it took the last one, it races the thieves for it with the same
 * compare-and-set on {@code base}. When its first read of {@code base} already says the top
 * element is the last one, it skips lowering {@code top} and goes straight to that
 * compare-and-set: {@code base} only grows, so the compare-and-set succeeds only while the
 * element is still there, and winning it leaves {@code base} at {@code top}, empty.
 *
 * <p>Cost on the owner's path: a push is a plain store and a release store; a pop of the last
 * element is one compare-and-set; a pop with more left below is one volatile store (a full
 * fence). A worker whose tasks hand off to one another (each spawning or executing the next)
 * pops a stack of one element every time.
 *
 * <p>Slots are cleared once their element is taken, so a finished task is not kept alive, and
 * only the owner clears: what it pops at once, and what thieves took (every slot below
 * {@code base}) at its next push or empty pop. A slot below {@code base} is dead for every
 * thread: a thief that still reads it fails its compare-and-set. A thief never writes a slot,
 * so the same element may sit in the stack any number of times (a runnable executed twice).
 *
 * @param <E> element type
 */
public final class SpawnStack<E> extends SpawnStackPad2 {
    private static final VarHandle TOP;
    private static final VarHandle BASE;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TOP = l.findVarHandle(SpawnStackTop.class, "top", int.class);
            BASE = l.findVarHandle(SpawnStackBase.class, "base", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;
    /** Owner only: every slot below this index has been cleared. */
    private int cleared;

    /** @param capacity at least 2; rounded up to a power of two */
    public SpawnStack(int capacity) {
        if (capacity < 2 || capacity > 1 << 30) {
            throw new IllegalArgumentException("spawn stack capacity must be between 2 and 2^30, was " + capacity);
        }
        int c = Integer.highestOneBit(capacity - 1) << 1;
        this.slots = new Object[c];
        this.mask = c - 1;
    }

    public int capacity() {
        return slots.length;
    }

    /** Owner only: {@code e} on top. @return false, and nothing pushed, when the stack is full */
    public boolean push(E e) {
        int t = (int) TOP.get(this); // only this thread writes top
        int b = (int) BASE.getAcquire(this);
        if (t - b >= slots.length) {
            return false;
        }
        clearStolen(t, b);
        SLOT.set(slots, t & mask, e);
        TOP.setRelease(this, t + 1); // publishes the element to a thief that reads top
        return true;
    }

    /** Owner only: the newest element, or null if the stack is empty (or a thief took the last). */
    @SuppressWarnings("unchecked")
    public E pop() {
        int t = (int) TOP.get(this) - 1;
        int b0 = (int) BASE.getAcquire(this);
        if (t - b0 < 0) {
            clearStolen(t + 1, b0);
            return null; // empty: no write, no fence
        }
        int i = t & mask;
        if (t == b0) {
            // The last element, as far as this read knows: thieves claim it only by moving base
            // past it, so the same compare-and-set decides it here, and top need not move.
            if (BASE.compareAndSet(this, b0, b0 + 1)) {
                E e = (E) SLOT.get(slots, i);
                SLOT.set(slots, i, null);
                return e;
            }
            return null; // a thief took it: base is at top, empty
        }
        TOP.setVolatile(this, t); // the full fence: a thief that claims t after this sees top == t
        int b = (int) BASE.getVolatile(this);
        if (t - b > 0) {
            // Below t something is left, so no thief can reach t: it is ours.
            E e = (E) SLOT.get(slots, i);
            SLOT.set(slots, i, null);
            return e;
        }
        E e = null;
        if (t == b && BASE.compareAndSet(this, b, b + 1)) {
            e = (E) SLOT.get(slots, i);
            SLOT.set(slots, i, null);
        }
        // Taken by us or by a thief (or, t < b, by a thief before we lowered top): empty now.
        TOP.setRelease(this, t + 1);
        return e;
    }

    /** Any thread: the oldest element, or null if there is none or another thread won it. */
    @SuppressWarnings("unchecked")
    public E steal() {
        for (;;) {
            int b = (int) BASE.getVolatile(this);
            int t = (int) TOP.getVolatile(this);
            if (t - b <= 0) {
                return null;
            }
            int i = b & mask;
            E e = (E) SLOT.getAcquire(slots, i);
            if (BASE.compareAndSet(this, b, b + 1)) {
                // Won index b. Its element was published before top passed b, and nobody can
                // have overwritten or cleared it: the owner writes there only once base is past b.
                return e;
            }
            // Another thief, or the owner's last pop, took b: look again.
        }
    }

    /**
     * Owner: clears the slots of elements thieves took, below {@code b} (a base just read),
     * with {@code t} the current top. Slots of indices {@code t - capacity} and below hold
     * newer elements (or were cleared when those were taken), so they are left alone.
     */
    private void clearStolen(int t, int b) {
        int from = cleared;
        if (from - b >= 0) {
            return;
        }
        if (t - from > slots.length) {
            from = t - slots.length;
        }
        for (int j = from; j - b < 0; j++) {
            SLOT.set(slots, j & mask, null);
        }
        cleared = b;
    }

    /** Any thread, a moment's estimate. */
    public boolean isEmpty() {
        return (int) TOP.getAcquire(this) - (int) BASE.getAcquire(this) <= 0;
    }

    /** Any thread, a moment's estimate. */
    public int size() {
        return Math.max(0, (int) TOP.getAcquire(this) - (int) BASE.getAcquire(this));
    }

    /**
     * Any thread, taking nothing (the task dump): the elements between {@code base} and
     * {@code top} as read once each, oldest first. Each was in the stack at some moment during
     * the call: a slot in that range held its element when the indices were read, or was
     * written by a push since; a slot emptied meanwhile is skipped. Elements pushed or taken
     * meanwhile may be missed or seen.
     */
    @SuppressWarnings("unchecked")
    public void forEachRacy(Consumer<? super E> sink) {
        int b = (int) BASE.getVolatile(this);
        int t = (int) TOP.getVolatile(this);
        for (int i = b; t - i > 0 && t - i <= slots.length; i++) {
            E e = (E) SLOT.getAcquire(slots, i & mask);
            if (e != null) {
                sink.accept(e);
            }
        }
    }

    /** Any thread: takes every element, oldest first, into {@code sink} (shutdownNow, blocking in place). */
    public int drain(Consumer<? super E> sink) {
        int n = 0;
        E e;
        while ((e = steal()) != null) {
            sink.accept(e);
            n++;
        }
        return n;
    }
}
