package dev.eventual;

import com.hazelcast.config.Config;
import com.hazelcast.config.GlobalSerializerConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.eventual.hazelcast.HazelcastFutureExecutor;
import dev.eventual.hazelcast.HazelcastFutureExecutorBuilder;
import dev.eventual.hazelcast.SameJvmSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The executor contract, unchanged, against {@link HazelcastFutureExecutor}: tasks go through a
 * real embedded member's executor service. The contract's tasks are lambdas that share latches and
 * counters with the test, so this member passes objects by reference ({@link SameJvmSerializer});
 * serialization itself is tested in HazelcastFutureExecutorTest. One member serves every test; each
 * test gets its own executor over it.
 */
class HazelcastExecutorContractTest extends FutureExecutorContract {
  private static HazelcastInstance member;

  @BeforeAll
  static void startMember() {
    HazelcastFutureExecutorBuilder b = HazelcastFutureExecutor.builder();
    Config c = b.memberConfig();
    c.getSerializationConfig()
        .setGlobalSerializerConfig(
            new GlobalSerializerConfig()
                .setImplementation(new SameJvmSerializer())
                .setOverrideJavaSerialization(true));
    c.getSerializationConfig()
        .getJavaSerializationFilterConfig()
        .getWhitelist()
        .addPrefixes("dev.eventual.");
    member = Hazelcast.newHazelcastInstance(c);
  }

  @AfterAll
  static void stopMember() {
    member.getLifecycleService().terminate();
  }

  @Override
  protected FutureExecutor newExecutor(int maxWorkers) {
    return HazelcastFutureExecutor.builder()
        .instance(member)
        .maxInFlight(maxWorkers)
        .allowPrefixes("dev.eventual.")
        .build();
  }

  @Override
  protected boolean reusesThreads() {
    return false; // Hazelcast's pool decides which thread runs the next task
  }
}
