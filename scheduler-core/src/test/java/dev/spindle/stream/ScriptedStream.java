package dev.spindle.stream;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.Waker;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A source for the stream tests: hands out 0, 1, 2, ... up to {@code count} items (or without
 * end), spending one budget unit per item as a real source does; pending (with its waker kept)
 * while {@code blockedFrom} items have been handed out and it is not released. Fails the test
 * if polled after its end, or after it was dropped, or dropped after its end.
 */
final class ScriptedStream implements AsyncStream<Integer> {
    static final int ENDLESS = -1;

    private final int count;
    private int blockedFrom = Integer.MAX_VALUE;
    private int next;
    private boolean ended;
    private RuntimeException failure;
    int polls;
    int drops;
    Waker waker;

    ScriptedStream(int count) {
        this.count = count;
    }

    /** Pending, once {@code n} items were handed out, until {@link #release()}. */
    ScriptedStream blockAfter(int n) {
        blockedFrom = n;
        return this;
    }

    /** Throws {@code e} on the poll after the items were handed out, instead of ending. */
    ScriptedStream failWith(RuntimeException e) {
        failure = e;
        return this;
    }

    void release() {
        blockedFrom = Integer.MAX_VALUE;
        Waker w = waker;
        if (w != null) {
            w.wake();
        }
    }

    int handedOut() {
        return next;
    }

    @Override
    public Poll<Integer> pollNext(Context cx) {
        polls++;
        if (ended || drops > 0) {
            fail("polled after its " + (ended ? "end" : "drop"));
        }
        if (next >= blockedFrom) {
            waker = cx.waker();
            return Poll.pending();
        }
        if (count != ENDLESS && next == count) {
            ended = true;
            if (failure != null) {
                throw failure;
            }
            return Poll.ready(null);
        }
        if (!cx.consumeBudget()) {
            return Poll.pending();
        }
        return Poll.ready(next++);
    }

    @Override
    public void drop() {
        if (ended) {
            fail("dropped after its end");
        }
        drops++;
    }
}
