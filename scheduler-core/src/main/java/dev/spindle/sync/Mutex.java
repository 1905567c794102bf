package dev.spindle.sync;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fair async mutex around a value: {@link #lock()} waits in arrival order for the
 * {@link Guard}, which gives access to the value until it is closed.
 *
 * <p>Built on a {@link Semaphore} of one permit: the semaphore's lock orders each guard's
 * writes before the next holder's reads. A waiting lock future that is dropped leaves the
 * queue, or hands the lock on if it had already been granted.
 *
 * @param <T> the type of the protected value
 */
public final class Mutex<T> {
    private final Semaphore semaphore = new Semaphore(1);
    /** Only touched by the guard's holder; published through the semaphore's lock. */
    private T value;

    /** A mutex holding {@code value}, which may be null. */
    public Mutex(T value) {
        this.value = value;
    }

    /** A future that completes with the guard once every earlier locker has unlocked. */
    public PollFuture<Guard<T>> lock() {
        PollFuture<Semaphore.Permit> acquire = semaphore.acquire(1);
        return new PollFuture<>() {
            @Override
            public Poll<Guard<T>> poll(Context cx) {
                Poll<Semaphore.Permit> p = acquire.poll(cx);
                return p.isReady() ? Poll.ready(new Guard<>(Mutex.this, p.value())) : Poll.pending();
            }

            @Override
            public void drop() {
                acquire.drop();
            }
        };
    }

    /** Takes the lock now if it is free and nobody waits; empty otherwise. */
    public java.util.Optional<Guard<T>> tryLock() {
        return semaphore.tryAcquire(1).map(p -> new Guard<>(this, p));
    }

    /** True if some guard holds the lock right now (a snapshot, for tests and diagnostics). */
    public boolean isLocked() {
        return semaphore.availablePermits() == 0;
    }

    /**
     * Access to the mutex's value while the lock is held; {@link #close()} unlocks. Closing
     * twice is harmless; {@link #get()} and {@link #set} after close throw.
     *
     * @param <T> the type of the protected value
     */
    public static final class Guard<T> implements AutoCloseable {
        private final Mutex<T> mutex;
        private final Semaphore.Permit permit;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Guard(Mutex<T> mutex, Semaphore.Permit permit) {
            this.mutex = mutex;
            this.permit = permit;
        }

        /**
         * The protected value.
         *
         * @throws IllegalStateException if the guard is closed
         */
        public T get() {
            checkOpen();
            return mutex.value;
        }

        /**
         * Replaces the protected value.
         *
         * @throws IllegalStateException if the guard is closed
         */
        public void set(T newValue) {
            checkOpen();
            mutex.value = newValue;
        }

        /** Unlocks; later calls do nothing. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                permit.close();
            }
        }

        private void checkOpen() {
            if (closed.get()) {
                throw new IllegalStateException("the guard is closed");
            }
        }
    }
}
