package dev.spindle.metrics;

/**
 * What a runtime shows through JMX: its {@link RuntimeMetrics} as attributes (runtime-wide
 * figures, per-worker counters summed, and a few per worker), and its task dump as an operation.
 * Each runtime registers one in the platform MBean server as
 * {@code dev.spindle:type=Runtime,name=<name>}, with {@code <name>} its {@code Spindle.name()}
 * (suffixed {@code -2}, {@code -3}, ... if another bean holds that name), from the moment it is
 * built until it terminates; {@code SpindleBuilder.jmx(false)} leaves it out. JConsole and
 * Mission Control show it under {@code dev.spindle}.
 *
 * <p>Each attribute is read from a fresh metrics snapshot, so two attributes read one after the
 * other may be a few operations apart.
 */
public interface SpindleMXBean {
    /** The runtime's name ({@code Spindle.name()}). */
    String getName();

    /** {@code RUNNING}, {@code SHUTDOWN} (accepts no new tasks, still running some) or {@code TERMINATED}. */
    String getState();

    /** Core worker threads. */
    int getWorkers();

    /** Tasks accepted and not finished. */
    long getAliveTasks();

    /** Tasks waiting in the shared injector queue. */
    int getInjectorDepth();

    /** Extra workers running now, started while workers were blocked. */
    int getExtraWorkers();

    /** Threads of the blocking pool alive now. */
    int getBlockingThreads();

    /** Of those, the ones waiting for work. */
    int getIdleBlockingThreads();

    /** Blocking work waiting for a thread. */
    int getBlockingQueueDepth();

    /** Timers scheduled that have neither fired nor been cancelled. */
    long getPendingTimers();

    /** Task polls started, all workers. */
    long getPolls();

    /** Successful steal operations, all workers. */
    long getSteals();

    /** Tasks taken by steals, all workers. */
    long getStolenTasks();

    /** Times workers parked with nothing to do. */
    long getParks();

    /** Times a local queue was full and half of it moved to the injector. */
    long getOverflows();

    /** Polls that ended because the cooperative budget ran out. */
    long getBudgetForcedYields();

    /** Polls reported as stalls. */
    long getStalls();

    /** Task polls started, per worker, by index. */
    long[] getPollsPerWorker();

    /** Tasks queued in each worker's local queue and inbox now, by index. */
    int[] getQueueDepthPerWorker();

    /**
     * The task dump as text ({@code Spindle.dumpTasks()}): running, queued and waiting tasks,
     * read while the runtime runs.
     *
     * @return the dump, formatted like a thread dump
     */
    String dumpTasks();
}
