package dev.eventual.hazelcast;

import dev.eventual.ConcurrentFuture;

/**
 * The future of a {@link MemberLossPolicy#DURABLE DURABLE} task, from {@code submit} or from {@link
 * HazelcastFutureExecutor#reattach(DurableTaskId)}: a {@link ConcurrentFuture} that also knows the
 * {@link #taskId()} under which the cluster stores the task and its result.
 *
 * <p>It is RUNNING from the start: the task is stored on the cluster (with its backups) before
 * {@code submit} returns. <b>Differences from the JDK and Python:</b> {@code cancel} ends only this
 * future (and frees its place in the executor); Hazelcast's durable executor cannot cancel a stored
 * task, so the task still runs, and its result can still be fetched with {@code reattach}.
 *
 * @param <V> the result type
 */
public final class DurableFuture<V> extends ConcurrentFuture<V> {
  private final DurableTaskId taskId;
  final RetryPolicy retry;

  DurableFuture(DurableTaskId taskId, RetryPolicy retry) {
    this.taskId = taskId;
    this.retry = retry;
  }

  /**
   * Returns the id under which the cluster stores the task and its result; print it, keep it, and
   * re-attach to it from any client with {@link HazelcastFutureExecutor#reattach(DurableTaskId)}.
   *
   * @return the task id
   */
  public DurableTaskId taskId() {
    return taskId;
  }
}
