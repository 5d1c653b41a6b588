package dev.eventual.hazelcast;

/**
 * What {@code submit} does when the in-flight windows of the members and the executor's local queue
 * ({@link HazelcastFutureExecutorBuilder#maxQueued}) are full.
 */
public enum QueueFullAction {
  /**
   * Wait until a task leaves the local queue (the default): the submitting thread is slowed down to
   * the cluster's pace. Interrupting it throws {@link dev.eventual.WaitInterruptedException};
   * shutting the executor down throws {@link java.util.concurrent.RejectedExecutionException}.
   */
  WAIT,
  /** Throw {@link java.util.concurrent.RejectedExecutionException} at once, accepting nothing. */
  FAIL
}
