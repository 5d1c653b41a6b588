package dev.eventual;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
  private static final String SHUT_DOWN = "cannot schedule new futures after shutdown";

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

  private final Object lock = new Object();
  private volatile boolean shutdown;
  private volatile boolean cancelRequested;

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
   */
  private static final class ForkJoinRun extends ForkJoinTask<Void> {
    private static final long serialVersionUID = 1L;
    private final transient Runnable task;

    ForkJoinRun(Runnable task) {
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
      task.run(); // never throws: a TaskFuture keeps the task's exception
      return false;
    }
  }

  /** A task that tells the adapter when it starts and ends. */
  private final class Tracked<V> extends TaskFuture<V> {
    Tracked(Callable<? extends V> callable) {
      super(callable);
    }

    @Override
    public void run() {
      // false for a second run(), and for a cancelled task (which ends through the method below)
      if (runOnce()) {
        taskEnded();
      }
    }

    @Override
    void endedWithoutRunning() {
      taskEnded();
    }
  }

  private void taskEnded() {
    if (countUnfinished && unfinished.decrementAndGet() == 0 && shutdown) {
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }

  /** {@inheritDoc} */
  @Override
  public <V> ConcurrentFuture<V> submit(Callable<V> task) {
    Objects.requireNonNull(task, "task must not be null");
    if (shutdown) {
      throw new RejectedExecutionException(SHUT_DOWN);
    }
    Tracked<V> f = new Tracked<>(task);
    notStarted.add(f);
    if (countUnfinished) {
      unfinished.incrementAndGet();
    }
    try {
      if (forkJoin) {
        ((ForkJoinPool) service).execute(new ForkJoinRun(f));
      } else {
        service.execute(f);
      }
    } catch (RuntimeException | Error e) {
      // Nobody sees this future: cancelled and acknowledged here, it ends and leaves notStarted. If
      // the service ran it all the same, its run owns it and this does nothing.
      f.cancelAndNotify();
      if (shutdown && e instanceof RejectedExecutionException) {
        throw new RejectedExecutionException(SHUT_DOWN, e);
      }
      throw e;
    }
    if (cancelRequested) {
      // A concurrent shutdown(cancelFutures=true) may have looked at notStarted before the add.
      f.cancelAndNotify();
    }
    return f;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Shuts the service down. With {@code wait}, waits until it has terminated; for {@link
   * ForkJoinPool#commonPool()}, which cannot be shut down, until every task of this adapter has
   * finished. A task that the service dropped without running it (someone called its {@code
   * shutdownNow()}) is cancelled and notified once the service has terminated, which this method
   * sees only with {@code wait}: after {@code shutdown(false, …)} such a task stays pending (a
   * known gap).
   */
  @Override
  public void shutdown(boolean wait, boolean cancelFutures) {
    if (cancelFutures) {
      cancelRequested = true;
    }
    shutdown = true;
    if (cancelFutures) {
      notStarted.cancelAll();
    }
    service.shutdown();
    if (!wait) {
      return;
    }
    BlockingGuard.checkMayBlock("shutdown(wait=true) of " + this);
    try {
      if (service == ForkJoinPool.commonPool()) {
        synchronized (lock) {
          while (unfinished.get() > 0) {
            lock.wait();
          }
        }
      } else {
        while (!service.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
          // keep waiting
        }
        notStarted.cancelRemaining();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WaitInterruptedException(
          "Interrupted while waiting for the tasks of " + this + " to finish", e);
    }
  }

  /** {@inheritDoc} */
  @Override
  public boolean isShutdown() {
    return shutdown;
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
