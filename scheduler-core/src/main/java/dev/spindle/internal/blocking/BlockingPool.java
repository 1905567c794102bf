package dev.spindle.internal.blocking;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An elastic pool of platform threads for blocking jobs: it grows on demand up to
 * {@code maxThreads}, queues what it cannot start (an unbounded FIFO), and lets a thread that
 * has waited {@code keepAliveNanos} for a job exit. The package documentation explains the
 * protocol and the interleavings it is built for.
 */
public final class BlockingPool {

    /** A unit of blocking work. Whatever it throws is caught and passed to the listener. */
    @FunctionalInterface
    public interface Job {
        void run();
    }

    /**
     * Told on the pool thread, outside the pool's lock, after each job it ran returned or
     * threw, and before that thread takes another job. Jobs that {@code shutdownNow} returns
     * never reach it. If it throws, the thread's uncaught-exception handler gets the error and
     * the thread carries on.
     */
    @FunctionalInterface
    public interface Listener {
        /** @param thrown what {@code job.run()} threw, or null if it returned */
        void jobFinished(Job job, Throwable thrown);
    }

    /** What {@link #submit} did with an accepted job. */
    public enum Submitted {
        /** An idle thread was claimed and signalled; it (or a thread that got there first) takes the job. */
        HANDED_TO_IDLE,
        /** No thread was idle and the pool was below its maximum: a new thread was started. */
        STARTED_THREAD,
        /** Every thread was busy (or a new one failed to start): the job waits in the queue. */
        QUEUED
    }

    private enum RunState { RUNNING, SHUTDOWN, STOP }

    /** How a thread's idle wait ended. */
    private enum IdleWait { CLAIMED, SHUT_DOWN, KEEP_ALIVE_EXPIRED }

    /** Everything the lock guards, in one place. */
    private static final class Guarded {
        final ArrayDeque<Job> queue = new ArrayDeque<>();
        /** Counted from the start decision (under the lock) until the exit decision. */
        final List<PoolThread> alive = new ArrayList<>();
        /** Threads that left their loop and may still be finishing; pruned once dead. */
        final List<Thread> exited = new ArrayList<>();
        /** Waiting threads no submit has claimed. */
        int idle;
        /** Claims made by submits and not yet taken up by a waiting thread. */
        int claimed;
        RunState runState = RunState.RUNNING;
        long completed;
    }

    private final int maxThreads;
    private final long keepAliveNanos;
    private final ThreadFactory threadFactory;
    private final Listener listener;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled once per claim; signalled to all on shutdown. */
    private final Condition workOrShutdown = lock.newCondition();
    /** Signalled to all whenever a thread leaves the alive list. */
    private final Condition threadExited = lock.newCondition();
    private final Guarded g = new Guarded();

    /**
     * @param maxThreads     most threads alive at once (at least 1)
     * @param keepAliveNanos how long an idle thread waits for a job before it exits (0: exit as
     *                       soon as the queue is empty)
     * @param threadFactory  makes the pool's threads; called under the pool's lock, so it must
     *                       not call back into the pool
     * @param listener       told after every job the pool ran
     */
    public BlockingPool(int maxThreads, long keepAliveNanos, ThreadFactory threadFactory, Listener listener) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be at least 1: " + maxThreads);
        }
        if (keepAliveNanos < 0) {
            throw new IllegalArgumentException("keepAliveNanos must not be negative: " + keepAliveNanos);
        }
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAliveNanos;
        this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Accepts {@code job}: hands it to an idle thread, else starts a thread if below the
     * maximum, else queues it. An accepted job is run, or returned by {@link #shutdownNow}.
     *
     * @throws RejectedExecutionException after shutdown, or if no thread is alive and a new
     *                                    one could not be started (the job is then not kept)
     */
    public Submitted submit(Job job) {
        Objects.requireNonNull(job, "job");
        lock.lock();
        try {
            if (g.runState != RunState.RUNNING) {
                throw new RejectedExecutionException("blocking pool is shut down; rejected " + job);
            }
            g.queue.addLast(job);
            if (g.idle > 0) {
                g.idle--;
                g.claimed++;
                workOrShutdown.signal();
                return Submitted.HANDED_TO_IDLE;
            }
            if (g.alive.size() < maxThreads) {
                Throwable failure = startThread();
                if (failure == null) {
                    return Submitted.STARTED_THREAD;
                }
                if (g.alive.isEmpty()) {
                    g.queue.removeLast(); // ours: the lock has been held since addLast
                    throw new RejectedExecutionException(
                            "blocking pool could not start a thread and has none alive; rejected " + job, failure);
                }
                // Some alive thread is busy or claimed and will reach the queue (package notes).
            }
            return Submitted.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Starts a thread, under the lock. @return null, or why it could not be started */
    private Throwable startThread() {
        g.exited.removeIf(t -> !t.isAlive());
        PoolThread p = new PoolThread();
        try {
            Thread t = threadFactory.newThread(p);
            if (t == null) {
                return new IllegalStateException("thread factory returned null");
            }
            p.thread = t;
            g.alive.add(p);
            t.start();
            return null;
        } catch (Throwable e) { // OutOfMemoryError "unable to create native thread" included
            g.alive.remove(p);
            return e;
        }
    }

    /**
     * Stops accepting jobs. Queued jobs still run; then every thread exits without waiting
     * out its keep-alive. Idempotent.
     */
    public void shutdown() {
        lock.lock();
        try {
            if (g.runState == RunState.RUNNING) {
                g.runState = RunState.SHUTDOWN;
            }
            workOrShutdown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting jobs, removes every queued job and interrupts the threads running one.
     *
     * @return the jobs that were queued and never started, in submission order; the caller
     *         owns them (the listener is not told about them)
     */
    public List<Job> shutdownNow() {
        lock.lock();
        try {
            g.runState = RunState.STOP;
            List<Job> neverStarted = new ArrayList<>(g.queue);
            g.queue.clear();
            for (PoolThread p : g.alive) {
                if (p.current != null) {
                    p.thread.interrupt();
                }
            }
            workOrShutdown.signalAll();
            return neverStarted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Interrupts the thread running {@code job} (every such thread, if the same job was
     * submitted twice), if it is still running it. The interrupt never reaches a later job.
     *
     * @return true if a thread was interrupted
     */
    public boolean interruptIfRunning(Job job) {
        lock.lock();
        try {
            boolean interrupted = false;
            for (PoolThread p : g.alive) {
                if (p.current == job) {
                    p.thread.interrupt();
                    interrupted = true;
                }
            }
            return interrupted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no pool thread is alive and every thread that exited has terminated. Meant
     * for after a shutdown; before one, threads exit only through their keep-alive.
     *
     * @return false if the timeout elapsed first
     * @throws IllegalStateException if called on one of this pool's threads (it would wait for itself)
     */
    public boolean awaitThreadsExit(long timeout, TimeUnit unit) throws InterruptedException {
        long remaining = unit.toNanos(timeout);
        long deadline = System.nanoTime() + remaining;
        List<Thread> toJoin;
        lock.lock();
        try {
            for (PoolThread p : g.alive) {
                if (p.thread == Thread.currentThread()) {
                    throw new IllegalStateException("a blocking-pool thread cannot wait for its own pool's threads to exit");
                }
            }
            while (!g.alive.isEmpty()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = threadExited.awaitNanos(remaining);
            }
            toJoin = new ArrayList<>(g.exited);
        } finally {
            lock.unlock();
        }
        for (Thread t : toJoin) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
            if (t.isAlive()) {
                return false;
            }
        }
        lock.lock();
        try {
            g.exited.removeIf(t -> !t.isAlive());
        } finally {
            lock.unlock();
        }
        return true;
    }

    /** {@link #awaitThreadsExit} with no timeout. */
    public void join() throws InterruptedException {
        while (!awaitThreadsExit(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
            // Only a timeout returns false, and this one is 292 years.
        }
    }

    /** True once {@link #shutdown} or {@link #shutdownNow} was called. */
    public boolean isShutdown() {
        lock.lock();
        try {
            return g.runState != RunState.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /** Threads alive: started and not yet decided to exit. */
    public int threadsAlive() {
        lock.lock();
        try {
            return g.alive.size();
        } finally {
            lock.unlock();
        }
    }

    /** Threads waiting for a job that no submit has claimed yet. */
    public int idleThreads() {
        lock.lock();
        try {
            return g.idle;
        } finally {
            lock.unlock();
        }
    }

    /** Jobs accepted and not yet taken by a thread. */
    public int queueDepth() {
        lock.lock();
        try {
            return g.queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Jobs that returned or threw (listener told), since the pool was made. */
    public long jobsCompleted() {
        lock.lock();
        try {
            return g.completed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "BlockingPool[" + g.runState + ", threads=" + g.alive.size() + "/" + maxThreads
                    + ", idle=" + g.idle + ", claimed=" + g.claimed + ", queued=" + g.queue.size()
                    + ", completed=" + g.completed + "]";
        } finally {
            lock.unlock();
        }
    }

    /** One pool thread's loop. Its fields are guarded by the pool's lock. */
    private final class PoolThread implements Runnable {
        Thread thread;
        /** The job this thread runs, from taking it until it is counted complete. */
        Job current;

        @Override
        public void run() {
            lock.lock();
            try {
                for (;;) {
                    Job job = g.queue.pollFirst();
                    if (job != null) {
                        runJob(job);
                    } else if (g.runState != RunState.RUNNING
                            || awaitWork() == IdleWait.KEEP_ALIVE_EXPIRED) {
                        return;
                    }
                    // CLAIMED or SHUT_DOWN: back to the queue.
                }
            } finally {
                g.alive.remove(this);
                g.exited.add(thread);
                threadExited.signalAll();
                lock.unlock();
            }
        }

        /** Called and returns with the lock held; runs the job without it. */
        private void runJob(Job job) {
            // Interrupts from the pool are sent under the lock, only while current is set, so
            // this clears whatever a previous job left and never one aimed at this job.
            Thread.interrupted();
            current = job;
            lock.unlock();
            try {
                Throwable thrown = null;
                try {
                    job.run();
                } catch (Throwable e) {
                    thrown = e;
                }
                try {
                    listener.jobFinished(job, thrown);
                } catch (Throwable e) {
                    reportListenerFailure(e);
                }
            } finally {
                lock.lock();
                current = null;
                g.completed++;
            }
        }

        /**
         * Waits, under the lock, for a claim, a shutdown or the end of the keep-alive, in that
         * order of precedence: a claim made before this thread decides to exit is always taken up.
         */
        private IdleWait awaitWork() {
            g.idle++;
            long remaining = keepAliveNanos;
            long deadline = System.nanoTime() + remaining;
            for (;;) {
                if (g.claimed > 0) {
                    g.claimed--; // the submit that claimed moved us from idle already
                    return IdleWait.CLAIMED;
                }
                if (g.runState != RunState.RUNNING) {
                    g.idle--;
                    return IdleWait.SHUT_DOWN;
                }
                if (remaining <= 0) {
                    g.idle--;
                    return IdleWait.KEEP_ALIVE_EXPIRED;
                }
                try {
                    remaining = workOrShutdown.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    // A stray interrupt (the flag is now clear): keep waiting until the deadline.
                    remaining = deadline - System.nanoTime();
                }
            }
        }
    }

    private static void reportListenerFailure(Throwable e) {
        Thread t = Thread.currentThread();
        try {
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
        } catch (Throwable ignored) {
            // A throwing handler must not take the pool thread down.
        }
    }
}
