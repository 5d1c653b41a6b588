package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hazelcast's member-to-member class lookup, the other half of user code deployment, for a task
 * submitted by a member (docs/cluster.md, "When the members' class path is the only way"): two
 * members in this JVM, each with its own configuration class loader and user code deployment on.
 * The submitting member's loader sees the application's classes; the member that runs the task sees
 * only the test's class path, and fetches the task's class from the submitting member. (A member
 * with user code deployment off has only its class path: {@link CodeShippingProcessTest}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CodeShippingMembersTest {
  private final List<HazelcastInstance> members = new ArrayList<>();
  private URLClassLoader application;
  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    members.forEach(m -> m.getLifecycleService().terminate());
    if (application != null) {
      application.close();
    }
  }

  @SuppressWarnings("removal") // user code deployment is deprecated for removal since 5.4
  private HazelcastInstance member(String cluster, String join, ClassLoader loader) {
    HazelcastFutureExecutorBuilder b =
        HazelcastFutureExecutor.builder().clusterName(cluster).allowPrefixes("com.example.tasks.");
    if (join != null) {
      b.joining(join);
    }
    Config c = b.memberConfig().setClassLoader(loader);
    c.getUserCodeDeploymentConfig().setEnabled(true);
    HazelcastInstance m = Hazelcast.newHazelcastInstance(c);
    members.add(m);
    return m;
  }

  @Test
  void aMemberWithUserCodeDeploymentFetchesTheTaskClassFromTheSubmittingMember() throws Exception {
    application = ApplicationClasses.loader(ApplicationClasses.compile(dir, "v1"));
    String cluster = "eventual-lookup-" + UUID.randomUUID();
    HazelcastInstance submitter = member(cluster, null, application);
    HazelcastInstance runner =
        member(cluster, MemberLossTest.address(submitter), getClass().getClassLoader());
    assertThatThrownBy(() -> getClass().getClassLoader().loadClass(ApplicationClasses.TASK))
        .as("the running member's class loader lacks the task")
        .isInstanceOf(ClassNotFoundException.class);
    try (HazelcastFutureExecutor executor =
        HazelcastFutureExecutor.builder()
            .instance(submitter)
            .allowPrefixes("com.example.tasks.")
            .build()) {
      Member runs = runner.getCluster().getLocalMember();
      Object result =
          executor
              .submitToMember(ApplicationClasses.square(application, 6), runs)
              .result(Duration.ofSeconds(30));
      assertThat(result.toString()).startsWith("ShippedResult[square=36, version=v1");
      assertThat(result.getClass().getClassLoader()).isSameAs(application);
    }
  }
}
