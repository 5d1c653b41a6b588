package dev.eventual.loop;

import dev.eventual.ConcurrentFuture;
import dev.eventual.internal.FutureAccess;
import dev.eventual.internal.Outcome;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * Loop futures that follow other kinds of futures: the bodies of {@link Asyncio#ensureFuture} and
 * {@link Asyncio#wrapFuture}, and what they share.
 */
final class Bridges {
  private Bridges() {}

  /**
   * A loop future that follows {@code stage}: the outcome arrives through callSoonThreadsafe; a
   * CompletionException is unwrapped; cancelling the loop future cancels the stage if it is a
   * {@link Future}.
   */
  static <T> LoopFuture<T> fromStage(CompletionStage<T> stage, EventLoop loop) {
    LoopFuture<T> destination = loop.createFuture();
    if (stage instanceof Future) {
      Future<?> source = (Future<?>) stage;
      destination.addDoneCallback(
          d -> {
            if (d.isCancelled()) {
              source.cancel(false);
            }
          });
    }
    stage.whenComplete(
        (value, failure) -> loop.callSoonThreadsafeIfOpen(() -> copy(value, failure, destination)));
    return destination;
  }

  private static <T> void copy(T value, Throwable failure, LoopFuture<T> destination) {
    if (!destination.isDone()) {
      destination.completeFrom(Outcome.ofCompletion(value, failure));
    }
  }

  /** Copies a done future's outcome into a pending one (result, exception or cancellation). */
  static <T> void copyOutcome(LoopFuture<? extends T> source, LoopFuture<T> destination) {
    if (destination.isDone()) {
      if (!source.isCancelled()) {
        source.exception(); // mark retrieved, as asyncio's shield does
      }
      return;
    }
    destination.completeFrom(source.outcome());
  }

  /** {@link Asyncio#ensureFuture(Object, EventLoop)}. */
  static LoopFuture<?> ensureFuture(Object obj, EventLoop loop) {
    Objects.requireNonNull(obj, "obj must not be null");
    if (obj instanceof LoopFuture) {
      LoopFuture<?> f = (LoopFuture<?>) obj;
      if (loop != null && f.getLoop() != loop) {
        throw new IllegalArgumentException(
            "The future belongs to a different loop than the one specified as the loop argument");
      }
      return f;
    }
    if (!(obj instanceof TaskBody
        || obj instanceof ConcurrentFuture
        || obj instanceof CompletionStage)) {
      throw new IllegalArgumentException(
          "A LoopFuture, a TaskBody, a ConcurrentFuture or a CompletionStage is required, got "
              + obj.getClass().getName());
    }
    EventLoop l = loop != null ? loop : EventLoop.getRunningLoop();
    if (obj instanceof TaskBody) {
      return l.createTask((TaskBody<?>) obj);
    }
    if (obj instanceof ConcurrentFuture) {
      return wrapFuture((ConcurrentFuture<?>) obj, l);
    }
    return fromStage((CompletionStage<?>) obj, l);
  }

  /** {@link Asyncio#wrapFuture(ConcurrentFuture, EventLoop)}. */
  static <V> LoopFuture<V> wrapFuture(ConcurrentFuture<V> future, EventLoop loop) {
    Objects.requireNonNull(future, "future must not be null");
    Objects.requireNonNull(loop, "loop must not be null");
    LoopFuture<V> destination = loop.createFuture();
    destination.addDoneCallback(new CancelSource<>(future));
    future.addDoneCallback(
        source -> loop.callSoonThreadsafeIfOpen(() -> copyConcurrent(source, destination)));
    return destination;
  }

  /** Copies a done thread-safe future's outcome, on the loop's thread. */
  private static <V> void copyConcurrent(ConcurrentFuture<V> source, LoopFuture<V> destination) {
    if (destination.isDone()) {
      return; // cancelled meanwhile: the cancellation already went to the source
    }
    destination.completeFrom(FutureAccess.get().outcomeOf(source)); // marks a failure retrieved
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
