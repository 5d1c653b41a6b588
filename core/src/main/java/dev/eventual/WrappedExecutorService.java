package dev.eventual;

import dev.eventual.internal.ExecutorLifecycle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FutureExecutor} over any JDK {@link ExecutorService}: see {@link
 * FutureExecutor#wrap(ExecutorService)}.
 *
 * <p>Each task is a {@link TaskFuture} handed to {@link ExecutorService#execute}. The adapter keeps
 * the tasks that have not started ({@link UnstartedTasks}), so that {@code
 * shutdown(cancelFutures=true)} can cancel them without touching the service's queue (which may
 * hold other people's tasks): they stay queued and do nothing when the service runs them.
 */
final class WrappedExecutorService implements FutureExecutor {
  private final ExecutorService service;

  /** Tasks submitted and maybe not yet started. */
  private final UnstartedTasks notStarted = new UnstartedTasks();

  /**
   * Tasks submitted whose run() has not returned: what a wait on the common pool waits for. Counted
   * only for the common pool (any other service is awaited through awaitTermination), so that other
   * services' tasks do not share a contended counter.
   */
  private final AtomicLong unfinished = new AtomicLong();

  private final boolean countUnfinished;

  /**
   * Whether the service is a plain ForkJoinPool (not a subclass, whose execute(Runnable) may do
   * more), which takes each task as its own ForkJoinTask.
   */
  private final boolean forkJoin;

  /** The shutdown flag, refusals and the wait of {@code shutdown(wait=true)}, shared. */
  private final ExecutorLifecycle lifecycle =
      new ExecutorLifecycle(
          new ExecutorLifecycle.Host() {
            @Override
            public void awaitTermination() throws InterruptedException {
              awaitServiceTermination();
            }

            @Override
            public boolean currentThreadIsOurs() {
              // A ForkJoinPool's worker knows its pool, so its tasks need no mark of their own. On
              // the common pool this counts any of its workers, even one running someone else's
              // task: such a close is refused while this adapter has unfinished tasks.
              return forkJoin && ForkJoinTask.getPool() == service;
            }
          });

  WrappedExecutorService(ExecutorService service) {
    this.service = service;
    this.countUnfinished = service == ForkJoinPool.commonPool();
    this.forkJoin = service.getClass() == ForkJoinPool.class;
  }

  /**
   * How a task reaches a ForkJoinPool: as {@code CompletableFuture}'s async tasks do, an {@code
   * exec()} that returns false, since nobody joins this ForkJoinTask (its future is the task).
   * {@code execute(Runnable)} would wrap the task in an adapter that then marks itself done with an
   * atomic update that nobody reads.
   *
   * <p>The pool cancels the tasks it drops ({@code shutdownNow()}, whoever calls it): this task
   * then cancels and notifies its future, which no run will ever reach, so that nobody waits on it
   * in vain. A future already RUNNING is left to its run.
   */
  private static final class ForkJoinRun extends ForkJoinTask<Void> {
    private static final long serialVersionUID = 1L;
    private final transient TaskFuture<?> task;

    /**
     * Room, not data: with these a task (its future and this object) takes 72 bytes, more than a
     * cache line, so two workers that take neighbouring tasks from one queue rarely write the same
     * line (as in {@code ThreadPoolFutureExecutor}). In {@code TinyTasksBenchmark} on JDK 17
     * (2026-12-07, same window) the adapter over a 2-thread pool went from 1.91x a raw {@code
     * ForkJoinPool.submit} to 1.35x.
     */
    @SuppressWarnings("unused")
    private transient Object spacer;

    ForkJoinRun(TaskFuture<?> task) {
      this.task = task;
    }

    /**
     * What the pool calls on a task it drops: cancels the future too.
     *
     * @param mayInterruptIfRunning ignored, as {@link ForkJoinTask} does
     * @return whether this {@code ForkJoinTask} is cancelled
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      task.cancelAndNotify();
      return super.cancel(mayInterruptIfRunning);
    }

    @Override
    public Void getRawResult() {
      return null;
    }

    @Override
    protected void setRawResult(Void value) {}

    @Override
    protected boolean exec() {
      // A ForkJoinPool, unlike ThreadPoolExecutor, does not clear a worker's interrupt between
      // tasks: an interrupt the task gave itself (or got while it ran) must not reach the next one.
      boolean interruptedBefore = Thread.currentThread().isInterrupted();
      try {
        task.run(); // a TaskFuture keeps the task's exception
      } finally {
        if (!interruptedBefore) {
          Thread.interrupted();
        }
      }
      return false;
    }
  }

  /** A task that tells the adapter when it starts and ends. */
  private final class Tracked<V> extends TaskFuture<V> {
    /** Room, not data: see {@link ForkJoinRun}. */
    @SuppressWarnings("unused")
    private Object spacer;

    @SuppressWarnings("unused")
    private int spacer2;

    Tracked(Callable<? extends V> callable) {
      super(callable);
    }

    @Override
    public void run() {
      if (forkJoin) {
        runTracked(); // a ForkJoinPool worker is recognized by its pool (see the lifecycle's host)
        return;
      }
      // The thread works for this adapter while the task and its completion's callbacks run: a
      // shutdown(wait=true) from there would wait for itself (ExecutorLifecycle).
      Object token = lifecycle.beginWork();
      try {
        runTracked();
      } finally {
        lifecycle.endWork(token);
      }
    }

    private void runTracked() {
      boolean owned = true; // a fatal error out of runOnce comes from the completion it owned
      try {
        // false for a second run(), and for a cancelled task (which ends through the method below)
        owned = runOnce();
      } finally {
        if (owned) {
          taskEnded();
        }
      }
    }

    @Override
    void endedWithoutRunning() {
      taskEnded();
    }
  }

  private void taskEnded() {
    if (countUnfinished && unfinished.decrementAndGet() == 0 && lifecycle.isShutdown()) {
      Object lock = lifecycle.lock();
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }

  /** {@inheritDoc} */
  @Override
  public <V> ConcurrentFuture<V> submit(Callable<V> task) {
    Objects.requireNonNull(task, "task must not be null");
    lifecycle.checkAccepting();
    if (countUnfinished) {
      // The common pool never refuses a task, so this adapter orders submit and shutdown itself:
      // count the task, then look at the flag again; shutdown sets the flag, then reads the count.
      // One of the two sees the other: the task is refused here, or the shutdown waits for it.
      unfinished.incrementAndGet();
      if (lifecycle.isShutdown()) {
        taskEnded();
        throw lifecycle.refusal(null);
      }
    }
    Tracked<V> f = new Tracked<>(task);
    notStarted.add(f);
    try {
      if (forkJoin) {
        ForkJoinPool pool = (ForkJoinPool) service;
        pool.execute(new ForkJoinRun(f));
        if (pool.isShutdown() && stoppedWithoutRunning(pool, f)) {
          throw new RejectedExecutionException(
              "the ForkJoinPool stopped before it ran the task (shutdownNow, or its termination"
                  + " raced this submit)");
        }
      } else {
        service.execute(f);
      }
    } catch (RuntimeException | Error e) {
      // Nobody sees this future: cancelled and acknowledged here, it ends and leaves notStarted. If
      // the service ran it all the same, its run owns it and this does nothing.
      f.cancelAndNotify();
      if (e instanceof RejectedExecutionException) {
        // this refusal may have left other submitters' tasks without a worker
        restartStrandedQueue();
      }
      if (lifecycle.isShutdown() && e instanceof RejectedExecutionException) {
        throw lifecycle.refusal(e);
      }
      throw e;
    }
    if (lifecycle.cancelRequested()) {
      // A concurrent shutdown(cancelFutures=true) may have looked at notStarted before the add.
      f.cancelAndNotify();
    }
    return f;
  }

  /**
   * Whether a stopping pool will never run the task just handed to it, which is then cancelled and
   * notified. A submit may pass the pool's shutdown check and push its task after the pool's last
   * sweep of its queues: the JDK pool then terminates with the task queued, and nothing runs or
   * cancels it (seen on JDK 17 in {@code ExecutorShutdownRaceTest}: the pool's {@code toString()}
   * said {@code Terminated, ..., submissions = 1}). Once the pool is stopping ({@code
   * shutdownNow()}, or a {@code shutdown()} that found it quiescent), a task not yet started never
   * runs; one a worker started is left to its run.
   */
  private static boolean stoppedWithoutRunning(ForkJoinPool pool, TaskFuture<?> task) {
    return (pool.isTerminating() || pool.isTerminated()) && task.cancelAndNotify();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Shuts the service down. With {@code wait}, waits until it has terminated; for {@link
   * ForkJoinPool#commonPool()}, which cannot be shut down, until every task of this adapter has
   * finished. A task that the service dropped without running it (someone called its {@code
   * shutdownNow()}) is cancelled and notified: on a plain {@link ForkJoinPool} at once, when the
   * pool cancels it; on any other service once the service has terminated, which this method waits
   * for with {@code wait}. Without {@code wait}, the library's shared poller thread watches a
   * {@link ThreadPoolExecutor} for its end (it looks every few milliseconds). Known gaps: on other
   * services such a task stays pending after {@code shutdown(false, …)}; and if the adapter is
   * never shut down, a task that someone else's {@code shutdownNow()} of a {@link
   * ThreadPoolExecutor} dropped stays pending, as the JDK's own {@code FutureTask} does (that pool
   * hands the dropped tasks to its caller only).
   */
  @Override
  public void shutdown(boolean wait, boolean cancelFutures) {
    synchronized (lifecycle.lock()) {
      lifecycle.markShutdown(cancelFutures);
    }
    if (cancelFutures) {
      notStarted.cancelAll();
    }
    boolean unfinished = hasUnfinishedWork(); // before the service's shutdown wakes idle threads
    service.shutdown();
    if (wait) {
      lifecycle.awaitTermination(this, unfinished);
    } else if (service instanceof ThreadPoolExecutor && !service.isTerminated()) {
      // Nobody waits for the pool: the shared poller of foreign futures watches for its end. Only
      // a ThreadPoolExecutor: its shutdownNow() hands the tasks it drops to its caller alone (a
      // plain ForkJoinPool cancels them, see ForkJoinRun), and on JDK 25 Lincheck's model checker
      // fails on the poller's thread started inside a scenario (a "bug in Lincheck" on a record
      // class of the JDK), which the tests of other services run into.
      ConcurrentFuture<Void> terminated = new ConcurrentFuture<>();
      terminated.addDoneCallback(
          f -> {
            if (service.isTerminated()) { // not when its isTerminated() threw for the poller
              notStarted.cancelRemaining();
            }
          });
      ForeignFuturePoller.follow(new Termination(service), terminated);
    }
  }

  /**
   * A service's termination as a {@link Future}, for {@link ForeignFuturePoller}: done once the
   * service has terminated. It cannot be cancelled.
   */
  private static final class Termination implements Future<Void> {
    private final ExecutorService service;

    Termination(ExecutorService service) {
      this.service = service;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return service.isTerminated();
    }

    @Override
    public Void get() throws InterruptedException {
      service.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS); // about 292 years
      return null;
    }

    @Override
    public Void get(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
      if (!service.awaitTermination(timeout, unit)) {
        throw new TimeoutException(service + " has not terminated");
      }
      return null;
    }
  }

  /**
   * Whether a task may still be running or queued: exact for the common pool (counted), from the
   * pool's own counts for a ThreadPoolExecutor or ForkJoinPool, and "not terminated" otherwise.
   */
  private boolean hasUnfinishedWork() {
    if (countUnfinished) {
      return unfinished.get() > 0;
    }
    if (service instanceof ThreadPoolExecutor) {
      ThreadPoolExecutor tpe = (ThreadPoolExecutor) service;
      return tpe.getActiveCount() > 0 || !tpe.getQueue().isEmpty();
    }
    if (service instanceof ForkJoinPool) {
      ForkJoinPool fjp = (ForkJoinPool) service;
      return !fjp.isQuiescent() || fjp.hasQueuedSubmissions() || fjp.getQueuedTaskCount() > 0;
    }
    return !service.isTerminated();
  }

  /** How often a {@code shutdown(wait=true)} on a service looks for a stranded queue. */
  private static final long STRANDED_CHECK_MILLIS = 100;

  /**
   * Gives a shut-down {@link ThreadPoolExecutor} a worker again when it holds queued tasks and has
   * no worker left to run them. The JDK pool (17 and 25 alike) can strand them. A submission starts
   * a worker for its task, and a second one queues its task behind that worker. If a shutdown comes
   * before the worker is added, the pool drops the worker and refuses the first submission. Its
   * {@code addWorkerFailed} does not replace the worker, so nothing runs the queued task and the
   * pool never terminates. Called after such a refusal and while a {@code shutdown(wait=true)}
   * waits. {@link ThreadPoolExecutor#prestartCoreThread()} adds a worker without a task, which a
   * shut-down pool allows while its queue holds tasks.
   */
  private void restartStrandedQueue() {
    if (service instanceof ThreadPoolExecutor) {
      ThreadPoolExecutor tpe = (ThreadPoolExecutor) service;
      if (tpe.isShutdown()
          && !tpe.isTerminated()
          && tpe.getPoolSize() == 0
          && !tpe.getQueue().isEmpty()) {
        tpe.prestartCoreThread();
      }
    }
  }

  private void awaitServiceTermination() throws InterruptedException {
    if (countUnfinished) {
      Object lock = lifecycle.lock();
      synchronized (lock) {
        while (unfinished.get() > 0) {
          lock.wait();
        }
      }
    } else {
      // only a ThreadPoolExecutor can strand its queue: any other service is awaited in one wait
      long nanos =
          service instanceof ThreadPoolExecutor
              ? TimeUnit.MILLISECONDS.toNanos(STRANDED_CHECK_MILLIS)
              : Long.MAX_VALUE;
      while (!service.awaitTermination(nanos, TimeUnit.NANOSECONDS)) {
        restartStrandedQueue();
      }
      notStarted.cancelRemaining();
    }
  }

  /** {@inheritDoc} */
  @Override
  public boolean isShutdown() {
    return lifecycle.isShutdown();
  }

  /**
   * Describes the adapter and its service.
   *
   * @return for example {@code
   *     FutureExecutor.wrap(java.util.concurrent.ThreadPoolExecutor@1b6d3586)}
   */
  @Override
  public String toString() {
    return "FutureExecutor.wrap("
        + service.getClass().getName()
        + "@"
        + Integer.toHexString(System.identityHashCode(service))
        + ")";
  }
}
