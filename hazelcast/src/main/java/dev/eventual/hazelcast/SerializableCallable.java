package dev.eventual.hazelcast;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that Java serialization can send to another member: a lambda written where one
 * is expected is serializable (when what it captures is).
 *
 * <pre>{@code
 * executor.submit((SerializableCallable<Integer>) () -> 6 * 7);
 * executor.submitToKeyOwner("order-17", () -> price("order-17")); // the parameter's type
 * }</pre>
 *
 * @param <V> the result type
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {}
