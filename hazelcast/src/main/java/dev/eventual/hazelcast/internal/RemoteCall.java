package dev.eventual.hazelcast.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * What travels to the member that runs a task: the user's task, already serialized by the caller
 * (so a task that cannot travel fails at {@code submit}), and whether it is a {@link Callable} or a
 * {@link Runnable}. On the member it deserializes the task with the member's own serialization
 * service, whose allow-list applies, runs it, and returns a {@link RemoteOutcome}: the task's own
 * exception is a value there, never a Hazelcast failure, so it comes back as itself.
 *
 * <p>It travels as an {@link IdentifiedDataSerializable} of {@link Envelopes}: a header of two ints
 * and the task's bytes, which the member reads as they came (no second serialization of the task).
 *
 * <p>Public only because Hazelcast's executor calls it; not part of the API.
 */
public final class RemoteCall
    implements Callable<RemoteOutcome>, IdentifiedDataSerializable, HazelcastInstanceAware {
  /** The member whose thread runs a call right now, for the executor's self-wait check. */
  private static final ThreadLocal<HazelcastInstance> RUNNING_ON = new ThreadLocal<>();

  private byte[] task;
  private boolean runnable;
  private transient HazelcastInstance instance;

  /** For deserialization ({@link Envelopes}). */
  RemoteCall() {}

  /**
   * Creates the call of a serialized task.
   *
   * @param task the task's serialized form ({@code Data} bytes)
   * @param runnable whether the task is a {@link Runnable} (else a {@link Callable})
   */
  public RemoteCall(byte[] task, boolean runnable) {
    this.task = task;
    this.runnable = runnable;
  }

  /**
   * Receives the member that runs this call.
   *
   * @param instance the member
   */
  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.instance = instance;
  }

  /**
   * Deserializes and runs the task on this member.
   *
   * @return the outcome: the task's result or whatever it threw, serialized
   */
  @Override
  public RemoteOutcome call() {
    SerializationService ss = serializationService(instance);
    Object t;
    try {
      t = ss.toObject(new HeapData(task));
    } catch (RuntimeException | Error refused) {
      // e.g. the member's allow-list refused the class: the caller learns why
      return RemoteOutcome.failure(ss, refused);
    }
    HazelcastInstance before = RUNNING_ON.get();
    RUNNING_ON.set(instance);
    try {
      if (runnable) {
        ((Runnable) t).run();
        return RemoteOutcome.success(ss, null);
      }
      return RemoteOutcome.success(ss, ((Callable<?>) t).call());
    } catch (Throwable thrown) {
      return RemoteOutcome.failure(ss, thrown);
    } finally {
      RUNNING_ON.set(before);
    }
  }

  /**
   * Returns the member on whose thread a call runs right now: an embedded member's executor refuses
   * a {@code shutdown(wait=true)} from there, which would wait for the task that calls it.
   *
   * @return the member, or {@code null} if the current thread runs no call
   */
  public static HazelcastInstance runningOn() {
    return RUNNING_ON.get();
  }

  /**
   * Returns the serialization service of a member or client.
   *
   * @param instance the member or client
   * @return its serialization service
   */
  public static SerializationService serializationService(HazelcastInstance instance) {
    return ((SerializationServiceSupport) instance).getSerializationService();
  }

  /**
   * A constant name: Hazelcast's executor names each task it runs by its {@code toString()}, which
   * for an object without one would compute its identity hash.
   *
   * @return the envelope's name
   */
  @Override
  public String toString() {
    return "eventual task";
  }

  @Override
  public int getFactoryId() {
    return Envelopes.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return Envelopes.REMOTE_CALL;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeBoolean(runnable);
    out.writeByteArray(task);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    runnable = in.readBoolean();
    task = in.readByteArray();
  }
}
