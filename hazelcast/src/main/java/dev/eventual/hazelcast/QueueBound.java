package dev.eventual.hazelcast;

import dev.eventual.BlockingGuard;
import dev.eventual.WaitInterruptedException;
import java.util.concurrent.RejectedExecutionException;

/**
 * The bound of a {@link ClusterDispatcher}'s local queue ({@code maxQueued}) and what a submit does
 * when the queue is full ({@link QueueFullAction}): fail at once, or wait on the executor's lock
 * until a task leaves the queue. Guarded by that lock (every method is called under it).
 *
 * <pre>
 * field    written by       meaning
 * waiters  refuseOrWait     submitters waiting for room now
 * </pre>
 */
final class QueueBound {
  private final Object lock;
  private final int maxQueued;
  private final QueueFullAction whenFull;
  private int waiters;

  /**
   * Creates the bound of one executor's local queue.
   *
   * @param lock the executor's lock, on which submitters wait
   * @param maxQueued how many tasks may wait here
   * @param whenFull what a submit does when that many wait
   */
  QueueBound(Object lock, int maxQueued, QueueFullAction whenFull) {
    this.lock = lock;
    this.maxQueued = maxQueued;
    this.whenFull = whenFull;
  }

  /**
   * Whether one more task may wait here.
   *
   * @param queued how many tasks wait here now
   * @return true below the bound
   */
  boolean hasRoom(int queued) {
    return queued < maxQueued;
  }

  /**
   * Whether a submitter waits for room: each task that leaves the queue must wake it.
   *
   * @return true if one waits
   */
  boolean hasWaiters() {
    return waiters > 0;
  }

  /**
   * The queue is full: refuses the task, or waits once until the lock is notified (the caller looks
   * again).
   *
   * @throws RejectedExecutionException under {@link QueueFullAction#FAIL}
   * @throws IllegalStateException if this thread may not block ({@link BlockingGuard})
   * @throws WaitInterruptedException if interrupted while waiting (the flag is set again)
   */
  void refuseOrWait() {
    if (whenFull == QueueFullAction.FAIL) {
      throw new RejectedExecutionException(
          "the local queue is full: "
              + maxQueued
              + " tasks wait for room in the members' windows (maxQueued); the task was not"
              + " accepted (QueueFullAction.FAIL)");
    }
    String forbidden = BlockingGuard.blockingForbiddenBy();
    if (forbidden != null) {
      throw new IllegalStateException(
          "submit would wait for room in the full local queue, but this thread may not block ("
              + forbidden
              + ")");
    }
    waiters++;
    try {
      lock.wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WaitInterruptedException(
          "interrupted while waiting for room in the local queue; the task was not accepted", e);
    } finally {
      waiters--;
    }
  }
}
