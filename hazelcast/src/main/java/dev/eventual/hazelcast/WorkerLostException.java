package dev.eventual.hazelcast;

/**
 * The member running a task left the cluster before the task finished, and the task's {@link
 * MemberLossPolicy} is {@link MemberLossPolicy#FAIL_FAST FAIL_FAST} (or it could not run elsewhere:
 * a task sent to one particular member). The task may have run partly, or even fully. The cause is
 * Hazelcast's report of the loss.
 */
public class WorkerLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was lost, and where
   * @param cause Hazelcast's report of the loss
   */
  public WorkerLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
