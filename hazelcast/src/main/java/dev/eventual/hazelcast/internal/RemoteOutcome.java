package dev.eventual.hazelcast.internal;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/**
 * How a task ended on its member: its result, the throwable it threw, or a failure of the member
 * itself while it ran the task (a {@link VirtualMachineError} other than {@link
 * StackOverflowError}, such as {@link OutOfMemoryError}: the member's state, not the task's
 * answer). The payload is serialized there and deserialized by the caller (whose allow-list applies
 * to result and exception classes too).
 *
 * <p>It travels as an {@link IdentifiedDataSerializable} of {@link Envelopes}.
 *
 * <p>Public only because the executor reads it; not part of the API.
 */
public final class RemoteOutcome implements IdentifiedDataSerializable {
  private static final byte RESULT = 0;
  private static final byte EXCEPTION = 1;
  private static final byte MEMBER_FAILURE = 2;

  private byte kind;
  private byte[] payload;

  /** For deserialization ({@link Envelopes}). */
  RemoteOutcome() {}

  private RemoteOutcome(byte kind, byte[] payload) {
    this.kind = kind;
    this.payload = payload;
  }

  /**
   * The outcome of a task that returned {@code value}; a result that cannot be serialized becomes a
   * failure saying so.
   *
   * @param ss the member's serialization service
   * @param value the result
   * @return the outcome
   */
  static RemoteOutcome success(SerializationService ss, Object value) {
    byte[] bytes;
    try {
      bytes = bytes(ss.toData(value));
    } catch (RuntimeException e) {
      return failure(
          ss,
          new HazelcastSerializationException(
              "the task's result, a "
                  + value.getClass().getName()
                  + ", cannot be serialized to travel back: "
                  + e.getMessage(),
              e));
    }
    return new RemoteOutcome(RESULT, bytes);
  }

  /**
   * The outcome of a task that threw {@code thrown}; a throwable that cannot be serialized is
   * replaced by one that names it.
   *
   * @param ss the member's serialization service
   * @param thrown what the task threw
   * @return the outcome
   */
  static RemoteOutcome failure(SerializationService ss, Throwable thrown) {
    boolean member =
        thrown instanceof VirtualMachineError && !(thrown instanceof StackOverflowError);
    byte kind = member ? MEMBER_FAILURE : EXCEPTION;
    try {
      return new RemoteOutcome(kind, bytes(ss.toData(thrown)));
    } catch (RuntimeException | Error e) {
      HazelcastSerializationException replacement =
          new HazelcastSerializationException(
              "the task threw " + thrown + ", which cannot be serialized to travel back");
      replacement.setStackTrace(thrown.getStackTrace());
      return new RemoteOutcome(kind, bytes(ss.toData(replacement)));
    }
  }

  private static byte[] bytes(Data data) {
    return data == null ? null : data.toByteArray();
  }

  /**
   * Whether the task returned normally.
   *
   * @return true for a result, false for a throwable
   */
  public boolean isSuccess() {
    return kind == RESULT;
  }

  /**
   * Whether the member itself failed while it ran the task (it ran out of memory, for example): the
   * payload is that error, not the task's answer.
   *
   * @return true for a failure of the member
   */
  public boolean isMemberFailure() {
    return kind == MEMBER_FAILURE;
  }

  /**
   * Deserializes the result or the throwable with the caller's serialization service.
   *
   * @param ss the caller's serialization service
   * @return the result (may be null) or the throwable
   * @throws RuntimeException if it cannot be deserialized here, for example because its class is
   *     not on the allow-list
   * @throws Error if deserializing it throws one, for example a failing static initializer
   */
  public Object value(SerializationService ss) {
    return payload == null ? null : ss.toObject(new HeapData(payload));
  }

  @Override
  public int getFactoryId() {
    return Envelopes.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return Envelopes.REMOTE_OUTCOME;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(kind);
    out.writeByteArray(payload);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    kind = in.readByte();
    payload = in.readByteArray();
  }
}
