package dev.eventual;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tasks of a {@link FutureExecutor#wrap} adapter that may not have started yet: what {@code
 * shutdown(cancelFutures=true)} cancels, and what is swept after the service has terminated.
 *
 * <p>The submitting threads pay for it and the workers do not: adding a task is an append to a
 * lock-free queue, and a worker that starts a task touches nothing here. Tasks that have started
 * (or settled) are dropped lazily by the adding threads: each add first drops up to two of them
 * from the head of the queue (services run tasks roughly in the order they were given, so the queue
 * stays about as long as the service's own), and once the queue has grown to twice its size after
 * the last full sweep, the adding thread sweeps it whole, so that a task stuck at the head cannot
 * make it grow without bound. Each add costs amortized constant work.
 */
final class UnstartedTasks {
  /** The smallest size at which a full sweep happens. */
  static final int MIN_SWEEP = 64;

  private final ConcurrentLinkedQueue<TaskFuture<?>> queue = new ConcurrentLinkedQueue<>();

  /** About how many tasks the queue holds (adds minus drops; a concurrent sweep may blur it). */
  private final AtomicInteger size = new AtomicInteger();

  /** The size at which the next add sweeps the whole queue. */
  private volatile int sweepAt = MIN_SWEEP;

  /** Set once by {@link #cancelAll()}: from then on every task added is cancelled too. */
  private volatile boolean cancelling;

  /**
   * Adds a task that has not started. After {@link #cancelAll()}, the task (and any other task this
   * call had to take out and put back) is cancelled and notified.
   *
   * @param task the task
   */
  void add(TaskFuture<?> task) {
    TaskFuture<?> putBack = dropStartedAtHead();
    queue.offer(task);
    if (size.incrementAndGet() >= sweepAt) {
      sweep();
    }
    if (cancelling) {
      // cancelAll() may have looked at the queue before these were (back) in it.
      task.cancelAndNotify();
      if (putBack != null) {
        putBack.cancelAndNotify();
      }
    }
  }

  /**
   * Drops up to two started tasks from the head.
   *
   * @return a task that was taken out of the queue unstarted and put back, or null
   */
  private TaskFuture<?> dropStartedAtHead() {
    for (int i = 0; i < 2; i++) {
      TaskFuture<?> head = queue.peek();
      if (head == null || !head.hasStartedOrSettled()) {
        return null;
      }
      TaskFuture<?> taken = queue.poll();
      if (taken == null) {
        return null;
      }
      if (!taken.hasStartedOrSettled()) {
        // Another thread dropped the started head first and this poll took the next one.
        queue.offer(taken);
        return taken;
      }
      size.decrementAndGet();
    }
    return null;
  }

  /** Drops every started task, and sets the next sweep at twice what is left. */
  private void sweep() {
    queue.removeIf(TaskFuture::hasStartedOrSettled);
    int left = queue.size();
    size.set(left);
    sweepAt = Math.max(MIN_SWEEP, 2 * left);
  }

  /**
   * Cancels and notifies every task that has not started, now and (through {@link #add}) from now
   * on.
   */
  void cancelAll() {
    cancelling = true;
    for (TaskFuture<?> task : queue) {
      task.cancelAndNotify();
    }
  }

  /** Cancels and notifies every task that is still here and unsettled: the service dropped them. */
  void cancelRemaining() {
    for (TaskFuture<?> task : queue) {
      task.cancelAndNotify();
    }
  }

  /**
   * The tasks that have not started or settled, oldest first, for tests.
   *
   * @return a snapshot
   */
  List<TaskFuture<?>> unstarted() {
    List<TaskFuture<?>> out = new ArrayList<>();
    for (TaskFuture<?> task : queue) {
      if (!task.hasStartedOrSettled()) {
        out.add(task);
      }
    }
    return out;
  }

  /**
   * How many entries the queue holds, started ones not yet dropped included, for tests.
   *
   * @return the queue's length
   */
  int retained() {
    return queue.size();
  }
}
