/**
 * A {@link dev.eventual.FutureExecutor} that runs tasks on a Hazelcast cluster and hands out
 * eventual's own {@link dev.eventual.ConcurrentFuture}, so {@code Futures.wait}, {@code
 * asCompleted} and {@code continueWith} work on cluster tasks as on local ones.
 *
 * <h2>Where to start</h2>
 *
 * <ul>
 *   <li>{@link dev.eventual.hazelcast.HazelcastFutureExecutor#builder()}: an executor on an
 *       embedded member (the default), on a cluster the member joins, or through a client.
 *   <li>{@link dev.eventual.hazelcast.SerializableCallable}: tasks travel to members, so they must
 *       be serializable; the classes a member may deserialize are allow-listed.
 *   <li>{@link dev.eventual.hazelcast.MemberLossPolicy} and {@link
 *       dev.eventual.hazelcast.WorkerLostException}: what happens to a task whose member leaves.
 * </ul>
 */
package dev.eventual.hazelcast;
