package dev.eventual;

/**
 * When {@link Futures#wait(java.util.Collection, java.time.Duration, ReturnWhen) Futures.wait}
 * returns: the {@code return_when} constants of Python's {@code concurrent.futures}.
 *
 * <p>"Done" here has CPython's meaning: FINISHED (a result or an exception) or
 * CANCELLED_AND_NOTIFIED. A future that is CANCELLED but whose executor has not yet acknowledged
 * the cancellation ({@link ConcurrentFuture#setRunningOrNotifyCancel()}) is not done for {@code
 * wait}.
 */
public enum ReturnWhen {
  /** Return when any future finishes or is cancelled (and notified). */
  FIRST_COMPLETED,

  /**
   * Return when any future finishes by raising an exception. If no future raises an exception, this
   * is equivalent to {@link #ALL_COMPLETED}. As in CPython, a cancelled future is not an exception:
   * it counts as completed and does not end the wait early.
   */
  FIRST_EXCEPTION,

  /** Return when all futures finish or are cancelled (and notified). The default. */
  ALL_COMPLETED
}
