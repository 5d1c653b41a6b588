package dev.eventual.hazelcast;

import java.io.Serializable;
import java.util.Objects;

/**
 * The id of a {@link MemberLossPolicy#DURABLE DURABLE} task: the name of the durable executor that
 * stores it, its partition and its sequence in that partition's ring buffer. It is what a client
 * keeps (in a database, a file, a message) to re-attach a future to the task later, from any
 * process, with {@link HazelcastFutureExecutor#reattach(DurableTaskId)}.
 *
 * <p>Printed as {@code <executorName>:<partitionId>:<sequence>}, for example {@code
 * eventual:117:3}; {@link #parse(String)} reads that form back (the name may itself contain {@code
 * ':'}: the last two fields are the numbers).
 *
 * <p>A value: equal ids have equal parts; immutable and serializable.
 */
public final class DurableTaskId implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The name of the durable executor service that stores the task. */
  private final String executorName;

  /** The partition whose ring buffer holds the task. */
  private final int partitionId;

  /** The task's sequence in that ring buffer. */
  private final int sequence;

  /**
   * Creates an id from its parts.
   *
   * @param executorName the name of the durable executor service that stores the task
   * @param partitionId the partition whose ring buffer holds the task and, later, its result
   * @param sequence the task's sequence in that ring buffer
   * @throws NullPointerException if {@code executorName} is null
   * @throws IllegalArgumentException if {@code executorName} is empty, or {@code partitionId} or
   *     {@code sequence} is negative
   */
  public DurableTaskId(String executorName, int partitionId, int sequence) {
    Objects.requireNonNull(executorName, "executorName must not be null");
    if (executorName.isEmpty()) {
      throw new IllegalArgumentException("executorName must not be empty");
    }
    if (partitionId < 0) {
      throw new IllegalArgumentException("partitionId must not be negative: " + partitionId);
    }
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative: " + sequence);
    }
    this.executorName = executorName;
    this.partitionId = partitionId;
    this.sequence = sequence;
  }

  /**
   * Returns the name of the durable executor service that stores the task.
   *
   * @return the executor name
   */
  public String executorName() {
    return executorName;
  }

  /**
   * Returns the partition whose ring buffer holds the task and, later, its result.
   *
   * @return the partition id
   */
  public int partitionId() {
    return partitionId;
  }

  /**
   * Returns the task's sequence in its partition's ring buffer.
   *
   * @return the sequence
   */
  public int sequence() {
    return sequence;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DurableTaskId
        && ((DurableTaskId) o).partitionId == partitionId
        && ((DurableTaskId) o).sequence == sequence
        && ((DurableTaskId) o).executorName.equals(executorName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(executorName, partitionId, sequence);
  }

  /** The id of Hazelcast's durable executor future ({@code DurableExecutorServiceFuture}). */
  static DurableTaskId of(String executorName, long hazelcastTaskId) {
    return new DurableTaskId(
        executorName, (int) (hazelcastTaskId >>> 32), (int) (hazelcastTaskId & 0xFFFF_FFFFL));
  }

  /**
   * Returns the task id as Hazelcast's own {@code IDurableExecutorService} knows it (partition in
   * the high half, sequence in the low half), for {@code retrieveResult}, {@code disposeResult} and
   * {@code retrieveAndDisposeResult}.
   *
   * @return Hazelcast's task id
   */
  public long hazelcastTaskId() {
    return ((long) partitionId << 32) | (sequence & 0xFFFF_FFFFL);
  }

  /**
   * Reads an id printed by {@link #toString()}.
   *
   * @param text {@code <executorName>:<partitionId>:<sequence>}
   * @return the id
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if {@code text} does not have that form
   */
  public static DurableTaskId parse(String text) {
    Objects.requireNonNull(text, "text must not be null");
    int last = text.lastIndexOf(':');
    int middle = last <= 0 ? -1 : text.lastIndexOf(':', last - 1);
    if (middle <= 0) {
      throw malformed(text, null);
    }
    try {
      return new DurableTaskId(
          text.substring(0, middle),
          Integer.parseInt(text.substring(middle + 1, last)),
          Integer.parseInt(text.substring(last + 1)));
    } catch (IllegalArgumentException e) { // NumberFormatException too
      throw malformed(text, e);
    }
  }

  private static IllegalArgumentException malformed(String text, Exception cause) {
    return new IllegalArgumentException(
        "text is not a durable task id of the form <executorName>:<partitionId>:<sequence>"
            + " (numbers not negative): '"
            + text
            + "'",
        cause);
  }

  /**
   * Returns {@code <executorName>:<partitionId>:<sequence>}, which {@link #parse(String)} reads.
   *
   * @return the printed id
   */
  @Override
  public String toString() {
    return executorName + ":" + partitionId + ":" + sequence;
  }
}
