package dev.spindle.bench;

import dev.spindle.Poll;
import dev.spindle.PollFuture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.locks.LockSupport;

/**
 * Stresses injector contention: 12,800 tasks spawned at once by {@code producers} outside
 * threads (1, 2, 4 or 8), each spawning an equal share.
 *
 * <p>The producer threads are started once per trial and parked between operations; the
 * benchmark thread releases them all and waits for the tasks. On the serial floor, which has
 * one thread by definition, the benchmark thread spawns all 12,800 itself whatever
 * {@code producers} says.
 */
public class RemoteContention extends BenchmarkBase {
    static final int TASKS = 12_800;

    /** Outside threads spawning at once; each spawns {@code TASKS / producers}. */
    @Param({"1", "2", "4", "8"})
    public int producers;

    private Producer[] producerThreads;

    // One shared body per kind, so the allocation per operation is the executor's own.
    private final PollFuture<Void> child = cx -> {
        done.countDown();
        return Poll.ready(null);
    };
    private final Runnable childRunnable = done::countDown;

    @Override
    protected void prepare() {
        if (TASKS % producers != 0) {
            throw new IllegalArgumentException("producers must divide " + TASKS + ": " + producers);
        }
        if (serial != null) {
            return;
        }
        producerThreads = new Producer[producers];
        for (int i = 0; i < producers; i++) {
            producerThreads[i] = new Producer(i, TASKS / producers);
            producerThreads[i].start();
        }
    }

    @Override
    protected void release() throws InterruptedException {
        Producer[] ps = producerThreads;
        producerThreads = null;
        if (ps == null) {
            return;
        }
        for (Producer p : ps) {
            p.stopping = true;
            LockSupport.unpark(p);
        }
        for (Producer p : ps) {
            p.join();
        }
    }

    @Benchmark
    @Override
    public void run() throws Exception {
        done.arm(TASKS);
        if (serial != null) {
            spawn(TASKS);
        } else {
            for (Producer p : producerThreads) {
                p.release();
            }
        }
        awaitDone();
    }

    private void spawn(int n) {
        if (nativeTasks) {
            for (int i = 0; i < n; i++) {
                runtime.spawn(child);
            }
        } else {
            for (int i = 0; i < n; i++) {
                pool.execute(childRunnable);
            }
        }
    }

    /** An outside thread that spawns its share each time the benchmark thread releases it. */
    private final class Producer extends Thread {
        private final int share;
        /** Rounds released by the benchmark thread; the producer runs one share per round. */
        private volatile long released;
        private volatile boolean stopping;
        /** Rounds run; only this thread touches it. */
        private long ran;

        Producer(int index, int share) {
            super("remote-contention-producer-" + index);
            this.share = share;
            setDaemon(true);
        }

        void release() {
            // The volatile write happens before the producer's read of it; unpark covers a parked producer.
            released++;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (true) {
                while (released == ran && !stopping) {
                    LockSupport.park(this);
                }
                if (stopping) {
                    return;
                }
                ran++;
                spawn(share);
            }
        }
    }
}
