/**
 * Not API: the envelopes that travel between members (a serialized task and its outcome) and their
 * serializer factory, which Hazelcast finds through the jar's {@code
 * META-INF/services/com.hazelcast.DataSerializerHook}. Public only because Hazelcast instantiates
 * and calls them; the module exports this package only to Hazelcast, and its classes may change in
 * any release.
 *
 * <p>Start at {@link dev.eventual.hazelcast.HazelcastFutureExecutor} instead.
 */
package dev.eventual.hazelcast.internal;
