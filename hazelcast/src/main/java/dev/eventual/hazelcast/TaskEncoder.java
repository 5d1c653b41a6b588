package dev.eventual.hazelcast;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationClassNameFilter;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import dev.eventual.internal.ExecutorLifecycle;
import java.io.Serializable;
import java.util.Objects;

/**
 * Turns a task into the bytes that travel to a member, at {@code submit}: the allow-list, the
 * executor's state and serializability are checked there, so a task that cannot travel is refused
 * at once with an error that says why.
 */
final class TaskEncoder {
  private final HazelcastFutureExecutor owner;
  private final ExecutorLifecycle lifecycle;
  private final Object lock;
  private final SerializationClassNameFilter filter;
  private final SerializationService serialization;

  TaskEncoder(
      HazelcastFutureExecutor owner,
      ExecutorLifecycle lifecycle,
      SerializationClassNameFilter filter,
      SerializationService serialization) {
    this.owner = owner;
    this.lifecycle = lifecycle;
    this.lock = lifecycle.lock();
    this.filter = filter;
    this.serialization = serialization;
  }

  /**
   * Checks and serializes a task: the caller learns at once if it cannot travel.
   *
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws java.util.concurrent.RejectedExecutionException if the executor was shut down
   */
  byte[] encode(Object task) {
    Objects.requireNonNull(task, "task must not be null");
    lifecycle.checkAccepting();
    String name = task.getClass().getName();
    try {
      filter.filter(name);
    } catch (SecurityException e) {
      throw new SecurityException(
          "task class "
              + name
              + " is not on the deserialization allow-list, so no member would run it; allow it"
              + " with HazelcastFutureExecutor.builder().allowClasses(...), allowPackages(...) or"
              + " allowPrefixes(...)",
          e);
    }
    if (!owner.instanceRunning()) {
      synchronized (lock) {
        owner.checkInstanceRunning(); // a stopped client cannot serialize: say why, not "cannot
        // travel"
      }
    }
    Data data;
    try {
      data = serialization.toData(task);
    } catch (HazelcastInstanceNotActiveException e) {
      synchronized (lock) {
        owner.checkInstanceRunning();
      }
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "task cannot be serialized, so it cannot be sent to a member: "
              + name
              + " ("
              + rootMessage(e)
              + "); make it java.io.Serializable (a lambda: write it where a"
              + " SerializableCallable is expected) with serializable captured values",
          e);
    }
    if ((data.getType() == SerializationConstants.TYPE_COMPACT
            || data.getType() == SerializationConstants.TYPE_COMPACT_WITH_SCHEMA)
        && !(task instanceof Serializable)) {
      // zero-configuration Compact accepts almost any class, and a member without it would get a
      // GenericRecord: tasks travel by Java serialization or a serializer registered for them
      throw new IllegalArgumentException(
          "task cannot be serialized, so it cannot be sent to a member: "
              + name
              + " is not java.io.Serializable (only zero-configuration Compact could write it); a"
              + " lambda: write it where a SerializableCallable is expected");
    }
    return data.toByteArray();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t;
  }
}
