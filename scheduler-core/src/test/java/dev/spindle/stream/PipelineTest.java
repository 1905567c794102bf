package dev.spindle.stream;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.Waker;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Chains of map, filter and take run as one pipeline: in constant stack however many operators
 * there are, and answering, item by item, what a chain of single operators answers. The
 * reference here is that chain, written plainly in this test.
 */
class PipelineTest {
    private final Waker waker = () -> { };

    @Test
    void aHundredThousandChainedOperatorsRunInConstantStack() {
        int ops = 100_000;
        AsyncStream<Integer> s = new ScriptedStream(50);
        for (int i = 0; i < ops; i++) {
            s = i % 2 == 0 ? s.map(x -> x + 1) : s.filter(x -> true);
        }
        List<Integer> out = s.filter(x -> x % 2 == 0).take(3).collect()
                .poll(Context.of(waker, Integer.MAX_VALUE)).value();
        assertEquals(List.of(ops / 2, ops / 2 + 2, ops / 2 + 4), out);
    }

    @Test
    void anOperatorOnAnUnfinishedChainTakesItOver() {
        ScriptedStream source = new ScriptedStream(10);
        AsyncStream<Integer> inner = source.map(x -> x * 2);
        AsyncStream<Integer> outer = inner.take(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inner.pollNext(cx()));
        assertTrue(e.getMessage().contains("polled after its end"), e.getMessage());
        inner.drop();
        assertEquals(0, source.drops, "the inner chain handed its source over");
        assertEquals(0, outer.pollNext(cx()).value());
        assertEquals(2, outer.pollNext(cx()).value());
        assertEquals(1, source.drops, "the take dropped the source with its last item");
        assertNull(outer.pollNext(cx()).value());
        e = assertThrows(IllegalStateException.class, () -> outer.pollNext(cx()));
        assertTrue(e.getMessage().startsWith("a take stream"), e.getMessage());
    }

    private Context cx() {
        return Context.of(waker, 128);
    }

    // ------------------------------------------------------------------ the reference chain

    /** One operator over another, as the chain of single operators behaves. */
    private abstract static class Ref implements AsyncStream<Integer> {
        final AsyncStream<Integer> source;
        boolean sourceLive = true;

        Ref(AsyncStream<Integer> source) {
            this.source = source;
        }

        Poll<Integer> next(Context cx) {
            if (!sourceLive) {
                throw new IllegalStateException("polled after its end");
            }
            Poll<Integer> p;
            try {
                p = source.pollNext(cx);
            } catch (RuntimeException t) {
                sourceLive = false;
                throw t;
            }
            if (p.isReady() && p.value() == null) {
                sourceLive = false;
            }
            return p;
        }

        void dropSource() {
            if (sourceLive) {
                sourceLive = false;
                source.drop();
            }
        }

        @Override
        public void drop() {
            dropSource();
        }
    }

    private static final class RefMap extends Ref {
        final Function<Integer, Integer> f;

        RefMap(AsyncStream<Integer> source, Function<Integer, Integer> f) {
            super(source);
            this.f = f;
        }

        @Override
        public Poll<Integer> pollNext(Context cx) {
            Poll<Integer> p = next(cx);
            if (p.isPending() || p.value() == null) {
                return p;
            }
            try {
                return Poll.ready(f.apply(p.value()));
            } catch (RuntimeException t) {
                dropSource();
                throw t;
            }
        }
    }

    private static final class RefFilter extends Ref {
        final Predicate<Integer> keep;

        RefFilter(AsyncStream<Integer> source, Predicate<Integer> keep) {
            super(source);
            this.keep = keep;
        }

        @Override
        public Poll<Integer> pollNext(Context cx) {
            for (;;) {
                Poll<Integer> p = next(cx);
                if (p.isPending() || p.value() == null) {
                    return p;
                }
                boolean k;
                try {
                    k = keep.test(p.value());
                } catch (RuntimeException t) {
                    dropSource();
                    throw t;
                }
                if (k) {
                    return p;
                }
            }
        }
    }

    private static final class RefTake extends Ref {
        long left;
        boolean ended;

        RefTake(AsyncStream<Integer> source, long n) {
            super(source);
            this.left = n;
        }

        @Override
        public Poll<Integer> pollNext(Context cx) {
            if (ended) {
                throw new IllegalStateException("polled after its end");
            }
            if (left == 0) {
                ended = true;
                dropSource();
                return Poll.ready(null);
            }
            Poll<Integer> p;
            try {
                p = next(cx);
            } catch (RuntimeException t) {
                ended = true;
                throw t;
            }
            if (p.isReady() && p.value() == null) {
                ended = true;
            } else if (p.isReady() && --left == 0) {
                dropSource();
            }
            return p;
        }

        @Override
        public void drop() {
            ended = true;
            dropSource();
        }
    }

    /** One operator of a random chain, applied both ways. */
    private interface Op {
        AsyncStream<Integer> real(AsyncStream<Integer> s);

        AsyncStream<Integer> ref(AsyncStream<Integer> s);
    }

    private static Op randomOp(Random r) {
        int kind = r.nextInt(3);
        if (kind == 0) {
            int a = 1 + r.nextInt(5);
            int failOn = r.nextInt(8) == 0 ? r.nextInt(40) : -1;
            Function<Integer, Integer> f = x -> {
                if (x == failOn) {
                    throw new IllegalArgumentException("map fails on " + x);
                }
                return x * a + 1;
            };
            return new Op() {
                public AsyncStream<Integer> real(AsyncStream<Integer> s) {
                    return s.map(f);
                }

                public AsyncStream<Integer> ref(AsyncStream<Integer> s) {
                    return new RefMap(s, f);
                }
            };
        }
        if (kind == 1) {
            int m = 2 + r.nextInt(3);
            Predicate<Integer> p = x -> x % m != 0;
            return new Op() {
                public AsyncStream<Integer> real(AsyncStream<Integer> s) {
                    return s.filter(p);
                }

                public AsyncStream<Integer> ref(AsyncStream<Integer> s) {
                    return new RefFilter(s, p);
                }
            };
        }
        long n = r.nextInt(12);
        return new Op() {
            public AsyncStream<Integer> real(AsyncStream<Integer> s) {
                return s.take(n);
            }

            public AsyncStream<Integer> ref(AsyncStream<Integer> s) {
                return new RefTake(s, n);
            }
        };
    }

    /** What polling a stream to its end (or failure, or a number of polls) showed. */
    private static List<String> run(AsyncStream<Integer> s, ScriptedStream source, int polls, int dropAt) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            Context cx = Context.of(() -> { }, 1 + i % 3); // a small budget: sources answer pending now and then
            if (i == dropAt) {
                s.drop();
                seen.add("dropped");
                break;
            }
            Poll<Integer> p;
            try {
                p = s.pollNext(cx);
            } catch (IllegalArgumentException e) {
                seen.add("threw " + e.getMessage());
                break;
            }
            if (p.isPending()) {
                seen.add("pending");
                continue;
            }
            if (p.value() == null) {
                seen.add("end");
                try {
                    s.pollNext(cx);
                    seen.add("polled after end without a throw");
                } catch (IllegalStateException expected) {
                    seen.add("then throws");
                }
                break;
            }
            seen.add(String.valueOf(p.value()));
        }
        seen.add("source drops " + source.drops + " polls " + source.polls);
        return seen;
    }

    @Test
    void randomChainsAnswerWhatTheChainOfSingleOperatorsAnswers() {
        Random r = new Random(7);
        for (int round = 0; round < 3_000; round++) {
            int items = r.nextInt(40);
            List<Op> ops = new ArrayList<>();
            int n = 1 + r.nextInt(8);
            for (int i = 0; i < n; i++) {
                ops.add(randomOp(r));
            }
            boolean fails = r.nextInt(5) == 0;
            int dropAt = r.nextInt(4) == 0 ? r.nextInt(30) : -1;
            ScriptedStream realSource = new ScriptedStream(items);
            ScriptedStream refSource = new ScriptedStream(items);
            if (fails) {
                realSource.failWith(new IllegalArgumentException("source fails"));
                refSource.failWith(new IllegalArgumentException("source fails"));
            }
            AsyncStream<Integer> real = realSource;
            AsyncStream<Integer> ref = refSource;
            for (Op op : ops) {
                real = op.real(real);
                ref = op.ref(ref);
            }
            assertEquals(run(ref, refSource, 200, dropAt), run(real, realSource, 200, dropAt), "round " + round);
        }
    }
}
