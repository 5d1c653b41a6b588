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
   * Applies {@code fn} to the finished source and completes the next future. A plain result is
   * installed without running the next future's callbacks: they are returned, so that a draining
   * loop can run them in its own frame (see {@code ConcurrentFuture.drain}).
   *
   * @param source the finished future
   * @param outcome its state (as read once it was done)
   * @return the next future's callbacks still to run, or null when there are none
   */
  @SuppressWarnings("unchecked")
  Object fireInChain(ConcurrentFuture<V> source, Object outcome) {
    Object nextState = next.rawState();
    if (ConcurrentFuture.isDone(nextState)) {
      return null; // the continuation's future was cancelled: skip fn
    }
    if (outcome instanceof Failure) {
      ((Failure) outcome).markRetrieved(); // fn sees the exception
    }
    Object value;
    try {
      value = fn.apply(source);
    } catch (Throwable t) {
      next.trySetException(t);
      return null;
    }
    if (!flatten) {
      return next.swapInResult(value, nextState);
    }
    if (value == null) {
      next.trySetException(
          new NullPointerException("continueWithFuture: fn returned null instead of a future"));
      return null;
    }
    next.follow(ConcurrentFuture.fromFuture((Future<? extends R>) value));
    return null;
  }

  @Override
  public void accept(ConcurrentFuture<V> source) {
    Object callbacks = fireInChain(source, source.rawState());
    if (callbacks != null) {
      next.runReplacedCallbacks(callbacks);
    }
  }
}
