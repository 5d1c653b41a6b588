package dev.eventual.internal;

import java.lang.ref.Cleaner;

/**
 * A failed outcome. It also tracks whether anyone retrieved the exception: when the future is
 * collected with the exception never retrieved, {@link #run()} reports it (asyncio's "exception was
 * never retrieved"). Only failed futures pay for this.
 */
public final class Failure extends Outcome implements Runnable {
  private static final System.Logger LOG = System.getLogger("dev.eventual.ConcurrentFuture");

  /** The exception that was set, never {@code null}. */
  public final Throwable exception;

  private volatile boolean retrieved;
  private volatile Cleaner.Cleanable cleanable;
  private String owner;

  /**
   * Creates a failed outcome.
   *
   * @param exception the exception, not {@code null}
   */
  public Failure(Throwable exception) {
    this.exception = exception;
  }

  /**
   * Starts watching the future that now holds this outcome.
   *
   * @param future the future; only its description is kept, never the future itself
   */
  public void watch(Object future) {
    owner =
        future.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(future));
    cleanable = Cleaners.register(future, this);
    if (retrieved) {
      cleanable.clean();
    }
  }

  /** Records that the exception was seen, and stops watching. */
  public void markRetrieved() {
    if (!retrieved) {
      retrieved = true;
      Cleaner.Cleanable c = cleanable;
      if (c != null) {
        c.clean();
      }
    }
  }

  /**
   * Whether anyone saw the exception.
   *
   * @return true once retrieved
   */
  public boolean isRetrieved() {
    return retrieved;
  }

  /** Called once, by the cleaner or by {@link #markRetrieved()}: reports an unseen exception. */
  @Override
  public void run() {
    if (!retrieved) {
      LOG.log(
          System.Logger.Level.ERROR,
          "Future exception was never retrieved: " + owner + " failed with " + exception,
          exception);
    }
  }
}
