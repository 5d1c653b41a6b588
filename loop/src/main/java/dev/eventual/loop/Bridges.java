package dev.eventual.loop;

import dev.eventual.internal.Outcome;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/** Loop futures that follow other kinds of futures. */
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
}
