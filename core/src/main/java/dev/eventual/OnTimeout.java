package dev.eventual;

/**
 * What a deadline set with {@link ConcurrentFuture#withTimeout(java.time.Duration, OnTimeout)} or
 * {@link ConcurrentFuture#withTimeoutFallback(java.time.Duration, Object, OnTimeout)} does to the
 * work behind the future when the time is up (or when the future it returned is cancelled).
 */
public enum OnTimeout {
  /**
   * Leave the original future alone: its work goes on and its outcome stays available to whoever
   * else holds it. Cancelling the deadline's future does not cancel it either.
   */
  LEAVE_RUNNING,

  /**
   * Cancel the original future with {@link ConcurrentFuture#cancel(boolean) cancel(false)}: a task
   * not yet started never runs, a running one is abandoned (its result is dropped) but not
   * interrupted.
   */
  CANCEL,

  /**
   * Cancel the original future with {@link ConcurrentFuture#cancel(boolean) cancel(true)}: as
   * {@link #CANCEL}, and the thread running the task is interrupted (for the futures of executors,
   * which know their thread).
   */
  CANCEL_AND_INTERRUPT
}
