package dev.spindle;

import dev.spindle.future.Futures;
import dev.spindle.sync.Oneshot;
import dev.spindle.time.Time;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The rule the README states: no checked exception travels undeclared. Each test is written the
 * way the README tells a user to write it, so that it must compile as well as pass.
 */
class DeclaredExceptionsTest extends RuntimeTestBase {

    @Test
    void aTimeoutIsCaughtAroundBlockOnAsTheReadmeSays() {
        Spindle rt = runtime(1);
        Oneshot.Receiver<String> never = Oneshot.<String>channel().receiver();
        String outcome;
        try {
            outcome = rt.blockOn(Time.timeout(never, Duration.ofMillis(10)));
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof TimeoutException)) {
                throw e;
            }
            outcome = "timed out";
        }
        assertEquals("timed out", outcome);
    }

    @Test
    void uncheckedFailuresReachBlockOnAsTheSameInstance() {
        Spindle rt = runtime(1);
        UncheckedIOException boom = new UncheckedIOException(new IOException("disk"));
        UncheckedIOException thrown = assertThrows(UncheckedIOException.class,
                () -> rt.blockOn(rt.spawn(cx -> {
                    throw boom;
                })));
        assertSame(boom, thrown);
    }

    @Test
    void catchingHandlesAFailureOfItsTypeInsideATask() {
        Spindle rt = runtime(1);
        IOException io = new IOException("reset by peer");
        PollFuture<String> failing = cx -> {
            throw sneaky(io);
        };
        AtomicInteger seen = new AtomicInteger();
        String answer = rt.blockOn(rt.spawn(Futures.catching(failing, IOException.class, e -> {
            assertSame(io, e);
            seen.incrementAndGet();
            return "recovered";
        })));
        assertEquals("recovered", answer);
        assertEquals(1, seen.get());
        // A timeout inside a task, caught by its own type.
        Oneshot.Receiver<String> never = Oneshot.<String>channel().receiver();
        assertEquals("late", rt.blockOn(rt.spawn(Futures.catching(
                Time.timeout(never, Duration.ofMillis(5)), TimeoutException.class, e -> "late"))));
    }

    @Test
    void catchingLetsOtherFailuresAndValuesThrough() {
        IllegalStateException other = new IllegalStateException("other");
        PollFuture<String> failing = cx -> {
            throw other;
        };
        Context cx = Context.of(Waker.noop(), 8);
        PollFuture<String> caught = Futures.catching(failing, IOException.class, e -> "no");
        assertSame(other, assertThrows(IllegalStateException.class, () -> caught.poll(cx)));
        assertThrows(IllegalStateException.class, () -> caught.poll(cx), "polled after it failed");

        PollFuture<String> fine = Futures.catching(Futures.ready("v"), IOException.class, e -> "no");
        assertEquals("v", fine.poll(cx).value());

        RuntimeException fromHandler = new RuntimeException("handler");
        PollFuture<String> handlerThrows = Futures.catching(cx2 -> {
            throw other;
        }, IllegalStateException.class, e -> {
            throw fromHandler;
        });
        assertSame(fromHandler, assertThrows(RuntimeException.class, () -> handlerThrows.poll(cx)));
    }

    @Test
    void droppingCatchingDropsItsFutureAndBadArgumentsAreRefused() {
        AtomicInteger drops = new AtomicInteger();
        PollFuture<String> pending = new PollFuture<>() {
            @Override
            public Poll<String> poll(Context cx) {
                return Poll.pending();
            }

            @Override
            public void drop() {
                drops.incrementAndGet();
            }
        };
        PollFuture<String> caught = Futures.catching(pending, IOException.class, e -> "no");
        assertTrue(caught.poll(Context.of(Waker.noop(), 8)).isPending());
        caught.drop();
        assertEquals(1, drops.get());
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> Futures.catching(null, IOException.class, e -> "x"));
        assertTrue(npe.getMessage().contains("future"));
        npe = assertThrows(NullPointerException.class, () -> Futures.catching(pending, null, e -> "x"));
        assertTrue(npe.getMessage().contains("type"));
        npe = assertThrows(NullPointerException.class, () -> Futures.catching(pending, IOException.class, null));
        assertTrue(npe.getMessage().contains("handler"));
    }

    @Test
    void blockInPlaceDeclaresWhatItsBodyOrFutureDeclares() throws Exception {
        Spindle rt = runtime(2);
        IOException io = new IOException("disk");
        CompletableFuture<String> failed = CompletableFuture.failedFuture(io);
        JoinHandle<String> h = rt.spawn(cx -> {
            String out;
            try {
                out = Tasks.blockInPlace(failed);
            } catch (InterruptedException | ExecutionException e) {
                out = e.getCause() == io ? "get's own exception" : "wrong cause " + e;
            }
            try {
                Tasks.<Void, IOException>blockInPlace(() -> {
                    throw io;
                });
                fail("the body's IOException was lost");
            } catch (IOException e) {
                assertSame(io, e);
            }
            return Poll.ready(out);
        });
        assertEquals("get's own exception", rt.blockOn(h));
        assertEquals("v", Tasks.blockInPlace(CompletableFuture.completedFuture("v")), "outside a worker too");
        assertThrows(NullPointerException.class, () -> Tasks.blockInPlace((java.util.concurrent.Future<String>) null));
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void aFailureOfACheckedTypeKeepsItsInstanceThroughTheHandle() {
        Spindle rt = runtime(1);
        TimeoutException t = new TimeoutException("late");
        JoinHandle<Object> h = rt.spawn(cx -> {
            throw sneaky(t);
        });
        CompletionException e = assertThrows(CompletionException.class, () -> rt.blockOn(h));
        assertSame(t, e.getCause());
        assertInstanceOf(TimeoutException.class, e.getCause());
    }

    /** A resource that counts its closes and may fail them. */
    private static final class Resource implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();
        final IOException onClose;

        Resource(IOException onClose) {
            this.onClose = onClose;
        }

        @Override
        public void close() throws IOException {
            closes.incrementAndGet();
            if (onClose != null) {
                throw onClose;
            }
        }
    }

    @Test
    void usingClosesItsResourceHoweverTheFutureEnds() {
        Context cx = Context.of(Waker.noop(), 8);
        // Completed: closed once, the value kept.
        Resource r = new Resource(null);
        PollFuture<String> f = Futures.using(r, x -> Futures.ready("v"));
        assertEquals(0, r.closes.get(), "nothing closes before the future ends");
        assertEquals("v", f.poll(cx).value());
        assertEquals(1, r.closes.get());
        // Failed: closed once, the close failure suppressed in the future's own.
        IOException fromClose = new IOException("close");
        Resource failing = new Resource(fromClose);
        IllegalStateException boom = new IllegalStateException("boom");
        PollFuture<String> failed = Futures.using(failing, x -> c -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalStateException.class, () -> failed.poll(cx)));
        assertSame(fromClose, boom.getSuppressed()[0]);
        assertEquals(1, failing.closes.get());
        // Completed but the close fails: the close's exception fails the future.
        Resource closeFails = new Resource(fromClose);
        PollFuture<String> g = Futures.using(closeFails, x -> Futures.ready("v"));
        Exception thrown = assertThrows(Exception.class, () -> g.poll(cx));
        assertSame(fromClose, thrown);
        // Dropped while pending: the child dropped, the resource closed, once.
        AtomicInteger drops = new AtomicInteger();
        Resource dropped = new Resource(null);
        PollFuture<String> pending = Futures.using(dropped, x -> new PollFuture<String>() {
            @Override
            public Poll<String> poll(Context c) {
                return Poll.pending();
            }

            @Override
            public void drop() {
                drops.incrementAndGet();
            }
        });
        assertTrue(pending.poll(cx).isPending());
        pending.drop();
        pending.drop();
        assertEquals(1, drops.get());
        assertEquals(1, dropped.closes.get());
        // The body throws at the call: the resource is closed and the call throws.
        Resource atCall = new Resource(null);
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Futures.using(atCall, x -> {
            throw boom;
        })));
        assertEquals(1, atCall.closes.get());
        assertThrows(NullPointerException.class, () -> Futures.using(new Resource(null), x -> null));
        assertThrows(NullPointerException.class, () -> Futures.using(null, x -> Futures.ready(1)));
        assertThrows(NullPointerException.class, () -> Futures.using(new Resource(null), null));
    }
}
