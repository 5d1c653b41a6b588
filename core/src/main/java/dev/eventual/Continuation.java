package dev.eventual;

import dev.eventual.internal.Failure;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The callback behind {@link ConcurrentFuture#continueWith} and {@link
 * ConcurrentFuture#continueWithFuture}: applies the function to the finished source and completes
 * the next future with what it returns (or, when flattening, with the returned future's outcome).
 *
 * <p>It is one of the library's own callbacks: it marks a failed source's exception as retrieved
 * only when it really hands the source to {@code fn}, not when the next future was cancelled and
 * {@code fn} is skipped.
 */
final class Continuation<V, R> implements Consumer<ConcurrentFuture<V>>, ConcurrentFuture.Internal {
  private final ConcurrentFuture<R> next;
  private final Function<? super ConcurrentFuture<V>, ?> fn;
  private final boolean flatten;

  Continuation(
      ConcurrentFuture<R> next, Function<? super ConcurrentFuture<V>, ?> fn, boolean flatten) {
    this.next = next;
    this.fn = fn;
    this.flatten = flatten;
  }

  /** The future this continuation completes. */
  ConcurrentFuture<R> next() {
    return next;
  }

  /**
   * Runs as {@link #accept} does, but when {@code fn} returns a plain result, installs it without
   * running the next future's callbacks and returns them, so that the draining loop runs them in
   * its own frame.
   *
   * @return the next future's callbacks to run, or null when there is nothing left to run here
   */
  @SuppressWarnings("unchecked")
  Object fireInChain(ConcurrentFuture<V> source) {
    if (flatten || next.isDone()) {
      accept(source);
      return null;
    }
    Object s = source.rawState();
    if (s instanceof Failure) {
      ((Failure) s).markRetrieved(); // fn sees the exception
    }
    Object value;
    try {
      value = fn.apply(source);
    } catch (Throwable t) {
      next.trySetException(t);
      return null;
    }
    return next.swapInResult(value);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void accept(ConcurrentFuture<V> source) {
    if (next.isDone()) {
      return; // the continuation's future was cancelled: skip fn
    }
    Object s = source.rawState();
    if (s instanceof Failure) {
      ((Failure) s).markRetrieved(); // fn sees the exception
    }
    Object value;
    try {
      value = fn.apply(source);
    } catch (Throwable t) {
      next.trySetException(t);
      return;
    }
    if (!flatten) {
      next.trySetResult((R) value);
      return;
    }
    if (value == null) {
      next.trySetException(
          new NullPointerException("continueWithFuture: fn returned null instead of a future"));
      return;
    }
    ConcurrentFuture<? extends R> inner = ConcurrentFuture.fromFuture((Future<? extends R>) value);
    next.follow(inner);
  }
}
