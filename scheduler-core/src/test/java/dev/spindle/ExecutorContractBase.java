package dev.spindle;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Plumbing for ExecutorService contract tests that run against more than one implementation:
 * each subclass says how to make an executor with a given thread count and thread-name prefix
 * (a Spindle runtime, or the JDK's fixed pool as the peer that shows a test is written against
 * the contract and not against Spindle). Executors made here are shut down after the test, must
 * terminate within the scaled timeout, and their worker threads must end; threads forked here
 * are joined, and what fails on them or inside a task fails the test.
 */
abstract class ExecutorContractBase {
    static final long TIMEOUT_MS = TestSupport.TIMEOUT.toMillis();
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final Map<ExecutorService, List<Thread>> executors = new IdentityHashMap<>();
    private final List<ExecutorService> order = new ArrayList<>();
    private final List<Thread> forked = new ArrayList<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** A started executor with {@code threads} worker threads, each named {@code prefix + n}. */
    abstract ExecutorService newExecutor(int threads, String threadNamePrefix);

    /**
     * Whether the executor starts extra threads while all of its threads block with work queued
     * (Spindle's compensation; the JDK's fixed pool never does). Then work queued behind
     * blocked tasks may run, where a fixed pool leaves it queued.
     */
    boolean compensatesBlockedThreads() {
        return false;
    }

    static ExecutorService spindle(int threads, String prefix) {
        // Tests fail tasks on purpose: keep the default handler's warnings out of the log.
        return RuntimeTestBase.quiet().workers(threads).threadNamePrefix(prefix)
                .uncaughtExceptionHandler((t, e) -> { }).build();
    }

    static ExecutorService jdkFixedPool(int threads, String prefix) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, prefix + n.getAndIncrement());
            t.setUncaughtExceptionHandler((th, e) -> { });
            return t;
        });
        pool.prestartAllCoreThreads(); // so its threads can be found by name from the start
        return pool;
    }

    /** An executor closed after the test; its worker threads are found by their name prefix. */
    final ExecutorService executor(int threads) {
        String prefix = "contract-" + PREFIXES.incrementAndGet() + "-worker-";
        ExecutorService e = newExecutor(threads, prefix);
        List<Thread> workers = liveThreadsNamed(prefix);
        executors.put(e, workers);
        order.add(e);
        assertEquals(threads, workers.size(), "worker threads named " + prefix + "*");
        return e;
    }

    /** The worker threads of an executor made by {@link #executor}. */
    final List<Thread> workerThreads(ExecutorService e) {
        return executors.get(e);
    }

    static List<Thread> liveThreadsNamed(String prefix) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Every worker thread of {@code e} ends within the timeout. */
    final void joinWorkers(ExecutorService e) {
        for (Thread t : workerThreads(e)) {
            TestSupport.join(t);
        }
    }

    /** Starts a thread joined after the test; what it throws fails the test. */
    final Thread fork(String name, Executable body) {
        Thread t = TestSupport.start(name, () -> {
            try {
                body.execute();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        forked.add(t);
        return t;
    }

    /** Records a failure seen on a thread other than the test's (a task, a forked thread). */
    final void failLater(String message) {
        failures.add(new AssertionError(message + " (on " + Thread.currentThread().getName() + ")"));
    }

    /** Waits inside a task, bounded: true if released, false (and a recorded failure) on timeout. */
    final boolean awaitInTask(CountDownLatch latch, String what) throws InterruptedException {
        if (latch.await(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            return true;
        }
        failLater("timed out in a task waiting for " + what);
        return false;
    }

    /** Terminates {@code e} (which must already be shut down) and joins its worker threads. */
    final void awaitTerminated(ExecutorService e) {
        TestSupport.awaitTermination(e);
        joinWorkers(e);
    }

    @AfterEach
    final void closeExecutorsAndJoinThreads() throws InterruptedException {
        for (Thread t : forked) {
            TestSupport.join(t);
        }
        for (ExecutorService e : order) {
            e.shutdown();
            if (!e.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                String dump = TestSupport.threadDump();
                e.shutdownNow();
                fail("executor did not terminate after the test: " + e + "\n" + dump);
            }
            joinWorkers(e);
        }
        Throwable first = failures.poll();
        if (first != null) {
            AssertionError e = new AssertionError("failure on another thread", first);
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
