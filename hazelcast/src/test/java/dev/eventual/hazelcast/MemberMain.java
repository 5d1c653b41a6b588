package dev.eventual.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A cluster member in its own process, for the process tests: {@code MemberMain clusterName
 * [joinAddress|-] [heartbeatSeconds]} (default heartbeat timeout 5 s). Prints {@code ADDRESS
 * host:port} once it runs, and exits when its standard input closes (or when it is killed). A line
 * {@code safe} on its standard input makes it wait (up to 60 s) until the cluster is safe, no
 * migration running and every backup in sync ({@code PartitionService.isClusterSafe()}), and print
 * {@code SAFE true} (or {@code SAFE false} if it was not safe in time).
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
            .heartbeatTimeout(Duration.ofSeconds(heartbeat))
            .loggingType(System.getProperty("hazelcast.logging.type", "none"));
    if (args.length > 1 && !"-".equals(args[1])) {
      b.joining(args[1]);
    }
    HazelcastInstance member = Hazelcast.newHazelcastInstance(b.memberConfig());
    System.out.println("ADDRESS " + MemberLossTest.address(member));
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if ("safe".equals(line.trim())) {
        System.out.println("SAFE " + awaitSafe(member));
        System.out.flush();
      }
    }
    member.getLifecycleService().terminate();
    System.exit(0);
  }

  private static boolean awaitSafe(HazelcastInstance member) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!member.getPartitionService().isClusterSafe()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
