package dev.eventual;

import dev.eventual.internal.ExecutorLifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs tasks on a pool of at most {@code maxWorkers} threads: Python's {@code
 * concurrent.futures.ThreadPoolExecutor}, built on the JDK's {@link ThreadPoolExecutor}.
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
 *   <li><b>How many.</b> At most {@code maxWorkers}; by default {@code min(32, availableProcessors
 *       + 4)}, CPython's default. Threads start on demand.
 *   <li><b>Reuse before growth.</b> CPython reuses an idle worker before it starts a new one (its
 *       {@code _idle_semaphore}). The JDK pool would start a new thread for every task below its
 *       core size, so this one has a core size of 1 and a work queue ({@link LinkedTransferQueue})
 *       that takes a task from the JDK pool only by handing it straight to a worker waiting for
 *       one; when no worker waits, it refuses, which makes the JDK pool start a thread, up to
 *       {@code maxWorkers}. Finding the idle worker and handing it the task are one atomic step, so
 *       two simultaneous submissions never both count on the same idle worker. A worker that has
 *       just finished a task and is on its way back to the queue is not idle yet (CPython counts it
 *       idle as soon as its task ends), so a submission in that instant may start a thread where
 *       CPython would not. Tasks beyond {@code maxWorkers} wait in the queue, unbounded, and start
 *       in submission order.
 *   <li><b>Names.</b> {@code prefix_N}, as CPython: the prefix is given to the builder or is {@code
 *       ThreadPoolFutureExecutor-K} (K counts executors from 0), and N counts the threads of this
 *       executor from 0.
 *   <li><b>Daemon and idle timeout.</b> Workers are not daemon threads, so a program that ends its
 *       {@code main} without closing the executor still runs every task it submitted (CPython joins
 *       its workers at exit). Workers idle for {@link Builder#idleTimeout(Duration)} (1 second by
 *       default) end, so such a program then exits instead of hanging forever; CPython's workers
 *       never time out. A worker started later runs the initializer again. An executor that becomes
 *       unreachable is not shut down (CPython's weakref callback does that), but its workers end
 *       all the same once idle.
 *   <li><b>Initializer.</b> Runs once in each worker thread before its first task. If it throws,
 *       the exception is logged (logger {@code dev.eventual.ThreadPoolFutureExecutor}) and the
 *       executor is broken, as CPython's {@code _initializer_failed}: every queued future fails
 *       with {@link BrokenExecutorException} (cause: the initializer's exception), no task starts
 *       any more, every later {@code submit} throws {@link BrokenExecutorException}, and the idle
 *       workers end. Tasks already running finish.
 *   <li><b>A thread that cannot start.</b> If the worker a submit needs cannot start ({@code
 *       Thread.start} throws {@link OutOfMemoryError} at the operating system's limit), the submit
 *       throws that error and its task is not accepted: it never runs and is not counted. The
 *       executor stays usable. CPython's {@code submit} raises too, but leaves the work item
 *       queued, to run on another worker.
 * </ul>
 */
public final class ThreadPoolFutureExecutor implements FutureExecutor {
  private static final System.Logger LOG =
      System.getLogger(ThreadPoolFutureExecutor.class.getName());
  private static final AtomicInteger EXECUTORS = new AtomicInteger();
  private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(1);
  static final String BROKEN = "A thread initializer failed, the thread pool is not usable anymore";

  private final int maxWorkers;
  private final String threadNamePrefix;
  private final Runnable initializer;
  private final AtomicInteger threads = new AtomicInteger();

  /** Workers whose run() has started and not ended. */
  private final AtomicInteger running = new AtomicInteger();

  /**
   * Tasks accepted whose call has not ended (nor will: cancelled before they ran, or failed as
   * broken). {@code shutdown(wait=true)} needs to wait only while this is positive. A call that
   * ended is counted out before its future's callbacks run, so a task resumed by such a callback
   * sees it.
   */
  private final LongAdder unfinishedTasks = new LongAdder();

  private final WorkQueue queue = new WorkQueue();
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
   * @param maxWorkers the most threads, at least 1
   * @throws IllegalArgumentException if {@code maxWorkers} is 0 or negative
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
    this.pool = new Pool(Timeouts.toNanos(b.idleTimeout, "idleTimeout"), b.threadFactory);
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
    TaskFuture<V> f = new PoolTask<>(task);
    unfinishedTasks.increment();
    try {
      enqueue(f);
    } catch (RuntimeException | Error refused) {
      unfinishedTasks.decrement();
      throw refused;
    }
    return f;
  }

  private <V> void enqueue(TaskFuture<V> f) {
    if (running.get() >= maxWorkers) {
      // Every worker exists: queue directly (an idle one takes it from there), as the JDK pool
      // would only after an offer, a failed addWorker and the rejection handler. Not reading the
      // idle count here keeps the submitter off the counter that the workers change as they park.
      queue.force(f);
      startWorkerIfNone(f); // in case the last worker has just timed out
    } else {
      pool.execute(f); // throws the lifecycle's refusal once the JDK pool is shut down
    }
    // Queued without a lock, so look again, as ThreadPoolExecutor.execute does: a shutdown or a
    // breaking initializer that began meanwhile may have drained the queue, or let the last worker
    // exit, just before the task arrived. If the task is still queued, take it back and refuse it
    // (BrokenExecutorException if broken); if a worker (or the drain) took it, it runs, is
    // cancelled, or is failed as broken, as usual. Whoever read the queue empty did so after the
    // flag was set, so this read sees it.
    if (lifecycle.isClosedForSubmits()) {
      if (queue.remove(f)) {
        throw lifecycle.refusal(null);
      }
      if (lifecycle.cancelRequested()) {
        f.cancelAndNotify();
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>CPython's {@code thread.py}: marks the executor shut down, with {@code cancelFutures} takes
   * every queued work item off the queue and cancels its future, then lets the workers end once the
   * queue is empty; with {@code wait} joins them. Here the queued tasks are drained from the JDK
   * pool's queue and cancelled and notified (see {@link FutureExecutor#shutdown(boolean,
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
    List<Runnable> drained = new ArrayList<>();
    boolean unfinished;
    synchronized (lifecycle.lock()) {
      lifecycle.markShutdown(cancelFutures);
      if (cancelFutures) {
        queue.drainTo(drained);
      }
      // Counted, not guessed from the workers: a task whose call has returned is over, even while
      // its worker still runs the future's callbacks (which may have resumed the caller). One of
      // our own workers (in a task or a callback) would still wait for itself to end.
      Thread me = Thread.currentThread();
      unfinished =
          unfinishedTasks.sum() > 0 || (me instanceof Worker && ((Worker) me).executor() == this);
      pool.shutdown();
    }
    for (Runnable r : drained) {
      ((TaskFuture<?>) r).cancelAndNotify();
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
    return pool.getLargestPoolSize();
  }

  /** Workers waiting for a task right now. */
  int idleWorkerCount() {
    return queue.idle();
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
   * Does on the calling thread what a newly started worker does with the oldest queued task: runs
   * the initializer (which may break the executor), then the task, or fails it as broken. A seam
   * for the stress module's model checking, whose scheduler runs only its own threads: built with a
   * {@link Builder#threadFactory} that starts none, the executor queues every task, and the
   * checker's threads play the workers with this.
   *
   * @return false if no task was queued
   */
  boolean runQueuedTaskAsNewWorker() {
    Runnable r = queue.poll();
    if (r == null) {
      return false;
    }
    beforeTask(initializer != null, r);
    r.run();
    return true;
  }

  /** What a worker does before each task: the initializer before its first, the broken check. */
  private void beforeTask(boolean firstOfWorker, Runnable r) {
    if (firstOfWorker) {
      runInitializer();
    }
    if (lifecycle.isBroken()) {
      failAsBroken((TaskFuture<?>) r);
    }
  }

  /**
   * Describes the executor.
   *
   * @return for example {@code ThreadPoolFutureExecutor[fetch, maxWorkers=8, workers=3, queued=0]}
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
        + queue.size()
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

  /**
   * Starts a worker if none is left, after {@code task} was queued. If the thread cannot start
   * ({@code Thread.start} throws {@link OutOfMemoryError} at the operating system's limit) while
   * the task is still queued, the task is taken back and the error thrown: the submit is refused
   * and the task never runs. If a worker (or a shutdown's or a breaking initializer's drain) took
   * the task meanwhile, it is accepted and ends as usual; the error, which the submitter will not
   * see, is logged.
   */
  private void startWorkerIfNone(Runnable task) {
    try {
      pool.prestartCoreThread();
    } catch (RuntimeException | Error e) {
      if (queue.remove(task)) {
        throw e;
      }
      LOG.log(System.Logger.Level.ERROR, "Could not start a worker of " + this + ":", e);
    }
  }

  /** CPython's {@code _initializer_failed}: break, and fail every queued future. */
  private void initializerFailed(Throwable cause) {
    List<Runnable> drained = new ArrayList<>();
    synchronized (lifecycle.lock()) {
      lifecycle.markBroken(BROKEN, cause);
      queue.drainTo(drained);
    }
    for (Runnable r : drained) {
      failAsBroken((TaskFuture<?>) r);
    }
    pool.shutdown(); // lets the idle workers go; running tasks finish
  }

  /** Fails a task that will never run because the executor broke; it no longer counts. */
  private void failAsBroken(TaskFuture<?> task) {
    if (task.trySetException(lifecycle.broken())) {
      unfinishedTasks.decrement();
    }
  }

  /** A task of this executor: counted in {@link #unfinishedTasks} until its call ends. */
  private final class PoolTask<V> extends TaskFuture<V> {
    PoolTask(Callable<? extends V> callable) {
      super(callable);
    }

    @Override
    void callEnded() {
      unfinishedTasks.decrement();
    }

    @Override
    void endedWithoutRunning() {
      unfinishedTasks.decrement();
    }
  }

  /** The JDK pool: one core thread that may time out, growth up to maxWorkers through the queue. */
  private final class Pool extends ThreadPoolExecutor {
    Pool(long idleNanos, ThreadFactory threadFactory) {
      super(
          1,
          maxWorkers,
          idleNanos,
          TimeUnit.NANOSECONDS,
          queue,
          threadFactory != null
              ? threadFactory
              : r -> new Worker(r, threadNamePrefix + "_" + threads.getAndIncrement()),
          (r, p) -> {
            if (p.isShutdown()) {
              throw lifecycle.refusal(null); // BrokenExecutorException if broken
            }
            // Every worker busy and the pool full: queue the task after all.
            queue.force(r);
            startWorkerIfNone(r); // in case the last worker just timed out
          });
      allowCoreThreadTimeOut(true);
    }

    @Override
    protected void beforeExecute(Thread t, Runnable r) {
      boolean first = initializer != null && t instanceof Worker && !((Worker) t).initialized;
      if (first) {
        ((Worker) t).initialized = true;
      }
      beforeTask(first, r);
    }

    /**
     * Runs the queued tasks, oldest first, until the queue is empty, before the worker goes back to
     * the JDK pool: per task one poll of the queue instead of the pool's round (the worker's lock,
     * the pool's state, a timed poll), which costs about as much as a tiny task. Each task starts
     * as the pool would start it: not interrupted (the pool clears a worker's interrupt between
     * tasks unless it is stopping, which this executor's pool never is), and failed instead if the
     * executor broke. Not after a task ended with a throwable: that one goes on to the pool.
     */
    @Override
    protected void afterExecute(Runnable r, Throwable t) {
      if (t != null) {
        return;
      }
      Runnable next;
      while ((next = queue.poll()) != null) {
        Thread.interrupted();
        beforeTask(false, next);
        next.run();
      }
    }
  }

  /** A worker: not a daemon, no inherited thread locals (CPython's contexts aren't either). */
  private final class Worker extends Thread {
    boolean initialized;

    Worker(Runnable r, String name) {
      super(null, r, name, 0, false);
      setDaemon(false);
      setPriority(Thread.NORM_PRIORITY);
    }

    ThreadPoolFutureExecutor executor() {
      return ThreadPoolFutureExecutor.this;
    }

    @Override
    public void run() {
      running.incrementAndGet();
      try {
        super.run();
      } finally {
        running.decrementAndGet();
      }
    }
  }

  /**
   * The pool's queue: a {@link LinkedTransferQueue}, lock-free, in which a worker waiting for a
   * task is itself an entry that a submission completes and unparks. It accepts a task from the JDK
   * pool only by handing it straight to a waiting worker ({@link #tryTransfer}); otherwise it
   * refuses, and the JDK pool starts a thread (or, at {@code maxWorkers}, the rejection handler
   * queues the task with {@link #force}). Handing over and looking for an idle worker are one
   * atomic step, so two submissions can never both pick the same idle worker.
   */
  private static final class WorkQueue extends LinkedTransferQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean offer(Runnable r) {
      return tryTransfer(r);
    }

    boolean force(Runnable r) {
      return super.offer(r);
    }

    /** Workers waiting for a task right now. */
    int idle() {
      return getWaitingConsumerCount();
    }
  }

  /** Options for a {@link ThreadPoolFutureExecutor}. Not thread-safe. */
  public static final class Builder {
    private int maxWorkers = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
    private String threadNamePrefix = "";
    private Runnable initializer;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private ThreadFactory threadFactory;

    private Builder() {}

    /**
     * Replaces the factory of the JDK pool's threads (by default, named non-daemon workers that run
     * the initializer). Package-private, a seam for the stress module's model checking: a factory
     * that returns null ("the request to create a thread is rejected", as {@link ThreadFactory}
     * allows) leaves every task queued for {@link
     * ThreadPoolFutureExecutor#runQueuedTaskAsNewWorker}, and one that throws {@link
     * OutOfMemoryError} is a thread that cannot start.
     *
     * @param threadFactory the factory, or null for the default
     * @return this builder
     */
    Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = threadFactory;
      return this;
    }

    /**
     * Sets the most threads (CPython's {@code max_workers}).
     *
     * @param maxWorkers at least 1; default {@code min(32, availableProcessors + 4)}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxWorkers} is 0 or negative; the builder is
     *     unchanged
     */
    public Builder maxWorkers(int maxWorkers) {
      if (maxWorkers <= 0) {
        throw new IllegalArgumentException("maxWorkers must be greater than 0");
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
