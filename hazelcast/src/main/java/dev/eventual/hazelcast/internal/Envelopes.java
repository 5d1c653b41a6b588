package dev.eventual.hazelcast.internal;

import com.hazelcast.internal.serialization.DataSerializerHook;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The serializer factory of the envelopes that travel with every task ({@link RemoteCall} and
 * {@link RemoteOutcome}): they are {@link IdentifiedDataSerializable}, so Hazelcast writes two ints
 * instead of their class name and creates them here without reflection.
 *
 * <p>Every member and client with eventual-hazelcast on its class path registers this factory by
 * itself: the jar lists it in {@code META-INF/services/com.hazelcast.DataSerializerHook}, the file
 * Hazelcast reads its own factories from (a shaded jar must merge that file, as it must for
 * Hazelcast's own). Where a class loader hides the file, register the factory in the member's
 * serialization configuration under {@link #FACTORY_ID}:
 *
 * <pre>
 * serialization:
 *   data-serializable-factories:
 *     - factory-id: 1702260340
 *       class-name: dev.eventual.hazelcast.internal.Envelopes
 * </pre>
 *
 * The id can be changed with the system property {@value #FACTORY_ID_PROPERTY} (the same on every
 * member and client) if it collides with an application's factory.
 *
 * <p>Public only because Hazelcast instantiates it reflectively; not part of the API.
 */
public final class Envelopes implements DataSerializerHook, DataSerializableFactory {
  /** The system property that changes {@link #FACTORY_ID}. */
  public static final String FACTORY_ID_PROPERTY = "dev.eventual.hazelcast.factoryId";

  /** The factory id of eventual's envelopes: "evnt" in ASCII, unless the property changes it. */
  public static final int FACTORY_ID = Integer.getInteger(FACTORY_ID_PROPERTY, 0x65766e74);

  /** The class id of {@link RemoteCall}. */
  static final int REMOTE_CALL = 1;

  /** The class id of {@link RemoteOutcome}. */
  static final int REMOTE_OUTCOME = 2;

  /** For Hazelcast's service loader and the {@code data-serializable-factories} configuration. */
  public Envelopes() {}

  /**
   * Returns the factory id under which Hazelcast registers this factory.
   *
   * @return {@link #FACTORY_ID}
   */
  @Override
  public int getFactoryId() {
    return FACTORY_ID;
  }

  /**
   * Returns the factory itself (it keeps no state).
   *
   * @return this
   */
  @Override
  public DataSerializableFactory createFactory() {
    return this;
  }

  /**
   * Creates an empty envelope for Hazelcast to fill.
   *
   * @param typeId the class id written with it
   * @return the envelope, or null for an id this factory does not know (Hazelcast then says so)
   */
  @Override
  public IdentifiedDataSerializable create(int typeId) {
    switch (typeId) {
      case REMOTE_CALL:
        return new RemoteCall();
      case REMOTE_OUTCOME:
        return new RemoteOutcome();
      default:
        return null;
    }
  }

  /**
   * Whether {@code o} is this factory too: registered both by the service file and by
   * configuration, Hazelcast keeps one and logs a warning instead of refusing to start.
   *
   * @param o another object
   * @return true for any {@code Envelopes}
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Envelopes;
  }

  @Override
  public int hashCode() {
    return Envelopes.class.hashCode();
  }

  /**
   * Whether {@code error}, met while a member read a task or a client read its outcome, means that
   * this factory is not registered there.
   *
   * @param error what Hazelcast reported
   * @return true if it names this factory's id as unknown
   */
  public static boolean isMissingFactory(Throwable error) {
    String unknown = "No DataSerializerFactory registered for namespace: " + FACTORY_ID;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      int at = m == null ? -1 : m.indexOf(unknown);
      int end = at + unknown.length();
      if (at >= 0 && (end == m.length() || !Character.isDigit(m.charAt(end)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Explains a missing factory: where it is missing and how to register it.
   *
   * @param where the member or client that could not read an envelope
   * @return the explanation
   */
  public static String missingFactoryMessage(String where) {
    return where
        + " cannot read eventual's task envelopes: their serializer factory (id "
        + FACTORY_ID
        + ") is not registered there. Put eventual-hazelcast on its class path with its"
        + " META-INF/services/com.hazelcast.DataSerializerHook (a shaded jar must merge service"
        + " files), or register "
        + Envelopes.class.getName()
        + " under that factory id in its serialization configuration; the system property "
        + FACTORY_ID_PROPERTY
        + " must be the same everywhere";
  }
}
