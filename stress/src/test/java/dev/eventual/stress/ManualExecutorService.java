package dev.eventual.stress;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An executor service without threads: {@link #execute} queues, and whoever calls {@link #runOne()}
 * is the worker. It lets Lincheck's model checker, which schedules only its own threads, explore a
 * submit racing a shutdown and a worker, through {@link dev.eventual.FutureExecutor#wrap}.
 */
final class ManualExecutorService extends AbstractExecutorService {
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private volatile boolean shutdown;

  @Override
  public void execute(Runnable command) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    queue.add(command);
  }

  /** Runs the oldest queued task in the caller, as a worker would; false if none is queued. */
  boolean runOne() {
    Runnable r = queue.poll();
    if (r == null) {
      return false;
    }
    r.run();
    return true;
  }

  /** The oldest queued task, left queued: lets a test run one task from several threads. */
  Runnable peek() {
    return queue.peek();
  }

  /** Runs every queued task: what the workers do before the service terminates. */
  void runAll() {
    while (runOne()) {
      // next
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    runAll();
    return true;
  }
}
