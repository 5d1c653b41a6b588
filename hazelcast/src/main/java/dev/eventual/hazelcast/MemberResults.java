package dev.eventual.hazelcast;

import com.hazelcast.cluster.Member;
import dev.eventual.ConcurrentFuture;
import dev.eventual.Futures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The futures of a task sent to every member ({@link HazelcastFutureExecutor#submitToAll}): one per
 * member, and one that combines them.
 *
 * @param <V> the result type
 */
public final class MemberResults<V> {
  private final Map<Member, ConcurrentFuture<V>> futures;
  private final ConcurrentFuture<List<V>> combined;

  MemberResults(Map<Member, ConcurrentFuture<V>> futures) {
    this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    this.combined = Futures.combine(new ArrayList<>(this.futures.values()));
  }

  /**
   * Returns each member's future, in the cluster's member order.
   *
   * @return an unmodifiable map from member to the future of the task it runs
   */
  public Map<Member, ConcurrentFuture<V>> futures() {
    return futures;
  }

  /**
   * Returns the future of all results, in the order of {@link #futures()}: {@link Futures#combine},
   * so it completes when every member's task is done and fails with the first failure.
   *
   * @return the combined future
   */
  public ConcurrentFuture<List<V>> combined() {
    return combined;
  }
}
