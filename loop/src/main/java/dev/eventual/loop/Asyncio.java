package dev.eventual.loop;

import dev.eventual.ConcurrentFuture;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * The module functions of Python's {@code asyncio}, as static methods: {@code asyncio.wrap_future}
 * is {@code Asyncio.wrapFuture}. The class is named after the module so that a reader of the Python
 * documentation finds each function under the same name (as core's {@code Futures} holds those of
 * {@code concurrent.futures}).
 */
public final class Asyncio {
  private Asyncio() {}

  /**
   * Wraps a thread-safe future in a future of the loop running on this thread: Python's {@code
   * asyncio.wrap_future(future)}.
   *
   * @param future the future to follow
   * @param <V> the result type
   * @return a new loop future; see {@link #wrapFuture(ConcurrentFuture, EventLoop)}
   * @throws NullPointerException if {@code future} is null
   * @throws IllegalStateException "no running event loop", if none runs on this thread
   */
  public static <V> LoopFuture<V> wrapFuture(ConcurrentFuture<V> future) {
    Objects.requireNonNull(future, "future must not be null");
    return wrapFuture(future, EventLoop.getRunningLoop());
  }

  /**
   * Wraps a thread-safe future in a future of {@code loop}: Python's {@code
   * asyncio.wrap_future(future, loop=loop)}. The outcome (result, exception or cancellation with
   * its message) is delivered through {@link EventLoop#callSoonThreadsafe}, so the loop future
   * completes on the loop's thread. Cancelling the loop future cancels {@code future} with the same
   * message (which succeeds only while it has not started running); cancelling {@code future}
   * cancels the loop future. An outcome that arrives after the loop was closed is dropped.
   *
   * @param future the future to follow
   * @param loop the loop of the new future
   * @param <V> the result type
   * @return a new pending loop future
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException (debug mode) if called from another thread than the one running
   *     the loop
   */
  public static <V> LoopFuture<V> wrapFuture(ConcurrentFuture<V> future, EventLoop loop) {
    Objects.requireNonNull(future, "future must not be null");
    Objects.requireNonNull(loop, "loop must not be null");
    LoopFuture<V> destination = loop.createFuture();
    destination.addDoneCallback(new CancelSource<>(future));
    future.addDoneCallback(
        source -> loop.callSoonThreadsafeIfOpen(() -> copy(source, destination)));
    return destination;
  }

  /** Copies a done thread-safe future's outcome, on the loop's thread. */
  private static <V> void copy(ConcurrentFuture<V> source, LoopFuture<V> destination) {
    if (destination.isDone()) {
      return; // cancelled meanwhile: the cancellation already went to the source
    }
    if (source.isCancelled()) {
      String message = null;
      try {
        source.exception();
      } catch (CancellationException e) {
        message = e.getMessage();
      }
      destination.cancel(message);
      return;
    }
    Throwable exception = source.exception(); // done: does not wait; marks it retrieved
    if (exception != null) {
      destination.setException(exception);
    } else {
      destination.setResult(source.resultNow());
    }
  }

  /** Cancels the source when the loop future is cancelled. */
  private static final class CancelSource<V>
      implements java.util.function.Consumer<LoopFuture<V>>, Handle.Described {
    private final ConcurrentFuture<V> source;

    CancelSource(ConcurrentFuture<V> source) {
      this.source = source;
    }

    @Override
    public void accept(LoopFuture<V> destination) {
      if (destination.isCancelled()) {
        source.cancel(destination.cancelMessage());
      }
    }

    @Override
    public String toString() {
      return "Asyncio.wrapFuture cancel-source";
    }
  }
}
