package dev.eventual;

import dev.eventual.internal.ExecutorLifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinPool.ForkJoinWorkerThreadFactory;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on a pool of at most {@code maxWorkers} threads: Python's {@code
 * concurrent.futures.ThreadPoolExecutor}, built on the JDK's {@link ForkJoinPool} (the engine of
 * {@code CompletableFuture.supplyAsync}).
 *
 * <pre>{@code
 * try (ThreadPoolFutureExecutor pool =
 *     ThreadPoolFutureExecutor.builder().maxWorkers(8).threadNamePrefix("fetch").build()) {
 *   ConcurrentFuture<String> page = pool.submit(() -> download(url));
 * }
 * }</pre>
 *
 * <h2>Workers</h2>
 *
 * <ul>
 *   <li><b>How many.</b> At most {@code maxWorkers} (the JDK pool's parallelism and its maximum
 *       size, so a task that blocks gets no compensating thread); by default {@code min(32,
 *       availableProcessors + 4)}, CPython's default. Threads start on demand. {@code maxWorkers}
 *       is at most {@value #MAX_WORKERS}, the JDK pool's limit (CPython has none).
 *   <li><b>Reuse before growth.</b> CPython reuses an idle worker before it starts a new one (its
 *       {@code _idle_semaphore}). So does the JDK pool: a submission wakes a parked worker if there
 *       is one, and starts a thread (up to {@code maxWorkers}) only when none is parked. A worker
 *       that has just finished a task and is still looking for the next one is not parked yet
 *       (CPython counts it idle as soon as its task ends), so a submission in that instant may
 *       start a thread where CPython would not.
 *   <li><b>Order.</b> Tasks submitted from one thread start in submission order (each submitting
 *       thread has its own FIFO queue in the JDK pool, and tasks submitted by the executor's own
 *       tasks go to their worker's FIFO queue). CPython has one queue for every submitter: tasks
 *       submitted concurrently from different threads start here in no promised order relative to
 *       each other, as they do in CPython (the order of two concurrent puts is a race there too).
 *   <li><b>Names.</b> {@code prefix_N}, as CPython: the prefix is given to the builder or is {@code
 *       ThreadPoolFutureExecutor-K} (K counts executors from 0), and N counts the threads of this
 *       executor from 0.
 *   <li><b>Daemon and idle timeout.</b> Workers are not daemon threads, so a program that ends its
 *       {@code main} without closing the executor still runs every task it submitted (CPython joins
 *       its workers at exit). Once no task is left, parked workers end after {@link
 *       Builder#idleTimeout(Duration)} (1 second by default; the JDK pool waits at least about 20
 *       milliseconds, and ends them one per timeout), so such a program then exits instead of
 *       hanging forever; CPython's workers never time out. A worker started later runs the
 *       initializer again. An executor that becomes unreachable is not shut down (CPython's weakref
 *       callback does that), but its workers end all the same once idle. A worker inherits the
 *       inheritable thread locals of the thread whose submission started it (the JDK pool's worker
 *       threads do on JDK 17).
 *   <li><b>Initializer.</b> Runs once in each worker thread when it starts, before its first task.
 *       If it throws, the exception is logged (logger {@code
 *       dev.eventual.ThreadPoolFutureExecutor}) and the executor is broken, as CPython's {@code
 *       _initializer_failed}: every queued future fails with {@link BrokenExecutorException}
 *       (cause: the initializer's exception), no task starts any more, every later {@code submit}
 *       throws {@link BrokenExecutorException}, and the idle workers end. Tasks already running
 *       finish.
 *   <li><b>A thread that cannot start.</b> If the worker a submit needs cannot start ({@code
 *       Thread.start} throws {@link OutOfMemoryError} at the operating system's limit), the submit
 *       throws that error and its task is not accepted: it never runs and is not counted. The
 *       executor stays usable. CPython's {@code submit} raises too, but leaves the work item
 *       queued, to run on another worker.
 *   <li><b>Interrupts.</b> No task starts interrupted (as on the JDK's {@code ThreadPoolExecutor}):
 *       an interrupt left over from the task before, or sent to the worker between tasks, is
 *       cleared.
 * </ul>
 */
public final class ThreadPoolFutureExecutor implements FutureExecutor {
  private static final System.Logger LOG =
      System.getLogger(ThreadPoolFutureExecutor.class.getName());
  private static final AtomicInteger EXECUTORS = new AtomicInteger();
  private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(1);
  static final String BROKEN = "A thread initializer failed, the thread pool is not usable anymore";

  private static final int TAKEN_BACK = 1;
  private static final int CLAIMED = 2;
  private static final java.lang.invoke.VarHandle CLAIM;

  static {
    try {
      CLAIM =
          java.lang.invoke.MethodHandles.lookup().findVarHandle(PoolTask.class, "claim", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The most workers an executor may have: the JDK pool's limit on its parallelism. */
  public static final int MAX_WORKERS = 0x7fff;

  private final int maxWorkers;
  private final String threadNamePrefix;
  private final Runnable initializer;

  /** Numbers the worker threads' names. */
  private final AtomicInteger threads = new AtomicInteger();

  /** Workers started and not ended, and the most there ever were. */
  private final AtomicInteger liveWorkers = new AtomicInteger();

  private final AtomicInteger largestWorkers = new AtomicInteger();

  /**
   * Set when a worker could not be made or started, cleared when one starts. While it is set and no
   * worker lives, each submit asks the JDK pool for a thread again ({@link #requeueForAStart}): the
   * JDK pool itself asks only when a task arrives in an empty queue, so a task left queued by the
   * failed start would keep every later submission of its queue from asking.
   */
  private volatile boolean startFailed;

  /**
   * Tasks accepted whose call has not ended (nor will: cancelled before they ran, or failed as
   * broken). {@code shutdown(wait=true)} needs to wait only while this is positive. A call that
   * ended is counted out before its future's callbacks run, so a task resumed by such a callback
   * sees it. Submitters and workers count on separate lines (see the class).
   */
  private final UnfinishedTaskCount unfinishedTasks = new UnfinishedTaskCount();

  private final Pool pool;

  /**
   * The shutdown and broken flags, refusals and the wait of {@code shutdown(wait=true)}, shared
   * with the other executors. Submissions do not take its lock: they queue first and look again
   * afterwards (see {@link #submit}).
   */
  private final ExecutorLifecycle lifecycle =
      new ExecutorLifecycle(
          new ExecutorLifecycle.Host() {
            @Override
            public void awaitTermination() throws InterruptedException {
              while (!pool.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
                // keep waiting
              }
            }

            @Override
            public boolean currentThreadIsOurs() {
              Thread me = Thread.currentThread();
              return me instanceof Worker
                  && ((Worker) me).executor() == ThreadPoolFutureExecutor.this;
            }
          });

  /**
   * Creates an executor with the default number of workers, {@code min(32, availableProcessors +
   * 4)}.
   */
  public ThreadPoolFutureExecutor() {
    this(builder());
  }

  /**
   * Creates an executor with at most {@code maxWorkers} threads.
   *
   * @param maxWorkers the most threads, from 1 to {@value #MAX_WORKERS}
   * @throws IllegalArgumentException if {@code maxWorkers} is 0, negative, or above {@value
   *     #MAX_WORKERS}
   */
  public ThreadPoolFutureExecutor(int maxWorkers) {
    this(builder().maxWorkers(maxWorkers));
  }

  private ThreadPoolFutureExecutor(Builder b) {
    this.maxWorkers = b.maxWorkers;
    this.threadNamePrefix =
        b.threadNamePrefix.isEmpty()
            ? "ThreadPoolFutureExecutor-" + EXECUTORS.getAndIncrement()
            : b.threadNamePrefix;
    this.initializer = b.initializer;
    ForkJoinWorkerThreadFactory factory = b.threadFactory != null ? b.threadFactory : Worker::new;
    this.pool =
        new Pool(
            Timeouts.toNanos(b.idleTimeout, "idleTimeout"),
            p -> {
              try {
                ForkJoinWorkerThread t = factory.newThread(p);
                if (t == null) {
                  startFailed = true; // the JDK pool goes on without it
                }
                return t;
              } catch (RuntimeException | Error e) {
                startFailed = true;
                throw e;
              }
            });
  }

  /**
   * Returns a builder for an executor with more options than the constructors take.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the most threads this executor runs at once.
   *
   * @return {@code maxWorkers}
   */
  public int maxWorkers() {
    return maxWorkers;
  }

  /**
   * {@inheritDoc}
   *
   * @throws BrokenExecutorException if a worker initializer failed
   */
  @Override
  public <V> ConcurrentFuture<V> submit(Callable<V> task) {
    Objects.requireNonNull(task, "task must not be null");
    lifecycle.checkAccepting();
    PoolTask<V> f = new PoolTask<>(task);
    unfinishedTasks.accepted();
    try {
      if (startFailed && liveWorkers.get() == 0) {
        requeueForAStart();
      }
      pool.execute(new Job(f));
    } catch (RuntimeException | Error e) {
      refuseOrKeep(f, e);
    }
    // Queued without a lock, so look again, as ThreadPoolExecutor.execute does: a shutdown or a
    // breaking initializer that began meanwhile may have drained the queue, or let the last worker
    // exit, just before the task arrived. If no worker has started the task, take it back and
    // refuse it (BrokenExecutorException if broken; its stale entry is skipped where it is
    // polled); if a worker (or the drain) took it, it runs, is cancelled, or is failed as broken,
    // as usual. Whoever drained the queue without it did so after the flag was set, so this read
    // sees it.
    if (lifecycle.isClosedForSubmits()) {
      if (f.takeBack()) {
        unfinishedTasks.refused();
        throw lifecycle.refusal(null);
      }
      if (lifecycle.cancelRequested()) {
        f.cancelAndNotify();
      }
    }
    return f;
  }

  /**
   * After {@code execute} threw: the JDK pool refused the task (shut down meanwhile), or could not
   * make or start the worker it asked for (after it queued the task, or, in {@link
   * #requeueForAStart}, before). If no worker has run the task, the submit is refused: with the
   * error, or, if a shutdown or a breaking initializer settled the task meanwhile, with the
   * lifecycle's refusal (that came first). If a worker ran it, it is accepted and the error, which
   * the submitter will not see, is logged.
   */
  private void refuseOrKeep(PoolTask<?> f, Throwable e) {
    if (!(e instanceof RejectedExecutionException)) {
      startFailed = true;
    }
    if (f.takeBack()) { // its stale entry is skipped where it is polled
      unfinishedTasks.refused();
      if (e instanceof RejectedExecutionException && lifecycle.isClosedForSubmits()) {
        throw lifecycle.refusal(null);
      }
      throwUnchecked(e);
    }
    if (f.isDone() && !f.wasStarted()) { // settled by a drain, never ran (the drain counted it out)
      throw lifecycle.refusal(null);
    }
    LOG.log(System.Logger.Level.ERROR, "Could not start a worker of " + this + ":", e);
  }

  private static void throwUnchecked(Throwable e) {
    if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    }
    throw (Error) e;
  }

  /**
   * Makes the JDK pool ask for a thread again, as a submit would if no worker lived: a failed start
   * left tasks queued with no worker, and the JDK pool asks only for a task that arrives in an
   * empty queue. Takes every queued task out and queues it again, oldest first; the first one asks.
   * If that start fails too, the tasks stay queued (they were accepted) and the error is thrown,
   * before the submit's own task is queued: the submit is refused, as when its own start fails.
   * Under the lifecycle's lock, so that no shutdown or breakage drains the queue meanwhile (it
   * would miss the tasks held here); does nothing once either has begun.
   */
  private void requeueForAStart() {
    Throwable failed = null;
    synchronized (lifecycle.lock()) {
      if (lifecycle.isClosedForSubmits()) {
        return;
      }
      List<ForkJoinTask<?>> queued = new ArrayList<>();
      pool.drainQueued(queued);
      for (ForkJoinTask<?> t : queued) {
        if (((Job) t).task.hasStartedOrSettled()) {
          continue; // a task taken back by its refused submit
        }
        try {
          pool.execute(t);
        } catch (RuntimeException | Error e) {
          if (failed == null) {
            failed = e; // queued all the same; it is the start that failed
          }
        }
      }
    }
    if (failed != null) {
      throwUnchecked(failed);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>CPython's {@code thread.py}: marks the executor shut down, with {@code cancelFutures} takes
   * every queued work item off the queue and cancels its future, then lets the workers end once the
   * queue is empty; with {@code wait} joins them. Here the queued tasks are drained from the JDK
   * pool's queues and cancelled and notified (see {@link FutureExecutor#shutdown(boolean,
   * boolean)}), the JDK pool is shut down, and {@code wait} awaits its termination.
   *
   * @throws IllegalStateException if {@code wait} is true, a task had not finished, and the caller
   *     is one of this executor's workers (running a task, or a callback of a future a task
   *     completed), which would wait for itself forever (CPython: "cannot join current thread"), or
   *     may not block ({@link BlockingGuard}); the executor is shut down all the same. An idle
   *     executor's shutdown never throws this
   */
  @Override
  public void shutdown(boolean wait, boolean cancelFutures) {
    List<ForkJoinTask<?>> drained = new ArrayList<>();
    boolean unfinished;
    synchronized (lifecycle.lock()) {
      lifecycle.markShutdown(cancelFutures);
      if (cancelFutures) {
        pool.drainQueued(drained);
      }
      // Counted, not guessed from the workers: a task whose call has returned is over, even while
      // its worker still runs the future's callbacks (which may have resumed the caller). One of
      // our own workers (in a task or a callback) would still wait for itself to end.
      Thread me = Thread.currentThread();
      unfinished =
          unfinishedTasks.sum() > 0 || (me instanceof Worker && ((Worker) me).executor() == this);
      pool.shutdown();
    }
    for (ForkJoinTask<?> t : drained) {
      ((Job) t).task.cancelAndNotify();
    }
    if (wait) {
      lifecycle.awaitTermination(this, unfinished);
    }
  }

  /** {@inheritDoc} */
  @Override
  public boolean isShutdown() {
    return lifecycle.isShutdown();
  }

  /** The current number of worker threads. */
  int workerCount() {
    return pool.getPoolSize();
  }

  /** The most worker threads there ever were at once. */
  int largestWorkerCount() {
    return largestWorkers.get();
  }

  /** Workers parked waiting for a task right now. */
  int idleWorkerCount() {
    return Math.max(0, pool.getPoolSize() - pool.getActiveThreadCount());
  }

  /** Whether a worker initializer failed. */
  boolean isBroken() {
    return lifecycle.isBroken();
  }

  /** Tasks accepted whose call has not ended (nor will); never negative. */
  long unfinishedTaskCount() {
    return unfinishedTasks.sum();
  }

  /**
   * Does on the calling thread what a newly started worker does with a queued task: runs the
   * initializer (which may break the executor), then the task, or fails it as broken. Entries of
   * tasks taken back by a refused submit are skipped. A seam for the stress module's model
   * checking, whose scheduler runs only its own threads: built with a {@link Builder#threadFactory}
   * that starts none, the executor queues every task, and the checker's threads play the workers
   * with this.
   *
   * @return false if no task was queued
   */
  boolean runQueuedTaskAsNewWorker() {
    for (; ; ) {
      ForkJoinTask<?> t;
      // Under the lock, as requeueForAStart works: it holds every queued task for a moment, and a
      // worker step that polled then would find none where the model has some. A real worker that
      // polls then is signalled again when the tasks are queued back.
      synchronized (lifecycle.lock()) {
        t = pool.pollQueued();
      }
      if (t == null) {
        return false;
      }
      PoolTask<?> task = ((Job) t).task;
      if (!task.claimForSeam() || task.hasStartedOrSettled()) {
        continue; // taken back by its refused submit
      }
      if (initializer != null) {
        runInitializer();
      }
      runOrFailAsBroken(task);
      return true;
    }
  }

  /** What a worker does with a task: runs it, or fails it if the executor broke. */
  private void runOrFailAsBroken(PoolTask<?> task) {
    if (lifecycle.isBroken()) {
      failAsBroken(task);
    } else {
      task.run();
    }
  }

  /**
   * Describes the executor.
   *
   * @return for example {@code ThreadPoolFutureExecutor[fetch, maxWorkers=8, workers=3, queued=0]}
   *     (queued counts the JDK pool's entries, which may include tasks taken back by a refused
   *     submit until a worker skips them)
   */
  @Override
  public String toString() {
    return "ThreadPoolFutureExecutor["
        + threadNamePrefix
        + ", maxWorkers="
        + maxWorkers
        + ", workers="
        + pool.getPoolSize()
        + ", queued="
        + (pool.getQueuedSubmissionCount() + pool.getQueuedTaskCount())
        + (lifecycle.isBroken() ? ", broken" : lifecycle.isShutdown() ? ", shut down" : "")
        + "]";
  }

  private void runInitializer() {
    try {
      initializer.run();
    } catch (Throwable e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "Exception in initializer of " + Thread.currentThread().getName() + ":",
          e);
      initializerFailed(e);
    }
  }

  /** CPython's {@code _initializer_failed}: break, and fail every queued future. */
  private void initializerFailed(Throwable cause) {
    List<ForkJoinTask<?>> drained = new ArrayList<>();
    synchronized (lifecycle.lock()) {
      lifecycle.markBroken(BROKEN, cause);
      pool.drainQueued(drained);
    }
    for (ForkJoinTask<?> t : drained) {
      failAsBroken(((Job) t).task);
    }
    pool.shutdown(); // lets the idle workers go; running tasks finish
  }

  /** Fails a task that will never run because the executor broke; it no longer counts. */
  private void failAsBroken(TaskFuture<?> task) {
    if (task.trySetException(lifecycle.broken())) {
      unfinishedTasks.endedElsewhere();
    }
  }

  /** A task of this executor: counted in {@link #unfinishedTasks} until its call ends. */
  private final class PoolTask<V> extends TaskFuture<V> {
    /**
     * 0, then TAKEN_BACK by a refused submit or CLAIMED by {@link #runQueuedTaskAsNewWorker}, which
     * decides before its initializer runs that the task is its own. The JDK pool's workers do not
     * claim (their start is the future's own state change, which a take-back also needs).
     */
    @SuppressWarnings("unused") // accessed through CLAIM
    private volatile int claim;

    /**
     * Room, not data: with these a task (this object and its {@link Job}) takes 72 bytes, more than
     * a cache line, so two workers that take neighbouring tasks from one queue rarely write the
     * same line. In {@code TinyTasksBenchmark} (2026-12-07, 3 forks each) the executor ran at
     * 1.13-1.41x a raw {@code ForkJoinPool.submit} on JDK 25 with 56-byte tasks (the size of {@code
     * supplyAsync}'s two objects), and at 0.84-0.94x with 72; on JDK 17 at 1.28x and 1.17x {@code
     * supplyAsync}.
     */
    @SuppressWarnings("unused")
    private Object spacer;

    @SuppressWarnings("unused")
    private int spacer2;

    ThreadPoolFutureExecutor executor() {
      return ThreadPoolFutureExecutor.this;
    }

    /** Takes the task back for a refused submit: see {@link ConcurrentFuture#takeBackUnseen}. */
    boolean takeBack() {
      return CLAIM.compareAndSet(this, 0, TAKEN_BACK) && takeBackUnseen();
    }

    boolean claimForSeam() {
      return CLAIM.compareAndSet(this, 0, CLAIMED);
    }

    PoolTask(Callable<? extends V> callable) {
      super(callable);
    }

    @Override
    void callEnded() {
      Thread me = Thread.currentThread();
      if (me instanceof Worker && ((Worker) me).executor() == ThreadPoolFutureExecutor.this) {
        ((Worker) me).taskCount.callEnded();
      } else {
        unfinishedTasks.endedElsewhere(); // the model checker's threads, through the seam
      }
    }

    @Override
    void endedWithoutRunning() {
      unfinishedTasks.endedElsewhere();
    }
  }

  /**
   * A task as the JDK pool queues it. The future cannot be a {@link ForkJoinTask} itself (it is a
   * {@link ConcurrentFuture}), so this is the one object each task adds, as {@code
   * CompletableFuture.supplyAsync} adds its {@code AsyncSupply}. Its {@code exec()} returns false:
   * nobody joins this ForkJoinTask, the future is the task's outcome.
   */
  private static final class Job extends ForkJoinTask<Void> {
    private static final long serialVersionUID = 1L;
    final transient PoolTask<?> task;

    /** Room, not data: see the spacer of {@code PoolTask}. */
    @SuppressWarnings("unused")
    private transient Object spacer;

    Job(PoolTask<?> task) {
      this.task = task;
    }

    @Override
    public Void getRawResult() {
      return null;
    }

    @Override
    protected void setRawResult(Void value) {}

    @Override
    protected boolean exec() {
      Thread.interrupted(); // no task starts interrupted, as on ThreadPoolExecutor
      try {
        task.executor().runOrFailAsBroken(task);
      } catch (Throwable fatal) {
        // A fatal error from a callback of the completion (dev.eventual.internal.FatalErrors): the
        // JDK pool would keep it in this ForkJoinTask, which nobody reads. The worker's handler
        // gets it, as a dying ThreadPoolExecutor worker's would.
        Thread me = Thread.currentThread();
        me.getUncaughtExceptionHandler().uncaughtException(me, fatal);
      }
      return false;
    }
  }

  /** The JDK pool: {@code maxWorkers} threads at most, none more for blocked ones. */
  private final class Pool extends ForkJoinPool {
    Pool(long idleNanos, ForkJoinWorkerThreadFactory factory) {
      super(
          maxWorkers,
          factory,
          null,
          true, // FIFO: tasks that tasks submit start oldest first too
          0,
          maxWorkers,
          1,
          p -> true, // a blocked worker gets no replacement beyond maxWorkers; it just waits
          idleNanos,
          TimeUnit.NANOSECONDS);
    }

    void drainQueued(List<ForkJoinTask<?>> to) {
      drainTasksTo(to);
    }

    ForkJoinTask<?> pollQueued() {
      return pollSubmission();
    }
  }

  /** A worker: not a daemon, named {@code prefix_N}, runs the initializer when it starts. */
  private final class Worker extends ForkJoinWorkerThread {
    /** The calls this worker ended, from its start ({@link UnfinishedTaskCount}). */
    UnfinishedTaskCount.Slot taskCount;

    Worker(ForkJoinPool pool) {
      super(pool);
      setName(threadNamePrefix + "_" + threads.getAndIncrement());
      setDaemon(false);
      setPriority(Thread.NORM_PRIORITY);
    }

    ThreadPoolFutureExecutor executor() {
      return ThreadPoolFutureExecutor.this;
    }

    @Override
    protected void onStart() {
      super.onStart();
      taskCount = unfinishedTasks.register();
      int now = liveWorkers.incrementAndGet();
      largestWorkers.accumulateAndGet(now, Math::max);
      startFailed = false; // a live worker finds every queued task
      if (initializer != null && !lifecycle.isBroken()) {
        runInitializer();
      }
    }

    @Override
    protected void onTermination(Throwable exception) {
      if (taskCount != null) {
        unfinishedTasks.release(taskCount);
      }
      liveWorkers.decrementAndGet();
      super.onTermination(exception);
    }
  }

  /** Options for a {@link ThreadPoolFutureExecutor}. Not thread-safe. */
  public static final class Builder {
    private int maxWorkers = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
    private String threadNamePrefix = "";
    private Runnable initializer;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private ForkJoinWorkerThreadFactory threadFactory;

    private Builder() {}

    /**
     * Replaces the factory of the JDK pool's threads (by default, named non-daemon workers that run
     * the initializer). Package-private, a seam for the stress module's model checking: a factory
     * that returns null (the JDK pool then goes on with fewer threads) leaves every task queued for
     * {@link ThreadPoolFutureExecutor#runQueuedTaskAsNewWorker}, and one that throws {@link
     * OutOfMemoryError} is a thread that cannot start.
     *
     * @param threadFactory the factory, or null for the default
     * @return this builder
     */
    Builder threadFactory(ForkJoinWorkerThreadFactory threadFactory) {
      this.threadFactory = threadFactory;
      return this;
    }

    /**
     * Sets the most threads (CPython's {@code max_workers}).
     *
     * @param maxWorkers from 1 to {@value ThreadPoolFutureExecutor#MAX_WORKERS}; default {@code
     *     min(32, availableProcessors + 4)}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxWorkers} is 0, negative, or above {@value
     *     ThreadPoolFutureExecutor#MAX_WORKERS}; the builder is unchanged
     */
    public Builder maxWorkers(int maxWorkers) {
      if (maxWorkers <= 0) {
        throw new IllegalArgumentException("maxWorkers must be greater than 0");
      }
      if (maxWorkers > MAX_WORKERS) {
        throw new IllegalArgumentException(
            "maxWorkers must be at most " + MAX_WORKERS + " (the JDK pool's limit): " + maxWorkers);
      }
      this.maxWorkers = maxWorkers;
      return this;
    }

    /**
     * Sets the prefix of the worker threads' names (CPython's {@code thread_name_prefix}): they are
     * called {@code prefix_0}, {@code prefix_1}, ...
     *
     * @param threadNamePrefix the prefix; empty for the default {@code ThreadPoolFutureExecutor-K}
     * @return this builder
     * @throws NullPointerException if {@code threadNamePrefix} is null
     */
    public Builder threadNamePrefix(String threadNamePrefix) {
      this.threadNamePrefix =
          Objects.requireNonNull(threadNamePrefix, "threadNamePrefix must not be null");
      return this;
    }

    /**
     * Sets a call to run once in each worker thread before its first task (CPython's {@code
     * initializer}; bind {@code initargs} with a lambda). If it throws, the executor is broken (see
     * the class documentation).
     *
     * @param initializer the call
     * @return this builder
     * @throws NullPointerException if {@code initializer} is null
     */
    public Builder initializer(Runnable initializer) {
      this.initializer = Objects.requireNonNull(initializer, "initializer must not be null");
      return this;
    }

    /**
     * Sets how long a worker waits for a task before it ends (not in CPython, whose workers live
     * until shutdown). A worker started later runs the initializer again.
     *
     * @param idleTimeout positive; default 1 second
     * @return this builder
     * @throws NullPointerException if {@code idleTimeout} is null
     * @throws IllegalArgumentException if {@code idleTimeout} is zero or negative
     */
    public Builder idleTimeout(Duration idleTimeout) {
      Objects.requireNonNull(idleTimeout, "idleTimeout must not be null");
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException(
            "idleTimeout must be positive: " + Timeouts.describe(idleTimeout));
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /**
     * Creates the executor. No thread starts before the first task.
     *
     * @return a new executor
     */
    public ThreadPoolFutureExecutor build() {
      return new ThreadPoolFutureExecutor(this);
    }
  }
}
