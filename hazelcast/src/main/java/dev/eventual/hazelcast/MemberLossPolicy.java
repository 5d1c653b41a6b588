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
  FAIL_FAST
}
