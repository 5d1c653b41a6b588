package dev.eventual;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The results of {@link FutureExecutor#map}: CPython's {@code Executor.map} generator (3.14, with
 * {@code buffersize}), in input order. Not thread-safe: one consumer, like a generator.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
final class MapIterator<T, R> implements FutureIterator<R> {
  /** The most slots the queue of futures is made with; it grows beyond if needed. */
  private static final int MAX_PRESIZE = 1 << 16;

  private final FutureExecutor executor;
  private final Function<? super T, ? extends R> fn;

  /** The submitted futures, oldest first. */
  private final ArrayDeque<ConcurrentFuture<R>> fs;

  /** The rest of the input when buffered; null when eager, exhausted or stopped. */
  private Iterator<? extends T> input;

  private final Duration timeout;
  private final long deadline;

  /** Why the buffer could not be refilled; thrown once the buffered results are consumed. */
  private RuntimeException refillFailure;

  private boolean finished;
  private boolean iterated;
  private long yielded;

  private MapIterator(
      FutureExecutor executor,
      Function<? super T, ? extends R> fn,
      Duration timeout,
      long nanos,
      int expected) {
    this.fs = new ArrayDeque<>(expected);
    this.executor = executor;
    this.fn = fn;
    this.timeout = timeout;
    this.deadline = timeout == null ? 0L : Timeouts.deadline(nanos);
  }

  /**
   * Checks the arguments, starts the clock and submits the first tasks: all of them when {@code
   * buffersize} is 0, else the first {@code buffersize}.
   */
  static <T, R> MapIterator<T, R> start(
      FutureExecutor executor,
      Function<? super T, ? extends R> fn,
      Iterable<? extends T> items,
      Duration timeout,
      int buffersize) {
    Objects.requireNonNull(fn, "fn must not be null");
    Objects.requireNonNull(items, "items must not be null");
    long nanos = timeout == null ? 0L : Timeouts.toNanos(timeout, "timeout");
    // as many futures as the input has items, or the buffer holds, so that the queue need not
    // grow; only a hint, and at most MAX_PRESIZE (a collection's size may be far from its items)
    int expected = Math.min(items instanceof Collection<?> c ? c.size() : 16, MAX_PRESIZE);
    if (buffersize > 0 && buffersize < expected) {
      expected = buffersize + 1;
    }
    MapIterator<T, R> it = new MapIterator<>(executor, fn, timeout, nanos, expected);
    try {
      Iterator<? extends T> source = Objects.requireNonNull(items.iterator(), "items.iterator()");
      if (buffersize == 0) {
        while (source.hasNext()) {
          it.submit(source.next());
        }
      } else {
        for (int i = 0; i < buffersize && source.hasNext(); i++) {
          it.submit(source.next());
        }
        it.input = source;
      }
    } catch (RuntimeException | Error e) {
      // The call failed as a whole, so nobody will ever see these futures: cancel them.
      it.close();
      throw e;
    }
    return it;
  }

  private void submit(T item) {
    fs.addLast(executor.submit(new Call<T, R>(fn, item)));
  }

  /**
   * One call of {@code fn}. Serializable, so that an executor that sends its tasks to other
   * processes (eventual-hazelcast) can send it whenever {@code fn} and the item are serializable.
   *
   * @param <T> the type of the item
   * @param <R> the type of the call's result
   */
  @SuppressWarnings("serial") // fn and item are serializable exactly when the task can travel
  private static final class Call<T, R> implements Callable<R>, Serializable {
    private static final long serialVersionUID = 1L;

    private final Function<? super T, ? extends R> fn;
    private final T item;

    Call(Function<? super T, ? extends R> fn, T item) {
      this.fn = fn;
      this.item = item;
    }

    @Override
    public R call() {
      return fn.apply(item);
    }
  }

  /**
   * Returns this iterator, once.
   *
   * @throws IllegalStateException on a second call
   */
  @Override
  public Iterator<R> iterator() {
    if (iterated) {
      throw new IllegalStateException("the results of map can be iterated only once");
    }
    iterated = true;
    return this;
  }

  @Override
  public boolean hasNext() {
    return !finished && (!fs.isEmpty() || refillFailure != null);
  }

  /**
   * Waits for the oldest outstanding result and returns it; then, when buffered, submits the next
   * input item.
   */
  @Override
  public R next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more results from map");
    }
    ConcurrentFuture<R> f = fs.pollFirst();
    if (f == null) {
      RuntimeException failure = refillFailure;
      refillFailure = null;
      close();
      throw failure;
    }
    R result;
    try {
      result = await(f);
    } catch (RuntimeException | Error e) {
      f.cancel();
      close();
      throw e;
    }
    yielded++;
    refill();
    return result;
  }

  private R await(ConcurrentFuture<R> f) {
    if (timeout == null) {
      return f.result();
    }
    long remaining = Math.max(0L, deadline - System.nanoTime());
    try {
      return f.result(Duration.ofNanos(remaining));
    } catch (WaitTimeoutException e) {
      if (f.isDone()) {
        return f.result(Duration.ZERO); // the task's own exception, or a photo finish
      }
      throw new WaitTimeoutException(
          "Timed out after "
              + Timeouts.describe(timeout)
              + " (counted from the call of map) waiting for result #"
              + (yielded + 1)
              + " of map");
    }
  }

  /** Submits the next input item; a failure is kept until the buffered results are consumed. */
  private void refill() {
    Iterator<? extends T> source = input;
    if (source == null) {
      return;
    }
    try {
      if (source.hasNext()) {
        submit(source.next());
      } else {
        input = null;
      }
    } catch (RuntimeException e) {
      // The executor was shut down (or broke), or the input failed: no more submissions.
      input = null;
      refillFailure = e;
    } catch (Error e) {
      close();
      throw e;
    }
  }

  /**
   * Stops the iteration and cancels every task not yet started (Python's {@code cancel()}: running
   * ones finish). Later calls do nothing.
   */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    finished = true;
    input = null;
    refillFailure = null;
    for (ConcurrentFuture<R> f : fs) {
      f.cancel();
    }
    fs.clear();
  }
}
