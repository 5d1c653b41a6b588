package dev.eventual.hazelcast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Takes tasks out of a {@link ClusterDispatcher}'s local queues (the shared queue and each member's
 * bound queue), under the executor's lock: the ones cancelled while they waited, to make room in a
 * full queue, and the ones never sent, for {@code shutdown(cancelFutures=true)}.
 */
final class QueueSweeps {
  private static final CancellationException CANCELLED_WHILE_QUEUED =
      new CancellationException("cancelled while it waited in the local queue");

  private QueueSweeps() {}

  /**
   * Removes the tasks cancelled while they waited, marked to end without a slot.
   *
   * @return them, or null if there were none
   */
  static ArrayList<ClusterTaskFuture<?>> cancelled(
      ArrayDeque<ClusterTaskFuture<?>> queue, Iterable<MemberWindow> windows) {
    ArrayList<ClusterTaskFuture<?>> cancelled = new ArrayList<>();
    takeCancelled(queue, cancelled);
    for (MemberWindow w : windows) {
      takeCancelled(w.bound, cancelled);
    }
    return cancelled.isEmpty() ? null : cancelled;
  }

  private static void takeCancelled(
      ArrayDeque<ClusterTaskFuture<?>> from, List<ClusterTaskFuture<?>> to) {
    from.removeIf(
        f -> {
          if (f.started || !f.isCancelled()) {
            return false;
          }
          f.failWith = CANCELLED_WHILE_QUEUED; // never applied: dispatch finds it cancelled
          to.add(f);
          return true;
        });
  }

  /** Removes the tasks that were never sent (a second attempt may have run: it stays). */
  static List<ClusterTaskFuture<?>> unsent(
      ArrayDeque<ClusterTaskFuture<?>> queue, Iterable<MemberWindow> windows) {
    List<ClusterTaskFuture<?>> removed = new ArrayList<>();
    takeUnsent(queue, removed);
    for (MemberWindow w : windows) {
      takeUnsent(w.bound, removed);
    }
    return removed;
  }

  private static void takeUnsent(
      ArrayDeque<ClusterTaskFuture<?>> from, List<ClusterTaskFuture<?>> to) {
    from.removeIf(
        f -> {
          if (f.started) {
            return false; // a second attempt: it may have run, it goes on
          }
          to.add(f);
          return true;
        });
  }
}
