package dev.spindle.sync;

import dev.spindle.Waker;

import java.util.concurrent.atomic.AtomicInteger;

/** A waker that counts its wake-ups; identity is the object. Shared by the sync tests. */
class CountingWaker implements Waker {
    final AtomicInteger woken = new AtomicInteger();

    @Override
    public void wake() {
        woken.incrementAndGet();
    }

    int woken() {
        return woken.get();
    }
}
