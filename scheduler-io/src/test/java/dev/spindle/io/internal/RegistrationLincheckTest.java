package dev.spindle.io.internal;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.Waker;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of the readiness protocol ({@link Registration} and {@link IoOp}) against a fake
 * socket and a fake selector, under Lincheck's interleavings. A reader that answered pending
 * spins until its waker was woken since that poll, so a lost wake-up (readiness cleared after
 * newer readiness came, or a waiter overwritten) shows as a hang with its interleaving.
 *
 * <p>The fake selector reports read readiness only while interest is armed and bytes are
 * there, and disarms a report that woke nobody, as {@code SelectorDriver} does with a real key.
 */
class RegistrationLincheckTest {
    /**
     * Twice the build's interleavings per scenario, and never fewer than 1,000: with a waiter
     * filed after its interest was armed (the ordering bug these scenarios exist for), 500 did
     * not reach the losing interleaving and 1,000 did.
     */
    static void check(Runnable scenario) {
        Lincheck.runConcurrentTest(Math.max(1_000, 2 * Integer.getInteger("spindle.lincheck.invocations", 300)), scenario);
    }

    static void startAndJoin(Thread... threads) {
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A socket with a count of readable bytes, and a selector's interest in it. */
    static final class FakeSocket implements Registration.Interest {
        final AtomicInteger bytes = new AtomicInteger();
        final AtomicBoolean armed = new AtomicBoolean();

        @Override
        public void arm(int ops) {
            armed.set(true);
        }

        @Override
        public void cancel() {
        }
    }

    /** Reads one byte through the real IoOp protocol. */
    static final class ReadOne extends IoOp<Integer> {
        final FakeSocket socket;

        ReadOne(Registration reg, FakeSocket socket) {
            super(reg, Registration.READ);
            this.socket = socket;
        }

        @Override
        protected Integer attempt() {
            for (;;) {
                int n = socket.bytes.get();
                if (n == 0) {
                    return null;
                }
                if (socket.bytes.compareAndSet(n, n - 1)) {
                    return 1;
                }
            }
        }

        @Override
        protected String describe() {
            return "read from the fake socket";
        }
    }

    /** A waker that counts. */
    static final class Counting implements Waker {
        final AtomicInteger woken = new AtomicInteger();

        @Override
        public void wake() {
            woken.incrementAndGet();
        }
    }

    /** Polls its read until ready, waiting for a wake between pending polls. */
    static final class Reader extends Thread {
        final ReadOne op;
        final Counting waker = new Counting();
        final AtomicInteger done;
        int got;

        Reader(Registration reg, FakeSocket socket, AtomicInteger done) {
            this.op = new ReadOne(reg, socket);
            this.done = done;
        }

        @Override
        public void run() {
            for (;;) {
                int seen = waker.woken.get();
                Poll<Integer> p = op.poll(Context.of(waker, 128));
                if (p.isReady()) {
                    got = p.value();
                    done.incrementAndGet();
                    return;
                }
                while (waker.woken.get() == seen) {
                    Thread.onSpinWait(); // a lost wake-up spins here forever
                }
            }
        }
    }

    /** Writes bytes into the socket, one at a time. */
    static final class Peer extends Thread {
        final FakeSocket socket;
        final int bytes;

        Peer(FakeSocket socket, int bytes) {
            this.socket = socket;
            this.bytes = bytes;
        }

        @Override
        public void run() {
            for (int i = 0; i < bytes; i++) {
                socket.bytes.incrementAndGet();
            }
        }
    }

    /** The selector's thread: reports readiness while armed and readable, until the readers are done. */
    static final class Selector extends Thread {
        final Registration reg;
        final FakeSocket socket;
        final AtomicInteger done;
        final int readers;

        Selector(Registration reg, FakeSocket socket, AtomicInteger done, int readers) {
            this.reg = reg;
            this.socket = socket;
            this.done = done;
            this.readers = readers;
        }

        @Override
        public void run() {
            ArrayList<Waker> scratch = new ArrayList<>();
            while (done.get() < readers) {
                if (socket.bytes.get() > 0 && socket.armed.get()) {
                    // As SelectorDriver.dispatch: keep interest if waiters were woken, else
                    // disarm and re-arm for a waiter that filed itself meanwhile.
                    if ((reg.ready(true, false, scratch) & Registration.HAD_READ_WAITERS) == 0) {
                        socket.armed.set(false);
                        if (reg.hasWaiter(Registration.READ)) {
                            socket.armed.set(true);
                        }
                    }
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private static Registration registration(FakeSocket socket) {
        return new Registration(socket, 1, 4);
    }

    @Test
    void aReaderRacingTheBytesAndTheSelectorIsWoken() {
        check(() -> {
            FakeSocket socket = new FakeSocket();
            Registration reg = registration(socket);
            // Not optimistic here: the first attempt must see nothing and wait.
            AtomicInteger done = new AtomicInteger();
            Reader r = new Reader(reg, socket, done);
            startAndJoin(r, new Peer(socket, 1), new Selector(reg, socket, done, 1));
            assertEquals(1, r.got);
            assertEquals(0, socket.bytes.get());
        });
    }

    @Test
    void twoReadersOfOneSocketAreBothWoken() {
        check(() -> {
            FakeSocket socket = new FakeSocket();
            Registration reg = registration(socket);
            AtomicInteger done = new AtomicInteger();
            Reader a = new Reader(reg, socket, done);
            Reader b = new Reader(reg, socket, done);
            startAndJoin(a, b, new Peer(socket, 2), new Selector(reg, socket, done, 2));
            assertEquals(1, a.got);
            assertEquals(1, b.got);
            assertTrue(socket.bytes.get() == 0);
        });
    }
}
