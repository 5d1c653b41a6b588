/**
 * eventual-hazelcast: a {@link dev.eventual.FutureExecutor} that runs tasks on a Hazelcast cluster
 * and hands out eventual's own {@link dev.eventual.ConcurrentFuture}.
 *
 * <p>Exports {@code dev.eventual.hazelcast}. The classes that travel between members live in {@code
 * dev.eventual.hazelcast.internal}, exported only to Hazelcast (whose jar is the automatic module
 * {@code com.hazelcast.core}), which instantiates them when it deserializes them.
 */
module dev.eventual.hazelcast {
  requires transitive dev.eventual;
  requires transitive com.hazelcast.core;

  exports dev.eventual.hazelcast;
  exports dev.eventual.hazelcast.internal to
      com.hazelcast.core;
}
