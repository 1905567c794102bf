package dev.spindle.io;

import dev.spindle.Spindle;
import dev.spindle.io.internal.SelectorDriver;
import dev.spindle.spi.Driver;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The NIO reactor: gives a {@link Spindle} its sockets. Build the runtime with it,
 * <pre>{@code
 * Spindle rt = Spindle.builder().driver(Reactor::create).build();
 * }</pre>
 * and the sockets of this package work inside its tasks (and its {@code blockOn}). An idle
 * worker waits in the reactor's selector until a socket is ready or the nearest timer is due;
 * busy workers poll it between tasks.
 *
 * <p>Current behaviour: one {@link java.nio.channels.Selector} per runtime; a select's timeout
 * is rounded up to whole milliseconds.
 */
public final class Reactor implements Driver {
    final SelectorDriver driver;

    private Reactor(SelectorDriver driver) {
        this.driver = driver;
    }

    /**
     * A new reactor, for {@code SpindleBuilder.driver(Reactor::create)}.
     *
     * @throws UncheckedIOException if no selector can be opened
     */
    public static Reactor create() {
        try {
            return new Reactor(new SelectorDriver());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the reactor", e);
        }
    }

    /**
     * The reactor of the runtime the calling thread is in (a task's, or a {@code blockOn}'s).
     *
     * @throws IllegalStateException outside a runtime, or if the runtime has no reactor
     */
    public static Reactor current() {
        return of(Spindle.current());
    }

    /**
     * The reactor {@code rt} was built with.
     *
     * @throws IllegalStateException if it was built without one
     */
    public static Reactor of(Spindle rt) {
        return rt.driver()
                .filter(Reactor.class::isInstance)
                .map(Reactor.class::cast)
                .orElseThrow(() -> new IllegalStateException("runtime " + rt
                        + " has no I/O reactor: build it with Spindle.builder().driver(Reactor::create)"));
    }

    /** Part of the driver seam; called by the runtime, not by users. */
    @Override
    public void park(long timeoutNanos) {
        driver.park(timeoutNanos);
    }

    /** Part of the driver seam; called by the runtime, not by users. */
    @Override
    public void unpark() {
        driver.unpark();
    }

    /** Part of the driver seam; called by the runtime, not by users. */
    @Override
    public void shutdown() {
        driver.shutdown();
    }

    /** Channels registered with this reactor and not yet released by the selector. */
    public int registeredChannels() {
        return driver.registeredCount();
    }
}
