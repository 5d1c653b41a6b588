package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The executor as a Hazelcast client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientModeTest {
  @Test
  void aClientConnectsToTheMembersAndSubmits() {
    HazelcastFutureExecutorBuilder b =
        HazelcastFutureExecutor.builder().allowPackages("dev.eventual.hazelcast");
    HazelcastInstance member = Hazelcast.newHazelcastInstance(b.memberConfig());
    try {
      ClientConfig cc = new ClientConfig().setClusterName(b.clusterName());
      cc.getNetworkConfig().addAddress(MemberLossTest.address(member));
      try (HazelcastFutureExecutor client = b.client(cc).build()) {
        assertThat(client.submit(new Tasks.Square(12)).result(Duration.ofSeconds(30)))
            .isEqualTo(144);
        assertThat(client.submitToAll(new Tasks.Square(2)).combined().result()).containsExactly(4);
        assertThatThrownBy(() -> client.submit(new Tasks.NotSerializable()))
            .isInstanceOf(IllegalArgumentException.class);
      }
      assertThat(member.getLifecycleService().isRunning()).as("members are not ours").isTrue();
    } finally {
      member.getLifecycleService().terminate();
    }
  }

  @Test
  void withNoClusterRunningTheClientFailsWithinTheConnectTimeout() {
    ClientConfig cc = new ClientConfig().setClusterName("eventual-none-" + UUID.randomUUID());
    cc.getNetworkConfig().addAddress("127.0.0.1:1");
    HazelcastFutureExecutorBuilder b =
        HazelcastFutureExecutor.builder().client(cc).connectTimeout(Duration.ofSeconds(2));
    long start = System.nanoTime();
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Hazelcast cluster answered within 2000 ms")
        .hasMessageContaining("127.0.0.1:1");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }
}
