package dev.eventual.hazelcast;

/**
 * What happens to a task whose member leaves the cluster (crashes, is killed, or stops answering
 * heartbeats) while the task runs there.
 */
public enum MemberLossPolicy {
  /**
   * Run the task again on another member. The task is routed by a key (its partition owner runs
   * it); when that member is lost, Hazelcast retries the call on the partition's new owner, and the
   * executor resubmits it if a loss still reaches it. <b>The task may run twice</b> (or more): the
   * lost member may have done part or all of the work before it died. Use it for idempotent tasks.
   */
  AT_LEAST_ONCE,

  /**
   * Fail the task's future with a {@link WorkerLostException} as soon as the cluster notices the
   * loss (about half a second for a member that exits or is killed; the heartbeat timeout for a
   * frozen one). The task runs at most once. The default.
   */
  FAIL_FAST
}
