package dev.eventual.internal;

/**
 * The boxed outcomes of a done future. A plain successful result is stored unboxed; only a {@code
 * null} result or one that could be mistaken for a callback is put in a {@link Boxed}.
 */
public abstract class Outcome {
  Outcome() {}

  /** A successful result that cannot be stored raw. */
  public static final class Boxed extends Outcome {
    /** The {@code null} result, shared. */
    public static final Boxed NULL = new Boxed(null);

    /** The result. */
    public final Object value;

    /**
     * Boxes a result.
     *
     * @param value the result
     */
    public Boxed(Object value) {
      this.value = value;
    }
  }

  /**
   * A cancellation. While {@code notified} is false (CANCELLED), {@code waiters} holds the {@link
   * NotifyOnlyCallback}s that {@code setRunningOrNotifyCancel} must still wake.
   */
  public static final class Cancelled extends Outcome {
    /** CANCELLED_AND_NOTIFIED without message or waiters, shared. */
    public static final Cancelled NOTIFIED = new Cancelled(null, null, true);

    /** The message given to {@code cancel(msg)}, or {@code null}. */
    public final String message;

    /** Waiters to wake on notification; always {@code null} once notified. */
    public final CallbackStack waiters;

    /** Whether this is CANCELLED_AND_NOTIFIED. */
    public final boolean notified;

    /**
     * Creates a cancellation outcome.
     *
     * @param message the cancel message, or {@code null}
     * @param waiters waiters to wake on notification, or {@code null}
     * @param notified whether this is CANCELLED_AND_NOTIFIED
     */
    public Cancelled(String message, CallbackStack waiters, boolean notified) {
      this.message = message;
      this.waiters = waiters;
      this.notified = notified;
    }
  }
}
