package dev.spindle.io.internal;

import dev.spindle.Waker;

/**
 * One task's place in a registration's waiter list for one direction. An I/O future is its own
 * waiter, so waiting allocates nothing; the fields are guarded by the registration's lock.
 */
public abstract class Waiter {
    Waker waker;
    Waiter prev;
    Waiter next;
    /** The direction list this waiter is linked into, or -1. */
    int linkedIn = -1;

    protected Waiter() {
    }
}
