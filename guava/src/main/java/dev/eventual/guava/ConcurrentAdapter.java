package dev.eventual.guava;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.eventual.ConcurrentFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/**
 * A {@link ConcurrentFuture} following a Guava {@link ListenableFuture}; cancelling it cancels the
 * source with the same {@code mayInterruptIfRunning}.
 *
 * <p>The source decides every outcome, so both sides always agree: a cancel asks the source first,
 * and this future is cancelled only if the source is; if the source finished instead, its outcome
 * is copied at once and the cancel fails. The adapter is never RUNNING (it cannot know), so {@code
 * cancel()} always reaches the source. The cancel message and the request to interrupt are noted
 * before the source is asked, because the source's listener may cancel this future first, from
 * inside {@code source.cancel}.
 */
final class ConcurrentAdapter<V> extends ConcurrentFuture<V> {
  final ListenableFuture<? extends V> source;
  private volatile boolean interruptRequested;
  private volatile String requestedMessage;

  private ConcurrentAdapter(ListenableFuture<? extends V> source) {
    this.source = source;
  }

  static <V> ConcurrentAdapter<V> following(ListenableFuture<? extends V> source) {
    ConcurrentAdapter<V> adapter = new ConcurrentAdapter<>(source);
    source.addListener(adapter::copyFromSource, MoreExecutors.directExecutor());
    return adapter;
  }

  private void copyFromSource() {
    V value;
    try {
      value = Futures.getDone(source);
    } catch (ExecutionException e) {
      trySetException(e.getCause() != null ? e.getCause() : e);
      return;
    } catch (CancellationException e) {
      String message = requestedMessage;
      super.cancel(message != null ? message : e.getMessage());
      return;
    } catch (RuntimeException | Error e) {
      trySetException(e); // a broken source: Futures.getDone promises only the above
      return;
    }
    trySetResult(value);
  }

  /**
   * Cancels the source with the same argument, and this future with it; if the source finished
   * first, this future takes its outcome now.
   *
   * @param mayInterruptIfRunning whether the thread running the source's task is interrupted
   * @return true if the source, and so this future, is cancelled (now or before)
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (mayInterruptIfRunning) {
      interruptRequested = true;
    }
    return cancel((String) null);
  }

  /**
   * Cancels the source without interrupting (unless {@link #cancel(boolean) cancel(true)} asked),
   * and this future with the message; if the source finished first, this future takes its outcome
   * now.
   *
   * @param message the cancel message, or {@code null}
   * @return true if the source, and so this future, is cancelled (now or before)
   */
  @Override
  public boolean cancel(String message) {
    if (isDone()) {
      return isCancelled();
    }
    if (message != null) {
      requestedMessage = message;
    }
    source.cancel(interruptRequested); // its listener may cancel this future from inside
    if (source.isCancelled()) {
      super.cancel(message);
      return true;
    }
    if (source.isDone()) {
      copyFromSource(); // the source finished first: its listener may not have run yet
    }
    return isCancelled();
  }
}
