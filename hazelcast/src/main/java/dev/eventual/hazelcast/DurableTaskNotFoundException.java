package dev.eventual.hazelcast;

/**
 * The cluster holds no task and no result under a {@link DurableTaskId}: the id was never handed
 * out by this durable executor, its result was disposed ({@link
 * HazelcastFutureExecutor#disposeDurable(DurableTaskId)} or Hazelcast's own {@code
 * disposeResult}/{@code retrieveAndDisposeResult}), it was overwritten (a partition's ring buffer
 * keeps the results of its last {@code capacity} tasks, 100 by default), or every member that held
 * it was lost at once (more members than the durable executor's {@code durability} backups).
 */
public class DurableTaskNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which id, and why it may be gone
   * @param cause Hazelcast's report, or null
   */
  public DurableTaskNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
