package dev.eventual.guava;

import com.google.common.util.concurrent.AbstractFuture;
import dev.eventual.ConcurrentFuture;

/**
 * A Guava {@link AbstractFuture} following a {@link ConcurrentFuture}.
 *
 * <p>The source decides every outcome, so both sides always agree: {@link #cancel(boolean)} asks
 * the source first and is cancelled only if the source is (the source's callback, or this call,
 * then cancels the adapter); if the source finished instead, its outcome is copied at once and the
 * cancel fails. Cancelling the adapter first and the source second could leave the adapter
 * CANCELLED and the source FINISHED when a completion races the cancel (the race test found it).
 */
final class ListenableAdapter<V> extends AbstractFuture<V> {
  final ConcurrentFuture<? extends V> source;

  private ListenableAdapter(ConcurrentFuture<? extends V> source) {
    this.source = source;
  }

  static <V> ListenableAdapter<V> following(ConcurrentFuture<? extends V> source) {
    ListenableAdapter<V> adapter = new ListenableAdapter<>(source);
    source.addDoneCallback(adapter::copyFromSource);
    return adapter;
  }

  private void copyFromSource(ConcurrentFuture<? extends V> done) {
    if (done.isCancelled()) {
      super.cancel(false);
    } else if (done.isSuccess()) {
      set(done.resultNow());
    } else {
      setException(done.exceptionNow());
    }
  }

  /**
   * Cancels the source with {@link ConcurrentFuture#cancel(boolean)} and the same argument, and
   * this future with it; if the source finished first, this future takes its outcome now.
   *
   * @param mayInterruptIfRunning whether the thread running the source's task is interrupted
   * @return true if the source, and so this future, is cancelled
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (source.cancel(mayInterruptIfRunning)) {
      super.cancel(mayInterruptIfRunning); // false if the source's callback got here first
      return true;
    }
    copyFromSource(source); // the source is FINISHED: its callback may not have run yet
    return false;
  }

  @Override
  protected void afterDone() {
    if (isCancelled()) {
      source.cancel(wasInterrupted()); // no-op when cancel(boolean) came first; kept for safety
    }
  }

  @Override
  protected String pendingToString() {
    return "source=[" + source + "]";
  }
}
