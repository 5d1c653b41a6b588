package dev.eventual;

import dev.eventual.internal.Failure;
import dev.eventual.internal.Outcome;
import dev.eventual.internal.Outcome.Boxed;
import dev.eventual.internal.Outcome.Cancelled;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Bridges between {@link ConcurrentFuture} and the JDK's futures. */
final class Interop {
  private Interop() {}

  /**
   * Returns a callback that runs {@code action} if the future it is given was cancelled. It is one
   * of the library's own callbacks: it does not count as retrieving a failed future's exception.
   */
  static Consumer<ConcurrentFuture<?>> onCancel(Runnable action) {
    return new OnCancel(action);
  }

  private static final class OnCancel
      implements Consumer<ConcurrentFuture<?>>, ConcurrentFuture.Internal {
    private final Runnable action;

    OnCancel(Runnable action) {
      this.action = action;
    }

    @Override
    public void accept(ConcurrentFuture<?> future) {
      if (future.isCancelled()) {
        action.run();
      }
    }
  }

  static <V> CompletableFuture<V> toCompletableFuture(ConcurrentFuture<V> source) {
    CompletableFuture<V> target = new CompletableFuture<>();
    source.addDoneCallback(
        f -> {
          Object s = f.rawState();
          if (s instanceof Failure) {
            target.completeExceptionally(((Failure) s).exception);
          } else if (s instanceof Cancelled) {
            target.completeExceptionally(new CancellationException(((Cancelled) s).message));
          } else {
            @SuppressWarnings("unchecked")
            V v = (V) (s instanceof Boxed ? ((Boxed) s).value : s);
            target.complete(v);
          }
        });
    target.whenComplete(
        (v, ex) -> {
          if (target.isCancelled()) {
            source.cancel(false);
          }
        });
    return target;
  }

  static <V> ConcurrentFuture<V> fromCompletionStage(CompletionStage<? extends V> stage) {
    ConcurrentFuture<V> target = new ConcurrentFuture<>();
    stage.whenComplete((v, ex) -> target.completeFrom(Outcome.ofCompletion(v, ex)));
    target.addDoneCallback(
        onCancel(
            () -> {
              try {
                stage.toCompletableFuture().cancel(false);
              } catch (UnsupportedOperationException notSupported) {
                // a stage that cannot be turned into a CompletableFuture cannot be cancelled
              }
            }));
    return target;
  }

  @SuppressWarnings("unchecked")
  static <V> ConcurrentFuture<V> fromFuture(Future<? extends V> source) {
    if (source instanceof CompletionStage) {
      return fromCompletionStage((CompletionStage<? extends V>) source);
    }
    ConcurrentFuture<V> target = new ConcurrentFuture<>();
    if (source.isDone()) {
      copy(source, target);
      return target;
    }
    target.addDoneCallback(onCancel(() -> source.cancel(false)));
    ForeignFuturePoller.follow(source, target); // one shared thread, whatever the count
    return target;
  }

  private static <V> void copy(Future<? extends V> source, ConcurrentFuture<V> target) {
    boolean interrupted = false;
    try {
      for (; ; ) {
        try {
          target.trySetResult(source.get());
          return;
        } catch (InterruptedException e) {
          interrupted = true; // only the shared pool's threads get here; keep waiting
        } catch (ExecutionException e) {
          target.trySetException(e.getCause() != null ? e.getCause() : e);
          return;
        } catch (CancellationException e) {
          target.cancel(e.getMessage());
          return;
        } catch (Throwable t) {
          target.trySetException(t);
          return;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
