package dev.eventual.hazelcast;

/**
 * What happens to a task whose member leaves the cluster (crashes, is killed, or stops answering
 * heartbeats) while the task runs there.
 */
public enum MemberLossPolicy {
  /**
   * Run the task again on another member (a keyed task: on its partition's new owner), under the
   * task's {@link RetryPolicy} ({@link RetryPolicy.Failure#MEMBER_LOST}: by default up to 10
   * attempts in about 5 s); once the attempts are spent, the future fails with {@link
   * WorkerLostException}. <b>The task may run twice</b> (or more): the lost member may have done
   * part or all of the work before it died. Use it for idempotent tasks.
   */
  AT_LEAST_ONCE,

  /**
   * Fail the task's future with a {@link WorkerLostException} as soon as the cluster notices the
   * loss (about half a second for a member that exits or is killed; the heartbeat timeout for a
   * frozen one). The task runs at most once, and the exception means it may have run: a task that
   * certainly never reached the lost member is sent to a live one instead. The default.
   */
  FAIL_FAST,

  /**
   * Store the task, and later its result, in Hazelcast's durable executor ({@code
   * IDurableExecutorService}, open-source edition): on the owner of a partition and its {@code
   * durability} backups (1 by default). If the member running the task is lost, the backup that
   * takes over the partition runs it again, so <b>the task may run twice</b>, as under {@link
   * #AT_LEAST_ONCE}. The result outlives the client that submitted the task: the future is a {@link
   * DurableFuture} whose {@link DurableTaskId} any client can {@link
   * HazelcastFutureExecutor#reattach(DurableTaskId) re-attach} to later.
   *
   * <p>A durable task does not use the windows and the local queue: {@code submit} blocks until the
   * partition's owner and backups stored the task (one round trip), and throws {@link
   * java.util.concurrent.RejectedExecutionException} if the cluster refused it (the partition's
   * ring buffer is full of running tasks: {@code capacity}, 100 by default). A partition keeps the
   * results of its last {@code capacity} tasks; older ones are overwritten. Everything is in the
   * members' memory: a durable task is lost if its owner and all its backups are lost at once, or
   * the whole cluster stops. While the result is fetched, a lost member is retried under the task's
   * {@link RetryPolicy} ({@link RetryPolicy.Failure#MEMBER_LOST}).
   */
  DURABLE
}
