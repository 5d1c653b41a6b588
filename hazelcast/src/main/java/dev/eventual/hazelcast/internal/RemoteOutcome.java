package dev.eventual.hazelcast.internal;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import java.io.IOException;

/**
 * How a task ended on its member: its result or the throwable it threw, serialized there and
 * deserialized by the caller (whose allow-list applies to result and exception classes too).
 *
 * <p>Public only because Hazelcast instantiates it reflectively; not part of the API.
 */
public final class RemoteOutcome implements DataSerializable {
  private boolean success;
  private byte[] payload;

  /** For deserialization. */
  public RemoteOutcome() {}

  private RemoteOutcome(boolean success, byte[] payload) {
    this.success = success;
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
    return new RemoteOutcome(true, bytes);
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
    try {
      return new RemoteOutcome(false, bytes(ss.toData(thrown)));
    } catch (RuntimeException e) {
      HazelcastSerializationException replacement =
          new HazelcastSerializationException(
              "the task threw " + thrown + ", which cannot be serialized to travel back");
      replacement.setStackTrace(thrown.getStackTrace());
      return new RemoteOutcome(false, bytes(ss.toData(replacement)));
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
    return success;
  }

  /**
   * Deserializes the result or the throwable with the caller's serialization service.
   *
   * @param ss the caller's serialization service
   * @return the result (may be null) or the throwable
   * @throws RuntimeException if it cannot be deserialized here, for example because its class is
   *     not on the allow-list
   */
  public Object value(SerializationService ss) {
    return payload == null ? null : ss.toObject(new HeapData(payload));
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeBoolean(success);
    out.writeByteArray(payload);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    success = in.readBoolean();
    payload = in.readByteArray();
  }
}
