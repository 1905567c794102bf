/**
 * The elastic pool behind {@code spawnBlocking}: platform threads for work that blocks, kept
 * apart from the workers so a blocking call never stalls a run queue (Tokio's blocking pool
 * works the same way).
 *
 * <h2>State and who touches it</h2>
 * {@link dev.spindle.internal.blocking.BlockingPool} is not a hot path, so it keeps every
 * decision under one {@code ReentrantLock}; the fields it guards live in one holder class
 * ({@code Guarded}):
 * <pre>
 *   queue      unbounded FIFO of accepted jobs not yet taken by a thread
 *   alive      threads counted from the decision to start them until the decision to exit
 *   idle       threads waiting for work that no submit has claimed
 *   claimed    claims made by submits (one signal each) not yet taken up by a waiting thread
 *   runState   RUNNING, SHUTDOWN (reject, finish the queue), STOP (reject, queue handed back)
 *   completed  jobs that returned or threw
 *   exited     threads that left their loop, kept so awaitThreadsExit can join them
 * </pre>
 * Each thread has a {@code current} job, also guarded by the lock: set when it takes a job from
 * the queue, cleared when the job counts as completed. Jobs leave the queue only by being
 * taken ({@code current} set) or by {@code shutdownNow}, both under the lock, so a job is run
 * or handed back, never both and never neither.
 *
 * <h2>Submitting</h2>
 * A submit appends the job to the queue, then: if {@code idle > 0} it moves one thread from
 * {@code idle} to {@code claimed} and signals the condition once; else, below
 * {@code maxThreads}, it starts a thread (the factory and {@code Thread.start} run under the
 * lock, so a start and its undo are one step: the pool never counts a thread that a failed
 * start left half made); else the job waits in the queue. The call returns which of the three
 * it did. A claim is a count, not an address: whichever waiting thread sees {@code claimed > 0}
 * first takes it up, and the job is simply the head of the shared queue.
 *
 * <h2>A thread's loop</h2>
 * Under the lock: take the head of the queue and run it (clearing the interrupt status, setting
 * {@code current}, releasing the lock for the job and the listener); with the queue empty, exit
 * if the pool is shut down, else wait. Waiting registers as {@code idle}, then loops, checking in
 * this order: a claim (take it and go back to the queue; the submit already moved this thread
 * out of {@code idle}), a shutdown (leave {@code idle}, go back to the queue, which drains it
 * and exits), the end of the keep-alive (leave {@code idle}, exit). So the number of waiting
 * threads is always {@code idle + claimed}, and the loop never waits with jobs in the queue.
 *
 * <h2>The invariant that keeps a job from being stranded</h2>
 * While the queue is not empty and the state is not STOP, {@code claimed > 0} or some alive
 * thread is not waiting (it is starting, running a job, or between jobs), and every such
 * thread looks at the queue under the lock before it waits or exits. Each step keeps it:
 * a submit either claims, or starts a thread, or finds {@code idle == 0} with {@code alive ==
 * maxThreads}, in which case either a claim is outstanding or every thread is outside the wait;
 * a thread waits only after finding the queue empty; a keep-alive exit requires
 * {@code claimed == 0} and removes a waiting thread, which the invariant did not rely on.
 *
 * <h2>Interleavings that look wrong but are safe</h2>
 * <ul>
 *   <li><b>Submit versus keep-alive expiry</b> (the classic one): a thread's wait times out and
 *       it is about to exit, while a submit counts it as idle. Both decisions are taken under
 *       the lock. If the submit comes first, it moves the thread to {@code claimed}; the thread
 *       re-acquires the lock after its timed wait, checks {@code claimed} before its deadline,
 *       and takes the job instead of exiting. If the exit comes first, the thread has left
 *       {@code idle} and {@code alive}, so the submit sees no idle thread and starts a new one
 *       (or queues behind busy ones, which the invariant covers).</li>
 *   <li><b>The signal wakes a different thread from the one that takes the claim</b>:
 *       {@code signal} picks a waiter, but a thread whose wait timed out, or woke spuriously or
 *       by a stray interrupt, may see {@code claimed > 0} first. It takes the claim; the
 *       signalled thread then finds {@code claimed == 0} and waits out the rest of its own
 *       keep-alive. Exactly one waiting thread leaves the wait per claim.</li>
 *   <li><b>A claimed thread finds the queue empty</b>: a busy thread finished first and took
 *       the job from the shared queue. The claimed thread registers as idle again with a fresh
 *       keep-alive. Nothing is lost: the job is running on the other thread.</li>
 *   <li><b>A thread fails to start</b> (the factory returns null or {@code start} throws): the
 *       start is undone under the lock. If another thread is alive, the job stays queued and
 *       the submit returns {@code QUEUED} (the invariant holds as it did before the submit); if
 *       none is, the job is removed (it is the last one, the lock was held throughout) and the
 *       submit throws {@code RejectedExecutionException} with the cause: a job is either
 *       accepted and kept or refused, never accepted and dropped.</li>
 *   <li><b>Submit versus shutdown</b>: both read or write {@code runState} under the lock, so a
 *       job is either rejected or in the queue before the shutdown, and threads leave only
 *       with the queue empty.</li>
 *   <li><b>Shutdown versus idle threads</b>: {@code shutdown} signals every waiter; each takes a
 *       claim or sees the shutdown, goes back to the queue, runs what is left and exits. No
 *       thread waits out its keep-alive once the pool is shut down.</li>
 *   <li><b>shutdownNow versus a thread taking a job</b>: taking the job and setting
 *       {@code current} are one step under the lock, as are draining the queue and
 *       interrupting the threads with a {@code current}. A job is therefore either in the
 *       returned list or running on an interrupted thread (or already finished).</li>
 *   <li><b>Interrupts never leak into the next job</b>: the pool interrupts
 *       ({@code shutdownNow}, {@code interruptIfRunning}) only under the lock and only a thread
 *       whose {@code current} is set; the thread clears its interrupt status under the lock
 *       right before it sets {@code current} to its next job. An interrupt aimed at a job can
 *       land after that job returned (while the listener runs), and is cleared before the next
 *       job starts; one sent by {@code shutdownNow} always comes after the clear, so it is
 *       never lost, and after it the queue is empty, so the interrupted thread runs nothing
 *       else. A stray interrupt while waiting makes {@code awaitNanos} throw (clearing the
 *       flag); the thread keeps waiting until its original deadline. Code outside the pool that
 *       interrupts a pool thread by reference can still hit whatever job runs then:
 *       {@code interruptIfRunning} is the way to interrupt a job.</li>
 *   <li><b>A job throws</b>: the thread catches any {@code Throwable}, passes it to the
 *       listener, and takes the next job. A listener that throws goes to the thread's
 *       uncaught-exception handler; the thread lives on.</li>
 *   <li><b>Joining</b>: a thread leaves {@code alive} under the lock and signals; that is
 *       when the count drops, not when the thread is dead. {@code awaitThreadsExit} therefore
 *       waits for {@code alive} to empty and then joins every exited thread, so a true return
 *       means every thread has terminated. Called on a pool thread it throws, since it would
 *       wait for itself.</li>
 * </ul>
 *
 * <h2>Time</h2>
 * The keep-alive is {@code Condition.awaitNanos} on the real clock, not an injectable clock:
 * the wait must be woken by a submit's signal, which a manual clock cannot stand in for
 * without a second wake-up path that the real pool would not have. Tests therefore only check
 * that threads eventually exit (within the scaled test timeout), and the exit/submit race is
 * exercised with a keep-alive of about a millisecond, never with an assertion on speed.
 */
package dev.spindle.internal.blocking;
