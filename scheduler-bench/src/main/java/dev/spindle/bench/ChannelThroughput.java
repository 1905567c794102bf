package dev.spindle.bench;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.bench.baseline.Peers;
import dev.spindle.sync.Channel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stresses a many-to-one channel and the waking of a waiting consumer and of producers held up
 * by a full buffer: {@link #producers} tasks send 100,000 messages in all to one consumer task.
 * The score is per message.
 *
 * <p>{@link #executor} {@value #SPINDLE} runs native tasks on a {@code dev.spindle.sync.Channel};
 * {@value Peers#FJP} runs the same tasks as runnables on a {@code ForkJoinPool} with a JDK
 * blocking queue. {@link #channel} picks the kind:
 * <ul>
 *   <li>{@value #BOUNDED}: {@code Channel.bounded(1024)}, or an {@code ArrayBlockingQueue}
 *       of the same capacity;</li>
 *   <li>{@value #UNBOUNDED}: {@code Channel.unbounded()}, or a {@code LinkedBlockingQueue}.</li>
 * </ul>
 *
 * <p>Spindle's producers {@code send} futures, polled until ready, and close their sender
 * handles when done; the consumer polls one {@code receive} future until it completes with
 * null, the end of the stream. The ForkJoinPool tasks block in {@code put} and {@code take}
 * inside {@link ForkJoinPool#managedBlock}, which first tries {@code offer} or {@code poll} and
 * only then lets the pool start a spare worker before blocking, so five blocking tasks cannot
 * deadlock a pool of two workers (a fixed thread pool would, which is why {@code tpe} is not
 * a peer here). Each producer ends its share with a stop message, the consumer stops after
 * one from each.
 *
 * <p>The messages are boxed once per trial and reused, so the allocation shown is the
 * channel's and the executor's: Spindle's includes one send future per message, and one
 * channel per operation.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChannelThroughput extends BenchmarkBase {
    static final int MESSAGES = 100_000;
    static final int CAPACITY = 1_024;
    static final String BOUNDED = "bounded";
    static final String UNBOUNDED = "unbounded";
    /** The peer's end-of-share message; the messages themselves are 0 and up. */
    private static final Integer STOP = -1;

    /** This workload's executors; see {@link BenchmarkBase#executor}, the field code reads. */
    @Param({SPINDLE, Peers.FJP})
    public String executor;

    /** The channel's kind; see the class notes for what each executor uses for it. */
    @Param({BOUNDED, UNBOUNDED})
    public String channel;

    /** How many producer tasks share the messages. */
    @Param({"4"})
    public int producers;

    /** Messages per operation; tests make it smaller. */
    int messages = MESSAGES;

    /** messages[i] is i, boxed once per trial. */
    private Integer[] boxed;
    private NativeProducer[] nativeProducers;
    private NativeConsumer nativeConsumer;
    private PeerProducer[] peerProducers;
    private PeerConsumer peerConsumer;

    // Written by the consumer task before its count-down; read by the benchmark thread after it.
    private long received;
    private long sum;

    @Override
    protected void prepare() {
        if (!BOUNDED.equals(channel) && !UNBOUNDED.equals(channel)) {
            throw new IllegalArgumentException("unknown channel kind: " + channel);
        }
        if (producers < 1 || messages < producers) {
            throw new IllegalArgumentException(producers + " producers for " + messages + " messages");
        }
        boxed = new Integer[messages];
        for (int i = 0; i < messages; i++) {
            boxed[i] = i;
        }
        nativeProducers = new NativeProducer[producers];
        peerProducers = new PeerProducer[producers];
        for (int p = 0; p < producers; p++) {
            // Producer p sends messages [from, to): the shares differ by at most one.
            int from = (int) ((long) messages * p / producers);
            int to = (int) ((long) messages * (p + 1) / producers);
            nativeProducers[p] = new NativeProducer(from, to);
            peerProducers[p] = new PeerProducer(from, to);
        }
        nativeConsumer = new NativeConsumer();
        peerConsumer = new PeerConsumer();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    @Override
    public void run() throws Exception {
        done.arm(1);
        if (nativeTasks) {
            Channel<Integer> ch = BOUNDED.equals(channel) ? Channel.bounded(CAPACITY) : Channel.unbounded();
            // Every handle exists before any producer can close its own and end the stream.
            Channel.Sender<Integer> first = ch.sender();
            for (int p = 0; p < producers; p++) {
                nativeProducers[p].start(p == 0 ? first : first.newSender());
            }
            nativeConsumer.start(ch.receiver());
            runtime.spawn(nativeConsumer);
            for (NativeProducer p : nativeProducers) {
                runtime.spawn(p);
            }
        } else {
            BlockingQueue<Integer> q = BOUNDED.equals(channel)
                    ? new ArrayBlockingQueue<>(CAPACITY) : new LinkedBlockingQueue<>();
            peerConsumer.start(q);
            pool.execute(peerConsumer);
            for (PeerProducer p : peerProducers) {
                p.start(q);
                pool.execute(p);
            }
        }
        awaitDone();
        long expected = (long) messages * (messages - 1) / 2;
        if (received != messages || sum != expected) {
            throw new IllegalStateException("the consumer got " + received + " messages summing to " + sum
                    + ", not " + messages + " summing to " + expected);
        }
    }

    /** Sends its share through {@code send} futures, then closes its handle. */
    private final class NativeProducer implements PollFuture<Void> {
        final int from;
        final int to;
        Channel.Sender<Integer> tx;
        int next;
        PollFuture<Void> sending;

        NativeProducer(int from, int to) {
            this.from = from;
            this.to = to;
        }

        /** Before the spawn, which publishes these. */
        void start(Channel.Sender<Integer> sender) {
            tx = sender;
            next = from;
            sending = null;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            while (next < to) {
                if (sending == null) {
                    sending = tx.send(boxed[next]);
                }
                if (sending.poll(cx).isPending()) {
                    return Poll.pending();
                }
                sending = null;
                next++;
            }
            tx.close();
            return Poll.ready(null);
        }
    }

    /** Receives until the stream ends, counting and summing. */
    private final class NativeConsumer implements PollFuture<Void> {
        PollFuture<Integer> receiving;
        long count;
        long total;

        void start(Channel.Receiver<Integer> rx) {
            receiving = rx.receive(); // holds nothing between messages, so one serves them all
            count = 0;
            total = 0;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            for (;;) {
                Poll<Integer> p = receiving.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                Integer m = p.value();
                if (m == null) {
                    received = count;
                    sum = total;
                    done.countDown();
                    return Poll.ready(null);
                }
                count++;
                total += m;
            }
        }
    }

    /** Puts its share, then {@link #STOP}, blocking through the pool's managed blocking. */
    private final class PeerProducer implements Runnable, ForkJoinPool.ManagedBlocker {
        final int from;
        final int to;
        BlockingQueue<Integer> q;
        /** The message being put; only this producer's task touches it. */
        Integer item;
        boolean put;

        PeerProducer(int from, int to) {
            this.from = from;
            this.to = to;
        }

        void start(BlockingQueue<Integer> queue) {
            q = queue;
        }

        @Override
        public void run() {
            try {
                for (int i = from; i < to; i++) {
                    put(boxed[i]);
                }
                put(STOP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the trial is being torn down; the op times out
            }
        }

        private void put(Integer m) throws InterruptedException {
            item = m;
            put = false;
            ForkJoinPool.managedBlock(this);
        }

        @Override
        public boolean isReleasable() {
            return put || (put = q.offer(item));
        }

        @Override
        public boolean block() throws InterruptedException {
            if (!put) {
                q.put(item);
                put = true;
            }
            return true;
        }
    }

    /** Takes until every producer has sent {@link #STOP}, counting and summing. */
    private final class PeerConsumer implements Runnable, ForkJoinPool.ManagedBlocker {
        BlockingQueue<Integer> q;
        /** The message just taken, null while waiting; only this task touches it. */
        Integer item;

        void start(BlockingQueue<Integer> queue) {
            q = queue;
        }

        @Override
        public void run() {
            long count = 0;
            long total = 0;
            int stopped = 0;
            try {
                while (stopped < producers) {
                    item = null;
                    ForkJoinPool.managedBlock(this);
                    int m = item;
                    if (m < 0) {
                        stopped++;
                    } else {
                        count++;
                        total += m;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the trial is being torn down; the op times out
                return;
            }
            received = count;
            sum = total;
            done.countDown();
        }

        @Override
        public boolean isReleasable() {
            return item != null || (item = q.poll()) != null;
        }

        @Override
        public boolean block() throws InterruptedException {
            if (item == null) {
                item = q.take();
            }
            return true;
        }
    }
}
