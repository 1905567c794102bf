package dev.spindle.stream;

import dev.spindle.Context;
import dev.spindle.JoinHandle;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.RuntimeTestBase;
import dev.spindle.Spindle;
import dev.spindle.Waker;
import dev.spindle.future.Futures;
import dev.spindle.sync.Channel;
import dev.spindle.time.ManualClock;
import dev.spindle.time.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.spindle.TestSupport.await;
import static dev.spindle.TestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/** The core's stream sources: a channel's receiver and an interval's ticks. */
class CoreSourcesTest extends RuntimeTestBase {
    private final AtomicInteger wakes = new AtomicInteger();
    private final Waker waker = wakes::incrementAndGet;
    private final ManualClock clock = new ManualClock();

    @AfterEach
    void closeStreamRuntimes() {
        closeManagedRuntimes();
    }

    private Spindle manualRuntime(int workers) {
        return manage(quiet().workers(workers).clock(clock).build());
    }

    @Test
    void aReceiverStreamsItsMessagesInOrderThenEndsOnce() {
        Channel<Integer> ch = Channel.unbounded();
        for (int i = 0; i < 5; i++) {
            assertTrue(ch.sender().trySend(i));
        }
        ch.sender().close();
        Channel.Receiver<Integer> rx = ch.receiver();
        assertEquals(List.of(0, 1, 2, 3, 4), rx.collect().poll(Context.of(waker, 128)).value());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rx.pollNext(Context.of(waker, 128)));
        assertTrue(e.getMessage().contains("after its end"), e.getMessage());
        assertNull(rx.receive().poll(Context.of(waker, 128)).value(), "receive() still completes with null");
    }

    @Test
    void aReceiverSpendsAUnitPerMessage() {
        Channel<Integer> ch = Channel.unbounded();
        for (int i = 0; i < 10; i++) {
            assertTrue(ch.sender().trySend(i));
        }
        List<Integer> seen = new ArrayList<>();
        PollFuture<Void> each = ch.receiver().forEach(seen::add);
        assertTrue(each.poll(Context.of(waker, 5)).isPending());
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
        assertEquals(1, wakes.get(), "the spent budget woke the task");
        Context waiting = Context.of(waker, 100);
        assertTrue(each.poll(waiting).isPending());
        assertEquals(10, seen.size());
        assertEquals(95, waiting.remainingBudget(), "waiting for a message gave its unit back");
    }

    @Test
    void aDroppedForEachOverAReceiverForgetsItsWakerAndLeavesTheMessages() {
        Channel<Integer> ch = Channel.unbounded();
        PollFuture<Void> each = ch.receiver().forEach(i -> fail("no message was sent yet"));
        assertTrue(each.poll(Context.of(waker, 128)).isPending());
        each.drop();
        assertTrue(ch.sender().trySend(7));
        assertEquals(0, wakes.get(), "the dropped stream's waker was forgotten");
        assertEquals(7, ch.receiver().receive().poll(Context.of(waker, 128)).value());
    }

    @Test
    void aReceiverStreamOnARuntimeSumsWhatAnotherTaskSends() {
        Spindle rt = runtime(2);
        Channel<Long> ch = Channel.bounded(4);
        long[] sum = {0};
        JoinHandle<Void> summed = rt.spawn(ch.receiver().forEach(m -> sum[0] += m));
        JoinHandle<Void> sent = rt.spawn(Futures.andThen(Futures.loop(1L, i -> i > 10_000
                ? Futures.ready(dev.spindle.future.Step.<Long, Void>done(null))
                : Futures.map(ch.sender().send(i), v -> dev.spindle.future.Step.next(i + 1))), v -> {
                    ch.sender().close();
                    return Futures.ready(null);
                }));
        rt.blockOn(sent);
        await(summed.toCompletableFuture(), "the forEach to end with the channel");
        assertEquals(10_000L * 10_001 / 2, sum[0]);
    }

    @Test
    void ticksComeOnScheduleAndTakeRemovesTheTimer() {
        Spindle rt = manualRuntime(1);
        long start = clock.nanoTime();
        List<Long> ticksMs = Collections.synchronizedList(new ArrayList<>());
        JoinHandle<List<Long>> h = rt.spawn(lazy(() -> Time.interval(Duration.ofMillis(100)).ticks()
                .map(t -> TimeUnit.NANOSECONDS.toMillis(t - start))
                .filter(ticksMs::add)
                .take(3).collect()));
        awaitTrue(() -> ticksMs.size() == 1 && rt.metrics().pendingTimers() == 1, "first tick at once");
        clock.advance(Duration.ofMillis(100));
        awaitTrue(() -> ticksMs.size() == 2 && rt.metrics().pendingTimers() == 1, "second tick");
        clock.advance(Duration.ofMillis(250)); // late: the tick due at 300 is missed
        assertEquals(List.of(0L, 100L, 200L), await(h.toCompletableFuture(), "third tick"));
        assertEquals(0, rt.metrics().pendingTimers());
    }

    @Test
    void abortingAForEachOverTicksRemovesTheTimer() {
        Spindle rt = manualRuntime(1);
        AtomicInteger ticks = new AtomicInteger();
        JoinHandle<Void> h = rt.spawn(lazy(() -> Time.interval(Duration.ofSeconds(1)).ticks()
                .forEach(t -> ticks.incrementAndGet())));
        awaitTrue(() -> ticks.get() == 1 && rt.metrics().pendingTimers() == 1, "first tick, then a timer");
        h.abort();
        awaitTrue(() -> rt.metrics().pendingTimers() == 0, "the aborted stream's timer removed");
        // The cancelled task drops its future (removing the timer) before it publishes its
        // outcome, so the handle may say so a moment after the timer is gone.
        awaitTrue(() -> h.toCompletableFuture().isCancelled(), "the handle reports the cancellation");
    }

    @Test
    void eachTickSpendsAUnitAndADroppedStreamLeavesNoTimer() {
        Spindle rt = manualRuntime(1);
        Context budget = Context.of(waker, 1);
        // The first tick is due at once: one item, then the spent budget makes it pending.
        List<Long> got = rt.blockOn(lazy(() -> {
            AsyncStream<Long> ticks = Time.interval(Duration.ofMillis(10)).ticks();
            return cx -> {
                List<Long> out = new ArrayList<>();
                Poll<Long> p = ticks.pollNext(budget);
                out.add(p.value());
                assertTrue(ticks.pollNext(budget).isPending(), "no budget left");
                ticks.drop();
                return Poll.ready(out);
            };
        }));
        assertEquals(1, got.size());
        assertNotNull(got.get(0));
        assertEquals(0, rt.metrics().pendingTimers());
    }

    /** Builds the future on its first poll, inside the runtime (where Time needs to be). */
    private static <T> PollFuture<T> lazy(java.util.function.Supplier<PollFuture<T>> make) {
        return new PollFuture<>() {
            private PollFuture<T> f;

            @Override
            public Poll<T> poll(Context cx) {
                if (f == null) {
                    f = make.get();
                }
                return f.poll(cx);
            }

            @Override
            public void drop() {
                if (f != null) {
                    f.drop();
                }
            }
        };
    }

    @Test
    void intervalTicksNeedNoRuntimeUntilPolled() {
        AsyncStream<Long> ticks = Time.interval(Duration.ofSeconds(1)).ticks();
        assertThrows(IllegalStateException.class, () -> ticks.pollNext(Context.of(waker, 1)),
                "polled outside a runtime: the clear message of Time");
    }
}
