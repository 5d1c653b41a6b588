package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

/**
 * The fixtures of CPython's Lib/test/test_concurrent_futures/util.py (PENDING_FUTURE,
 * RUNNING_FUTURE, CANCELLED_FUTURE, CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE,
 * SUCCESSFUL_FUTURE), made fresh for each use, and a minimal executor that drives futures the way
 * an executor does. The real executor lives elsewhere; these tests only need futures.
 */
final class FutureFixtures {
  private FutureFixtures() {}

  static ConcurrentFuture<Object> pending() {
    return new ConcurrentFuture<>();
  }

  static ConcurrentFuture<Object> running() {
    ConcurrentFuture<Object> f = new ConcurrentFuture<>();
    assertThat(f.setRunningOrNotifyCancel()).isTrue();
    return f;
  }

  static ConcurrentFuture<Object> cancelled() {
    ConcurrentFuture<Object> f = new ConcurrentFuture<>();
    assertThat(f.cancel()).isTrue();
    return f;
  }

  static ConcurrentFuture<Object> cancelledAndNotified() {
    ConcurrentFuture<Object> f = cancelled();
    assertThat(f.setRunningOrNotifyCancel()).isFalse();
    return f;
  }

  /**
   * FINISHED with an exception (CPython uses OSError()); marked as retrieved to keep logs quiet.
   */
  static ConcurrentFuture<Object> exception() {
    ConcurrentFuture<Object> f = new ConcurrentFuture<>();
    f.setException(new IOException("fixture"));
    f.exception();
    return f;
  }

  static ConcurrentFuture<Object> successful() {
    ConcurrentFuture<Object> f = new ConcurrentFuture<>();
    f.setResult(42);
    return f;
  }

  /**
   * Runs {@code call} on {@code pool} as an executor would: notify-or-run, then set the outcome.
   */
  static ConcurrentFuture<Object> submit(ExecutorService pool, Callable<?> call) {
    ConcurrentFuture<Object> f = new ConcurrentFuture<>();
    pool.execute(
        () -> {
          if (!f.setRunningOrNotifyCancel()) {
            return;
          }
          try {
            f.setResult(call.call());
          } catch (Throwable t) {
            f.setException(t);
          }
        });
    return f;
  }

  /** Spins (politely) until the condition holds; the test's own timeout bounds it. */
  static void awaitCondition(BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  /** Waits until the future holds some callback or waiter (its raw state is no longer null). */
  static void awaitWaiter(ConcurrentFuture<?> f) {
    awaitCondition(() -> f.rawState() != null);
  }

  /** Asks for garbage collection until the reference is cleared; true if it was. */
  static boolean isCollected(WeakReference<?> ref) throws InterruptedException {
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    return ref.get() == null;
  }
}
