package dev.eventual;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Runs calls asynchronously and hands out their {@link ConcurrentFuture}s: Python's {@code
 * concurrent.futures.Executor}. A try-with-resources block is Python's {@code with} statement:
 * {@link #close()} shuts the executor down and waits for its tasks.
 *
 * <pre>{@code
 * try (FutureExecutor executor = new ThreadPoolFutureExecutor(4)) {
 *   ConcurrentFuture<Integer> f = executor.submit(() -> 6 * 7);
 *   for (String s : executor.map(String::valueOf, List.of(1, 2, 3))) { ... }
 * }
 * }</pre>
 *
 * <p>Implementations here: {@link ThreadPoolFutureExecutor} (Python's {@code ThreadPoolExecutor}),
 * {@link #wrap(ExecutorService)} (any JDK executor service) and {@link
 * #newVirtualThreadExecutor()}.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code submit(fn, *args, **kwargs)} takes a {@link Callable} or a {@link Runnable}; bind
 *       arguments with a lambda. {@code map(fn, *iterables)} takes one {@link Iterable} (zip
 *       several yourself); {@code chunksize} only matters to Python's process pools and is absent.
 *   <li>Submitting after shutdown throws {@link RejectedExecutionException} (Python: {@code
 *       RuntimeError}); a broken executor throws its subclass {@link BrokenExecutorException}.
 *   <li>{@link #map} follows CPython 3.14: an exception re-raised from a task ends the iteration
 *       and cancels the calls not yet started (CPython 3.15 lets the iteration go on, gh-108518).
 *   <li>{@code shutdown(cancelFutures=true)} also notifies the futures it cancels, see {@link
 *       #shutdown(boolean, boolean)}.
 * </ul>
 */
public interface FutureExecutor extends AutoCloseable {
  /**
   * Schedules {@code task} and returns its future: Python's {@code submit(fn)}. Whatever the task
   * throws becomes the future's exception, the very object ({@link ConcurrentFuture#result()}
   * rethrows an unchecked one as it is and wraps a checked one once in {@link
   * CompletionException}).
   *
   * @param task the call
   * @param <V> the result type
   * @return the future of the call
   * @throws NullPointerException if {@code task} is null
   * @throws RejectedExecutionException if the executor was shut down ("cannot schedule new futures
   *     after shutdown")
   * @throws BrokenExecutorException if the executor is broken (for example a worker initializer
   *     failed)
   */
  <V> ConcurrentFuture<V> submit(Callable<V> task);

  /**
   * Schedules {@code task} and returns its future, whose result is {@code null}.
   *
   * @param task the call
   * @return the future of the call
   * @throws NullPointerException if {@code task} is null
   * @throws RejectedExecutionException if the executor was shut down
   * @throws BrokenExecutorException if the executor is broken
   */
  default ConcurrentFuture<Void> submit(Runnable task) {
    Objects.requireNonNull(task, "task must not be null");
    return submit(
        () -> {
          task.run();
          return null;
        });
  }

  /**
   * Calls {@code fn} on every item asynchronously and returns the results in input order: Python's
   * {@code map(fn, iterable)}. Every item is submitted now, before this method returns; use {@link
   * #map(Function, Iterable, int)} for a long or endless input.
   *
   * <p>{@code next()} waits for the next result in input order. An exception thrown by {@code fn}
   * is rethrown from {@code next()} as {@code result()} does (unchecked as it is, checked wrapped
   * once in {@link CompletionException}); the iteration then ends and every call not yet started is
   * cancelled. {@link FutureIterator#close()} ends it early the same way (running calls finish).
   *
   * @param fn the function
   * @param items the inputs; iterated once, now
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   * @throws NullPointerException if {@code fn} or {@code items} is null
   * @throws RejectedExecutionException if the executor was shut down; nothing was submitted, or
   *     what was is cancelled
   * @throws BrokenExecutorException if the executor is broken
   */
  default <T, R> FutureIterator<R> map(
      Function<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return MapIterator.start(this, fn, items, null, 0);
  }

  /**
   * Like {@link #map(Function, Iterable)}, with a time limit counted from this call (CPython
   * computes its {@code end_time} when {@code map} is called). Each {@code next()} waits at most
   * the time left and then throws {@link WaitTimeoutException}, which ends the iteration and
   * cancels every call not yet started.
   *
   * @param fn the function
   * @param items the inputs; iterated once, now
   * @param timeout the time allowed for all results, zero or positive
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   * @throws NullPointerException if {@code fn}, {@code items} or {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws RejectedExecutionException if the executor was shut down
   * @throws BrokenExecutorException if the executor is broken
   */
  default <T, R> FutureIterator<R> map(
      Function<? super T, ? extends R> fn, Iterable<? extends T> items, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    return MapIterator.start(this, fn, items, timeout, 0);
  }

  /**
   * Like {@link #map(Function, Iterable)}, but lazy: at most {@code buffersize} calls are
   * outstanding at any time, and the input is read only as results are consumed (Python 3.14's
   * {@code buffersize}). An endless {@link Iterable} works. This call submits the first {@code
   * buffersize} items; each {@code next()} waits for the oldest result and then submits the next
   * item, so the limit holds even while waiting (CPython momentarily has {@code buffersize + 1},
   * gh-131466).
   *
   * <p>If taking the next input item or submitting it fails (the executor was shut down, or the
   * input's iterator threw), the results already submitted are still returned, and then {@code
   * next()} throws that exception (CPython stops silently or raises with results still buffered,
   * gh-146392).
   *
   * @param fn the function
   * @param items the inputs; iterated lazily
   * @param buffersize the most calls outstanding at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   * @throws NullPointerException if {@code fn} or {@code items} is null
   * @throws IllegalArgumentException if {@code buffersize} is less than 1
   * @throws RejectedExecutionException if the executor was shut down
   * @throws BrokenExecutorException if the executor is broken
   */
  default <T, R> FutureIterator<R> map(
      Function<? super T, ? extends R> fn, Iterable<? extends T> items, int buffersize) {
    return MapIterator.start(this, fn, items, null, checkBuffersize(buffersize));
  }

  /**
   * {@link #map(Function, Iterable, int)} with the time limit of {@link #map(Function, Iterable,
   * Duration)}, counted from this call.
   *
   * @param fn the function
   * @param items the inputs; iterated lazily
   * @param timeout the time allowed for all results, zero or positive
   * @param buffersize the most calls outstanding at once, at least 1
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in input order
   * @throws NullPointerException if {@code fn}, {@code items} or {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative or {@code buffersize} is less
   *     than 1
   * @throws RejectedExecutionException if the executor was shut down
   * @throws BrokenExecutorException if the executor is broken
   */
  default <T, R> FutureIterator<R> map(
      Function<? super T, ? extends R> fn,
      Iterable<? extends T> items,
      Duration timeout,
      int buffersize) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    return MapIterator.start(this, fn, items, timeout, checkBuffersize(buffersize));
  }

  private static int checkBuffersize(int buffersize) {
    if (buffersize < 1) {
      throw new IllegalArgumentException("buffersize must be at least 1: " + buffersize);
    }
    return buffersize;
  }

  /**
   * Stops accepting tasks and releases the executor's resources: Python's {@code shutdown(wait,
   * cancel_futures)}. Safe to call several times; a later call can still cancel or wait.
   *
   * <p>With {@code cancelFutures}, every task not yet started is cancelled. <b>Deliberate
   * difference from CPython:</b> CPython's {@code thread.py} takes those work items off its queue
   * and calls {@code future.cancel()} only, so no worker ever calls {@code
   * set_running_or_notify_cancel()} on them: they stay CANCELLED, and {@code wait()} or {@code
   * as_completed()} without a timeout never sees them done. Here they are also notified ({@link
   * ConcurrentFuture#setRunningOrNotifyCancel()}), so they end CANCELLED_AND_NOTIFIED and nothing
   * waits forever. Tasks already running are not interrupted, as in CPython.
   *
   * @param wait whether to block until every running and queued task has finished
   * @param cancelFutures whether to cancel every task not yet started
   * @throws WaitInterruptedException if the thread is interrupted while waiting; the interrupt flag
   *     is set again and the executor stays shut down
   * @throws IllegalStateException if {@code wait} is true, a task of this executor has not
   *     finished, and this thread runs one of its tasks or a callback its completion runs (it would
   *     wait for itself; CPython: "cannot join current thread"), or may not block ({@link
   *     BlockingGuard}); the executor is shut down all the same. An executor with no unfinished
   *     task never throws this: its shutdown does not wait
   */
  void shutdown(boolean wait, boolean cancelFutures);

  /**
   * Shuts down and waits for every running and queued task: {@code shutdown(true, false)}.
   *
   * @throws WaitInterruptedException if the thread is interrupted while waiting (flag set again)
   */
  default void shutdown() {
    shutdown(true, false);
  }

  /**
   * Ends a try-with-resources block as Python's {@code with} does: {@code shutdown(true, false)}.
   * Idempotent.
   *
   * @throws WaitInterruptedException if the thread is interrupted while waiting (flag set again)
   */
  @Override
  default void close() {
    shutdown(true, false);
  }

  /**
   * Returns true once {@link #shutdown(boolean, boolean)} was called.
   *
   * @return whether the executor was shut down
   */
  boolean isShutdown();

  /**
   * Adapts a JDK executor service. The adapter owns the service: shutting the adapter down shuts
   * the service down ({@link ExecutorService#shutdown()}), and waiting waits for the service to
   * terminate ({@link java.util.concurrent.ForkJoinPool#commonPool()}, which never terminates: for
   * the adapter's own tasks). {@code cancelFutures} cancels the adapter's tasks that have not
   * started; they stay in the service's queue and are skipped when their turn comes.
   *
   * <p>The service must run every task it accepts; a task it rejects makes {@code submit} throw its
   * {@link RejectedExecutionException}. A task (or a callback its completion runs) that calls
   * {@code shutdown(true, ...)} on the adapter running it gets an {@link IllegalStateException}: it
   * would wait for itself.
   *
   * @param service the service to run tasks on
   * @return the adapter
   * @throws NullPointerException if {@code service} is null
   */
  static FutureExecutor wrap(ExecutorService service) {
    return new WrappedExecutorService(Objects.requireNonNull(service, "service must not be null"));
  }

  /**
   * Returns an executor that starts a new virtual thread for each task ({@code
   * Executors.newVirtualThreadPerTaskExecutor()}, wrapped as by {@link #wrap}). There is no worker
   * limit, so {@code cancelFutures} finds little to cancel: only tasks whose thread has not
   * started.
   *
   * @return a new virtual-thread executor
   * @throws UnsupportedOperationException on a JDK older than 21, which has no virtual threads
   */
  static FutureExecutor newVirtualThreadExecutor() {
    int feature = Runtime.version().feature();
    if (feature < 21) {
      throw new UnsupportedOperationException(
          "newVirtualThreadExecutor needs JDK 21 or later (virtual threads); this is JDK "
              + Runtime.version());
    }
    try {
      Object service =
          java.util.concurrent.Executors.class
              .getMethod("newVirtualThreadPerTaskExecutor")
              .invoke(null);
      return wrap((ExecutorService) service);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new UnsupportedOperationException("virtual threads are not available: " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new UnsupportedOperationException(
          "virtual threads are not available on JDK " + Runtime.version() + ": " + e, e);
    }
  }
}
