package dev.eventual.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * A cluster member in its own process, for {@link MemberProcessTest}: {@code MemberMain clusterName
 * [joinAddress]}. Prints {@code ADDRESS host:port} once it runs, and exits when its standard input
 * closes (or when it is killed).
 */
public final class MemberMain {
  private MemberMain() {}

  /**
   * Starts the member.
   *
   * @param args the cluster name, and optionally a member address to join
   * @throws Exception if reading standard input fails
   */
  public static void main(String[] args) throws Exception {
    HazelcastFutureExecutorBuilder b =
        HazelcastFutureExecutor.builder()
            .clusterName(args[0])
            .allowPackages("dev.eventual.hazelcast")
            .heartbeatTimeout(java.time.Duration.ofSeconds(5));
    if (args.length > 1) {
      b.joining(args[1]);
    }
    HazelcastInstance member = Hazelcast.newHazelcastInstance(b.memberConfig());
    System.out.println("ADDRESS " + MemberLossTest.address(member));
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the test to close our input
    }
    member.getLifecycleService().terminate();
    System.exit(0);
  }
}
