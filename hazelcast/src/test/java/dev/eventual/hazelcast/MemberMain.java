package dev.eventual.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;

/**
 * A cluster member in its own process, for the process tests: {@code MemberMain clusterName
 * [joinAddress|-] [heartbeatSeconds]} (default heartbeat timeout 5 s). Prints {@code ADDRESS
 * host:port} once it runs, and exits when its standard input closes (or when it is killed).
 */
public final class MemberMain {
  private MemberMain() {}

  /**
   * Starts the member.
   *
   * @param args the cluster name, optionally a member address to join ({@code -} for none) and the
   *     heartbeat timeout in seconds
   * @throws Exception if reading standard input fails
   */
  public static void main(String[] args) throws Exception {
    int heartbeat = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    HazelcastFutureExecutorBuilder b =
        HazelcastFutureExecutor.builder()
            .clusterName(args[0])
            .allowPackages("dev.eventual.hazelcast")
            .heartbeatTimeout(Duration.ofSeconds(heartbeat));
    if (args.length > 1 && !"-".equals(args[1])) {
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
