package dev.eventual.internal;

import dev.eventual.ConcurrentFuture;

/**
 * What the event loop and the executors need from {@link ConcurrentFuture} beyond its API: its done
 * {@link Outcome}, completing it from any future's outcome, and cancel-and-notify. Not API:
 * exported only to {@code dev.eventual.loop} and {@code dev.eventual.hazelcast}. {@link
 * ConcurrentFuture} installs the one instance.
 */
public abstract class FutureAccess {
  private static volatile FutureAccess instance;

  /** For {@link ConcurrentFuture} only. */
  protected FutureAccess() {}

  /**
   * Installs the instance; for {@link ConcurrentFuture}'s static initializer.
   *
   * @param access the instance
   * @throws IllegalStateException if one is installed already
   */
  public static void install(FutureAccess access) {
    if (instance != null) {
      throw new IllegalStateException("FutureAccess is installed already");
    }
    instance = access;
  }

  /**
   * The instance, once {@link ConcurrentFuture} is initialized (this call initializes it).
   *
   * @return the instance
   */
  public static FutureAccess get() {
    FutureAccess a = instance;
    if (a == null) {
      new ConcurrentFuture<>(); // runs the static initializer, which installs the instance
      a = instance;
    }
    return a;
  }

  /**
   * The future's done outcome, without retrieving anything.
   *
   * @param future the future
   * @return its {@link Outcome} (or raw result), or {@code null} while it is not done
   */
  public abstract Object outcomeOf(ConcurrentFuture<?> future);

  /**
   * Completes the future with a done outcome read from any future (of either kind): the same
   * result, the same exception (the source's is marked retrieved), or a cancellation with the same
   * message. Does nothing if the future is done already.
   *
   * @param future the future to complete
   * @param outcome a done outcome
   * @return true if this call completed the future
   */
  public abstract boolean completeFrom(ConcurrentFuture<?> future, Object outcome);

  /**
   * Cancels the future if it has not started and acknowledges the cancellation at once, so that
   * {@code wait} and {@code asCompleted} see it done (what {@code shutdown(cancelFutures=true)}
   * does to every task it takes back). A cancellation acknowledged before is left as it is.
   *
   * @param future the future
   * @return true if the future is now cancelled (by this call or before)
   */
  public abstract boolean cancelAndNotify(ConcurrentFuture<?> future);
}
