package dev.eventual;

/**
 * Futures in each state, like CPython's {@code test_concurrent_futures/util.py} ({@code
 * PENDING_FUTURE}, {@code RUNNING_FUTURE}, ... built by {@code create_future}). Fresh objects on
 * every call, so tests never share state.
 */
final class TestFutures {
  private TestFutures() {}

  static <V> ConcurrentFuture<V> pending() {
    return new ConcurrentFuture<>();
  }

  static <V> ConcurrentFuture<V> running() {
    ConcurrentFuture<V> f = new ConcurrentFuture<>();
    f.setRunningOrNotifyCancel();
    return f;
  }

  static <V> ConcurrentFuture<V> cancelled() {
    ConcurrentFuture<V> f = new ConcurrentFuture<>();
    f.cancel();
    return f;
  }

  static <V> ConcurrentFuture<V> cancelledAndNotified() {
    ConcurrentFuture<V> f = cancelled();
    f.setRunningOrNotifyCancel();
    return f;
  }

  static <V> ConcurrentFuture<V> failed(Throwable exception) {
    ConcurrentFuture<V> f = new ConcurrentFuture<>();
    f.setException(exception);
    return f;
  }

  static <V> ConcurrentFuture<V> succeeded(V result) {
    ConcurrentFuture<V> f = new ConcurrentFuture<>();
    f.setResult(result);
    return f;
  }
}
