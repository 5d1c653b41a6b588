package dev.eventual;

/**
 * The states of a {@link ConcurrentFuture}, by CPython's names ({@code concurrent.futures._base}).
 *
 * <pre>
 *   PENDING ──setRunningOrNotifyCancel──▶ RUNNING ──setResult/setException──▶ FINISHED
 *      │  └──────────────setResult/setException──────────────────────────────▶ FINISHED
 *      └─cancel──▶ CANCELLED ──setRunningOrNotifyCancel──▶ CANCELLED_AND_NOTIFIED
 *   RUNNING ──cancel(true|false) (JDK only)──▶ CANCELLED_AND_NOTIFIED
 * </pre>
 */
public enum FutureState {
  /** Not started, not done. */
  PENDING,
  /** Started by an executor; Python's {@code cancel()} now fails. */
  RUNNING,
  /** Cancelled; {@code wait} and {@code asCompleted} do not see it yet. */
  CANCELLED,
  /** Cancelled, and the executor acknowledged it; done for every observer. */
  CANCELLED_AND_NOTIFIED,
  /** Has a result or an exception. */
  FINISHED
}
