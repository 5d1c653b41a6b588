package dev.eventual.internal;

import java.lang.ref.Cleaner;

/**
 * A failed outcome, for both kinds of future. It also tracks whether anyone retrieved the
 * exception: when the future is collected with the exception never retrieved, {@link #run()} hands
 * it to the future's {@link Reporter} (asyncio's "Future exception was never retrieved"). Only
 * failed futures pay for this.
 *
 * <p>The tracking, one {@code Failure} per failed future:
 *
 * <pre>
 *   new --watch (cleaner up)--> watched --markRetrieved--> retrieved (cleaned: no report)
 *    |                             `--future collected--> reported once, unless retrieved
 *    `--watch (no cleaner thread)--> unwatched: never reported
 *   markRetrieved before watch: watch cleans at once
 * </pre>
 */
public final class Failure extends Outcome implements Runnable {
  /** How every report of an exception nobody retrieved begins (CPython's message). */
  public static final String NEVER_RETRIEVED = "Future exception was never retrieved: ";

  /** Where a kind of future reports a failure nobody retrieved. */
  @FunctionalInterface
  public interface Reporter {
    /**
     * Reports the exception of a collected future, on the cleaner's thread.
     *
     * @param description the future as {@link #watch} was told
     * @param exception the exception nobody retrieved
     */
    void reportUnretrieved(String description, Throwable exception);
  }

  /** The exception that was set, never {@code null}. */
  public final Throwable exception;

  private volatile boolean retrieved;
  private volatile Cleaner.Cleanable cleanable;
  private String description;
  private Reporter reporter;

  /**
   * Creates a failed outcome.
   *
   * @param exception the exception, not {@code null}
   */
  public Failure(Throwable exception) {
    this.exception = exception;
  }

  /**
   * Starts watching the future that now holds this outcome; call once.
   *
   * @param future the future; only {@code description} is kept, never the future itself
   * @param description what the report names the future by
   * @param reporter where the report goes; must not reach the future
   */
  public void watch(Object future, String description, Reporter reporter) {
    this.description = description;
    this.reporter = reporter;
    Cleaner.Cleanable c = Cleaners.register(future, this);
    cleanable = c;
    if (retrieved && c != null) {
      c.clean(); // retrieved by another thread before the registration was published
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
      reporter.reportUnretrieved(description, exception);
    }
  }
}
