/**
 * Not API: the objects that travel between members (a serialized task and its outcome). Public only
 * because Hazelcast instantiates them reflectively; the module exports this package only to
 * Hazelcast, and its classes may change in any release.
 *
 * <p>Start at {@link dev.eventual.hazelcast.HazelcastFutureExecutor} instead.
 */
package dev.eventual.hazelcast.internal;
