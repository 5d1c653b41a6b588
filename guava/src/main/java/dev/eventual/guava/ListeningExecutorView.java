package dev.eventual.guava;

import com.google.common.util.concurrent.AbstractListeningExecutorService;
import com.google.common.util.concurrent.ListenableFuture;
import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link com.google.common.util.concurrent.ListeningExecutorService} of {@link
 * GuavaFutures#listeningExecutorService}. {@code invokeAll} and {@code invokeAny} are the JDK's
 * ({@link java.util.concurrent.AbstractExecutorService}, through Guava's listenable tasks), which
 * reach the executor through {@link #execute}.
 *
 * <p>Each task submitted through the view is kept in {@link #inFlight} until its future is done,
 * for {@link #shutdownNow()}. Termination is learnt by one daemon thread, started once the executor
 * is shut down, that waits for its tasks ({@code shutdown(true, false)}) and then completes {@link
 * #terminated}.
 */
final class ListeningExecutorView extends AbstractListeningExecutorService {
  private static final System.Logger LOG = System.getLogger("dev.eventual.guava");

  /** A task submitted through the view: its future and what shutdownNow returns for it. */
  private static final class Submission {
    final ConcurrentFuture<?> future;
    final Runnable command;

    Submission(ConcurrentFuture<?> future, Runnable command) {
      this.future = future;
      this.command = command;
    }
  }

  private final FutureExecutor executor;
  private final Set<Submission> inFlight = ConcurrentHashMap.newKeySet();
  private final ConcurrentFuture<Void> terminated = new ConcurrentFuture<>();
  private final AtomicBoolean watching = new AtomicBoolean();

  ListeningExecutorView(FutureExecutor executor) {
    this.executor = executor;
  }

  private <T> ConcurrentFuture<T> track(ConcurrentFuture<T> future, Runnable command) {
    Submission s = new Submission(future, command);
    inFlight.add(s);
    future.addDoneCallback(f -> inFlight.remove(s)); // at once if it is done already
    return future;
  }

  /**
   * Runs {@code command} on the executor. Nobody can retrieve its failure, so it is logged at once
   * (logger {@code dev.eventual.guava}, level ERROR), as the JDK's pools hand it to the thread's
   * uncaught-exception handler; a cancellation is not logged.
   */
  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command must not be null");
    ConcurrentFuture<Void> f = track(executor.submit(command), command);
    f.addDoneCallback(
        done -> {
          if (!done.isCancelled() && !done.isSuccess()) {
            LOG.log(
                System.Logger.Level.ERROR,
                "task " + command.getClass().getName() + " given to execute() failed",
                done.exceptionNow());
          }
        });
  }

  @Override
  public ListenableFuture<?> submit(Runnable task) {
    Objects.requireNonNull(task, "task must not be null");
    return GuavaFutures.toListenableFuture(track(executor.submit(task), task));
  }

  @Override
  public <T> ListenableFuture<T> submit(Runnable task, T result) {
    Objects.requireNonNull(task, "task must not be null");
    ConcurrentFuture<T> f =
        executor.submit(
            () -> {
              task.run();
              return result;
            });
    return GuavaFutures.toListenableFuture(track(f, task));
  }

  @Override
  public <T> ListenableFuture<T> submit(Callable<T> task) {
    Objects.requireNonNull(task, "task must not be null");
    return GuavaFutures.toListenableFuture(track(executor.submit(task), new CallableRunner(task)));
  }

  /**
   * Checks a collection of tasks before any is submitted: the JDK's {@code invokeAll} would submit
   * the tasks before a null element and only then fail (cancelling them, maybe after they ran).
   */
  private static <T> Collection<? extends Callable<T>> checked(
      Collection<? extends Callable<T>> tasks) {
    Objects.requireNonNull(tasks, "tasks must not be null");
    int i = 0;
    for (Callable<T> t : tasks) {
      if (t == null) {
        throw new NullPointerException("tasks[" + i + "] must not be null");
      }
      i++;
    }
    return tasks;
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    return super.invokeAll(checked(tasks));
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    checked(tasks);
    Objects.requireNonNull(unit, "unit must not be null");
    return super.invokeAll(tasks, timeout, unit);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    return super.invokeAny(checked(tasks));
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    checked(tasks);
    Objects.requireNonNull(unit, "unit must not be null");
    return super.invokeAny(tasks, timeout, unit);
  }

  @Override
  public void shutdown() {
    executor.shutdown(false, false);
    watchTermination();
  }

  @Override
  public List<Runnable> shutdownNow() {
    executor.shutdown(false, false); // first: nothing new gets in while we look
    List<Runnable> neverStarted = new ArrayList<>();
    // Two passes: every task still waiting is cancelled before any running one is interrupted, as
    // an interrupted task frees its worker, which would otherwise start a waiting task meanwhile.
    for (Submission s : inFlight) {
      ConcurrentFuture<?> f = s.future;
      if (!f.isCancelled() && f.cancel()) {
        neverStarted.add(s.command); // Python's cancel succeeds only before the task starts
      }
    }
    for (Submission s : inFlight) {
      s.future.cancel(true); // running: interrupt it (false, and nothing, once it is done)
    }
    executor.shutdown(false, true); // and whatever else the executor holds
    watchTermination();
    return neverStarted;
  }

  @Override
  public boolean isShutdown() {
    return executor.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    if (executor.isShutdown()) {
      watchTermination(); // also when the executor was shut down directly
    }
    return terminated.isDone();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit must not be null");
    if (executor.isShutdown()) {
      watchTermination();
    }
    try {
      terminated.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not wait for the executor's tasks: " + e.getCause(), e.getCause());
    }
  }

  private void watchTermination() {
    if (!watching.compareAndSet(false, true)) {
      return;
    }
    Thread watcher =
        new Thread(
            () -> {
              try {
                executor.shutdown(true, false);
                terminated.trySetResult(null);
              } catch (RuntimeException | Error e) {
                terminated.trySetException(e);
              }
            },
            "eventual-guava-termination");
    watcher.setDaemon(true);
    watcher.start();
  }

  @Override
  public String toString() {
    return "ListeningExecutorView[" + executor + "]";
  }

  /** What {@link #shutdownNow()} returns for a never-started {@link Callable}. */
  private static final class CallableRunner implements Runnable {
    private final Callable<?> task;

    CallableRunner(Callable<?> task) {
      this.task = task;
    }

    @Override
    public void run() {
      try {
        task.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("the task failed: " + e, e);
      }
    }

    @Override
    public String toString() {
      return "CallableRunner[" + task + "]";
    }
  }
}
