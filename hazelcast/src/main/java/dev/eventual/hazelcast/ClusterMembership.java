package dev.eventual.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What a {@link ClusterDispatcher} learns from the cluster about its members: who joined and who
 * left (Hazelcast's membership events), and which member owns a key's partition now.
 */
final class ClusterMembership {
  private final HazelcastInstance instance;
  private volatile UUID listener;

  /**
   * Creates the view of the cluster of {@code instance}.
   *
   * @param instance the executor's member or client
   */
  ClusterMembership(HazelcastInstance instance) {
    this.instance = instance;
  }

  /**
   * Starts following the membership: {@code added} gets the members there now, then each member
   * that joins; {@code removed} each member that leaves.
   *
   * @param added told of members that joined
   * @param removed told of a member that left
   */
  void follow(Consumer<Iterable<Member>> added, Consumer<Member> removed) {
    listener =
        instance
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {
                    added.accept(List.of(event.getMember()));
                  }

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    removed.accept(event.getMember());
                  }
                });
    added.accept(instance.getCluster().getMembers());
  }

  /** Stops following the membership; an instance already shut down took its listeners along. */
  void stop() {
    UUID id = listener;
    if (id != null) {
      try {
        instance.getCluster().removeMembershipListener(id);
      } catch (RuntimeException alreadyDown) {
        // the instance is shut down: its listeners went with it
      }
    }
  }

  /**
   * Returns the member that owns the key's partition.
   *
   * @param key the partition key
   * @return its owner, or null while it is unknown (a client not connected yet, a migration, a
   *     member shutting down)
   */
  Member ownerOf(Object key) {
    try {
      Partition p = instance.getPartitionService().getPartition(key);
      return p == null ? null : p.getOwner();
    } catch (RuntimeException notNow) {
      return null; // a client not connected, a member shutting down: unknown for now
    }
  }
}
