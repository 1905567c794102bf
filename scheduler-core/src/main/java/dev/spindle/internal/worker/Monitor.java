package dev.spindle.internal.worker;

import dev.spindle.internal.jfr.Jfr;
import dev.spindle.metrics.StallReport;
import dev.spindle.time.Clock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The runtime's watcher: one daemon thread that looks at every worker each tick, and touches
 * nothing on the workers' hot paths (it reads their poll counters, the task they poll, and their
 * threads' states).
 *
 * <p>Each tick the monitor
 * <ol>
 *   <li>counts the awake workers that are blocked inside a poll (their thread WAITING or
 *       TIMED_WAITING: a future's {@code get()}, a sleep, a lock; or blocking in place; or
 *       BLOCKED on a monitor lock on two ticks in a row, see {@link #confirm}) and those that
 *       can still run work; when work is queued anywhere and fewer than
 *       the configured number of workers can run it, it wakes a sleeping peer or, with none free,
 *       has {@link ExtraWorkers} wake a spare or start an extra, one per missing worker and up
 *       to {@link #OVERSHOOT} more while tasks are queued for them: the compensation that keeps
 *       {@code future.get()} inside tasks from deadlocking the runtime, and keeps the cores
 *       busy while tasks wait. A worker that is busy computing (its thread is runnable) is not
 *       compensated for: with no worker blocked, more threads than cores would only slow it
 *       down;</li>
 *   <li>reports a stall, a worker whose poll counter has not moved while it is inside one poll
 *       for the stall threshold by the runtime's clock, once per poll, to the builder's hook
 *       (by default {@link StallLog}), with the task, its stack, and whether the thread was
 *       blocked (compensated) or running; a running poll only once it has run, not waited,
 *       for the threshold since the monitor last saw it blocked;</li>
 *   <li>wakes a sleeping peer when a worker that has been inside one poll for a whole tick has
 *       work queued, so the peer steals it.</li>
 * </ol>
 *
 * <p>During a blocking episode it also tells the workers to take one task at a time from the
 * injector and from peers ({@link Scheduler#compensating}), and to take a blocked peer's
 * newest spawns before new work; and when enough threads run but a blocked worker's spawns
 * (what it most likely waits on) sit behind their own queues, it wakes a spare to run just
 * those (a rescue).
 *
 * <p>Current behaviour: the monitor ticks every 1 ms while any worker is awake, every 50 µs
 * (some 100 µs with the kernel's timer slack) for 10 ms after it last saw a worker blocked
 * inside a poll (a blocking episode: the next block is likely soon), every 10 ms while every
 * worker sleeps but timers are pending, and backs off to 100 ms while every worker sleeps and
 * no timer is pending. Between ticks it sleeps, except right after a tick that found no worker
 * free to run queued work and added threads ({@link #starved}): then it yields instead, since a
 * core is idle and the threads just added may block again at once. With many slow calls in a
 * row (a 2 ms remote wait every 50 tasks) each added thread blocks within some 100 µs, sooner
 * than a sleeping monitor adds the next (its tick plus the timer slack and its own wait for a
 * core: some 170 µs in practice), and fewer than one thread ran on average while hundreds of
 * tasks were queued. Yielding whenever a core looked free, as before, cost cf_blocking's shape
 * 0.5-0.6 of a core. It fires expired timers and polls the driver at most every 10 ms (the
 * ticks counted by {@link #ticks}).
 * Help for a blocked worker thus arrives within one tick of its blocking, without anything on
 * the spawn, wake or poll paths.
 */
final class Monitor implements Runnable {
    /**
     * The most threads a tick adds beyond the missing workers, when it adds any. The threads
     * added at one tick run the queued tasks, and those often block too: in cf_blocking's shape
     * (a nested {@code get()} every 10th task, a 2 ms call every 50th) one blocks every few
     * microseconds, while the next tick comes 50-100 µs later. Threads beyond the missing ones
     * keep the cores busy until then. Never more than the tasks queued beyond the missing
     * workers' share ({@link #overshoot}): a thread with nothing to run would only linger (a tick
     * that counted one task queued behind a worker blocked in place once started 4 extras for it).
     */
    static final int OVERSHOOT = 4;

    /** Ticks while workers are awake. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Ticks while a worker was seen blocked inside a poll on the tick before. */
    static final long EPISODE_TICK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** An episode lasts this long after the last worker seen blocked: blocking comes in bursts. */
    private static final long EPISODE_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Ticks stretch up to this while every worker sleeps. */
    private static final long IDLE_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Timers are fired and the driver polled (events seen while every worker is busy) at most
     * this often; also the tick while every worker sleeps and timers are pending.
     */
    private static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Scheduler scheduler;
    private final Clock clock;
    private final long thresholdNanos;
    private final Consumer<StallReport> onStall;
    /** Housekeeping ticks completed (timers fired, workers looked at); monitor thread only. */
    volatile long ticks;
    /** Stalls reported per core worker; written by the monitor thread, read by metrics. */
    private final AtomicLongArray stalls;
    /** Blocked workers with queued work, this tick; monitor thread only. */
    private final ArrayList<Worker> needHelp = new ArrayList<>();
    /** Blocked workers with spawns queued and no rescue on its way, this tick; monitor thread only. */
    private final ArrayList<Worker> rescue = new ArrayList<>();
    /** When a tick last saw a worker blocked inside a poll (System.nanoTime); monitor thread only. */
    private long lastBlocked;
    /** Whether the last tick saw a worker blocked inside a poll; monitor thread only. */
    private boolean episode;
    /** Sleeping longer than a tick (every worker slept): a worker that wakes unparks the monitor. */
    volatile boolean dozing;
    /**
     * Whether the last tick saw a worker contend for a lock for the first time in its poll: the
     * next tick comes after an episode's tick, to confirm it. Monitor thread only.
     */
    private boolean suspect;
    /**
     * Whether the last tick saw workers blocked with work queued and no worker free to run it
     * (every thread blocked or parked), and added threads for them: the monitor then yields
     * between ticks instead of sleeping, since those threads may block again within
     * microseconds and a core is idle anyway. Monitor thread only.
     */
    private boolean starved;

    /** One worker as the monitor last saw it ({@link Worker#watch}); monitor thread only. */
    static final class Watch {
        long polls = -1;
        /** Clock reading when this poll was first seen. */
        long since;
        /**
         * Clock reading since which this poll has been seen running, never blocked: a poll
         * that waited (compensated) most of the threshold and runs again when the threshold
         * passes is not CPU-bound code, and is not reported as running.
         */
        long runningSince;
        boolean reported;
        /**
         * The poll in which the last tick saw this worker contend for a monitor lock, or -1: a
         * second sighting in the same poll on the next tick makes it blocked (see {@link #confirm}).
         */
        long contendedIn = -1;
    }

    /** What {@link #blockage} saw: the thread is not blocked in the poll. */
    static final int RUNS = 0;
    /** Blocked in place, or its thread WAITING or TIMED_WAITING (parked, sleeping, in a wait). */
    static final int WAITS = 1;
    /** Its thread BLOCKED: contending for a monitor lock ({@code synchronized}). */
    static final int CONTENDS = 2;

    Monitor(Scheduler scheduler, Clock clock, long thresholdNanos, Consumer<StallReport> onStall) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.thresholdNanos = thresholdNanos;
        this.onStall = onStall;
        this.stalls = new AtomicLongArray(scheduler.workerCount());
    }

    @Override
    public void run() {
        long sleep = TICK_NANOS;
        long lastHousekeeping = System.nanoTime() - HOUSEKEEPING_NANOS;
        lastBlocked = lastHousekeeping;
        while (scheduler.lifecycle.runState() != Lifecycle.TERMINATED) {
            if (starved) {
                Thread.yield(); // every thread blocked or parked: a core is idle, look again at once
            } else if (sleep > TICK_NANOS) {
                dozing = true;
                LockSupport.parkNanos(this, sleep);
                dozing = false;
            } else {
                LockSupport.parkNanos(this, sleep);
            }
            long now = System.nanoTime();
            // Timers and the driver at the old pace: firing timers wakes the keeper, which must
            // not be made to re-park at the pace of compensation checks.
            boolean housekeeping = now - lastHousekeeping >= HOUSEKEEPING_NANOS;
            if (housekeeping) {
                lastHousekeeping = now;
                scheduler.time.fireExpired(); // a clock that jumps (a manual one) is seen here too
                scheduler.keeper.pollNow(); // events are seen even while every worker is busy
            }
            boolean awake = tick();
            if (housekeeping) {
                ticks++;
            }
            if (episode) {
                lastBlocked = now;
            }
            boolean inEpisode = now - lastBlocked < EPISODE_LINGER_NANOS;
            if (scheduler.compensating != inEpisode) {
                scheduler.compensating = inEpisode;
            }
            if (inEpisode || suspect) {
                sleep = EPISODE_TICK_NANOS;
            } else if (awake) {
                sleep = TICK_NANOS;
            } else if (scheduler.time.pendingTimers() > 0) {
                sleep = HOUSEKEEPING_NANOS; // only timers to fire: the sleeping keeper has them too
            } else {
                sleep = Math.min(IDLE_TICK_NANOS, Math.max(sleep, TICK_NANOS) * 2);
            }
        }
    }

    /** One look at every worker. Returns false if every worker was asleep. */
    boolean tick() {
        long now = clock.nanoTime();
        Worker[] all = scheduler.extras.all();
        boolean awake = false;
        boolean queued = !scheduler.injector.isEmpty();
        int blocked = 0;
        int free = 0; // awake and not blocked in a poll: running, searching, or about to sleep
        boolean stranded = false; // work queued on a worker inside one poll for a whole tick
        suspect = false;
        needHelp.clear();
        rescue.clear();
        for (Worker w : all) {
            Watch watch = w.watch;
            long polls = w.cx.pollsOpaque();
            Object body = w.cx.bodyRacy();
            if (w.sleeping) {
                watch.since = now;
                if (w.helpWanted) {
                    w.helpWanted = false;
                }
                continue;
            }
            awake = true;
            if (w.queues.hasWork()) {
                queued = true;
            }
            boolean inPoll = body != null;
            int seen = blockage(w, polls, body);
            boolean stuck = confirm(watch, seen, polls);
            if (seen == CONTENDS && !stuck) {
                suspect = true;
            }
            boolean wanted = stuck && w.queues.hasWork(); // tasks that nobody else runs now
            if (w.helpWanted != wanted) {
                w.helpWanted = wanted;
            }
            if (stuck) {
                blocked++;
                if (wanted) {
                    needHelp.add(w);
                }
                if (!w.rescuePending && w.queues.hasSpawned()) {
                    rescue.add(w);
                }
            } else if (!w.lingering) {
                free++; // a lingering extra is parked: unparked below if it is needed
            }
            if (polls != watch.polls) {
                watch.polls = polls;
                watch.since = now;
                watch.runningSince = now;
                watch.reported = false;
                continue;
            }
            if (!inPoll) {
                watch.since = now; // between polls: idle, not stuck
                watch.runningSince = now;
                continue;
            }
            // Inside the same poll as last tick.
            stranded |= w.queues.hasWork();
            if (stuck) {
                watch.runningSince = now;
            }
            // Blocked: reported once the poll has lasted the threshold. Running: once it has
            // run (not waited) that long, so a wait that ends just before the threshold does
            // not read as CPU-bound code.
            long stalled = now - (stuck ? watch.since : watch.runningSince);
            if (!w.blockedInPlace && !watch.reported && stalled >= thresholdNanos) {
                watch.reported = true;
                report(w, body, now - watch.since, stuck);
            }
        }
        episode = blocked > 0;
        starved = false;
        if (blocked > 0 && queued) {
            int wanted = scheduler.workerCount() - free;
            if (wanted > 0) {
                wanted += overshoot(all, wanted);
            }
            int missing = wanted;
            for (int i = 0; i < all.length && missing > 0; i++) {
                if (all[i].lingering) {
                    all[i].parker.unpark(); // cheaper than a spare: it is awake and in the list
                    missing--;
                }
            }
            for (int k = 0; missing > 0; missing--, k++) {
                Worker helpFirst = k < needHelp.size() ? needHelp.get(k) : null;
                if (!scheduler.notifyParkedOrSearching() && !scheduler.extras.compensate(helpFirst)) {
                    break;
                }
                rescue.remove(helpFirst); // its helper takes its spawns first
            }
            starved = free == 0 && missing < wanted; // nobody added (at the bound): sleep as usual
            // Enough threads run, but they reach a blocked worker's newest spawns (what it most
            // likely waits on) only after their own queues: a spare runs just those.
            for (Worker w : rescue) {
                w.rescuePending = true;
                if (!scheduler.extras.compensate(w, true, ExtraWorkers.RESCUE)) {
                    w.rescuePending = false;
                    break;
                }
            }
        } else if (stranded) {
            scheduler.notifyParked(); // a busy worker's queue: a sleeping peer may steal it
        }
        return awake;
    }

    /**
     * Threads to add beyond the {@code missing} workers: {@link #OVERSHOOT}, or fewer when fewer
     * tasks are queued beyond the missing workers' share (a racy count of the injector and every
     * worker's queues, read only on a tick that adds threads).
     */
    private int overshoot(Worker[] all, int missing) {
        int queued = scheduler.injector.size();
        for (int i = 0; i < all.length && queued < missing + OVERSHOOT; i++) {
            queued += all[i].queues.queued();
        }
        return Math.max(0, Math.min(OVERSHOOT, queued - missing));
    }

    /** A thread in state {@code s} waits: parked, sleeping, or in {@code Object.wait}. */
    static boolean waits(Thread.State s) {
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /**
     * Whether {@code w}, seen inside a poll of {@code body} (null: between polls) when it had
     * started {@code polls} polls, is blocked there: in place, or its thread waiting (WAITING,
     * TIMED_WAITING or BLOCKED) while still in that same poll. What {@link
     * Scheduler#freeWorkersBesides} counts as not free, in one look; the monitor, which looks
     * every tick, counts BLOCKED only when it lasts ({@link #confirm}).
     *
     * <p>The poll is looked at again after the thread's state. The sighting and the state are
     * separate reads, and on a busy machine the monitor can be descheduled between them while
     * the worker ends that poll, runs out of work and parks (WAITING too). Without the second
     * look that read as a worker blocked in a poll, and started a compensation episode (an
     * extra worker, one-task steals, fast ticks) in workloads that never block.
     */
    static boolean blockedInPoll(Worker w, long polls, Object body) {
        return blockage(w, polls, body) != RUNS;
    }

    /**
     * As {@link #blockedInPoll}, telling a wait ({@link #WAITS}) from contention for a monitor
     * lock ({@link #CONTENDS}); {@link #RUNS} if neither.
     */
    static int blockage(Worker w, long polls, Object body) {
        if (body == null) {
            return RUNS;
        }
        if (w.blockedInPlace) {
            return WAITS;
        }
        Thread.State s = w.thread.getState();
        int seen = waits(s) ? WAITS : s == Thread.State.BLOCKED ? CONTENDS : RUNS;
        if (seen == RUNS || w.cx.pollsOpaque() != polls || w.cx.bodyRacy() != body) {
            return RUNS;
        }
        return seen;
    }

    /**
     * Whether a worker the monitor saw as {@code seen} ({@link #blockage}) inside poll number
     * {@code polls} counts as blocked this tick; {@code watch} is its record, updated here.
     *
     * <p>A wait counts at once. Contention for a monitor lock counts only when the tick before
     * saw it too, in the same poll: the runtime's own locks (the idle set's, an injector
     * stripe's) and those of short critical sections in user code and in the JDK (a class being
     * loaded) are held for microseconds, and a worker caught queued on one was taken for a
     * blocked worker, which started a compensation episode (an extra thread, one-task steals)
     * in workloads that never block. The tick after such a sighting comes after an episode's
     * tick, so a worker that does stay blocked on a lock is helped some 100 µs later than a
     * waiting one.
     */
    static boolean confirm(Watch watch, int seen, long polls) {
        if (seen != CONTENDS) {
            watch.contendedIn = -1;
            return seen == WAITS;
        }
        boolean again = watch.contendedIn == polls;
        watch.contendedIn = polls;
        return again;
    }

    /** Stalls reported so far for core worker {@code index}; any thread. */
    long stalls(int index) {
        return stalls.get(index);
    }

    private void report(Worker w, Object body, long stalledNanos, boolean blocked) {
        if (!w.extra) {
            stalls.incrementAndGet(w.index); // extras are not in the metrics
        }
        StallReport r = new StallReport(w.index, w.thread.getName(), String.valueOf(body),
                Duration.ofNanos(stalledNanos), w.thread.getStackTrace(), blocked);
        Jfr.stall(scheduler.name, r, w.thread, w.thread.getState()); // dev.spindle.Stall, when recorded
        try {
            onStall.accept(r);
        } catch (Throwable ignored) {
            // A throwing hook must not stop the monitor.
        }
    }
}
