package dev.eventual.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import dev.eventual.ConcurrentFuture;
import dev.eventual.hazelcast.HazelcastFutureExecutor;
import dev.eventual.hazelcast.MemberMain;
import dev.eventual.hazelcast.SerializableCallable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The envelopes' serializer factory: found by Hazelcast by itself, compact, and missed clearly. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EnvelopesTest {
  private Process member;
  private HazelcastFutureExecutor executor;

  @AfterEach
  void stop() throws InterruptedException {
    if (executor != null) {
      executor.shutdown(false, true);
      executor.instance().getLifecycleService().terminate();
    }
    if (member != null) {
      member.destroyForcibly();
      member.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A task of the library's package, which every member's allow-list has. */
  public record Square(int x) implements SerializableCallable<Integer> {
    @Override
    public Integer call() {
      return x * x;
    }
  }

  @Test
  void envelopesTravelAsTwoIdsWithoutTheirClassNameThroughAServiceNobodyConfigured() {
    // a serialization service with no factory configured: only the service file registers ours
    InternalSerializationService ss = new DefaultSerializationServiceBuilder().build();
    try {
      byte[] task = ss.toData(new Square(7)).toByteArray();
      Data call = ss.toData(new RemoteCall(task, false));
      assertThat(call.getType()).isEqualTo(SerializationConstants.CONSTANT_TYPE_DATA_SERIALIZABLE);
      String text = new String(call.toByteArray(), StandardCharsets.ISO_8859_1);
      assertThat(text).doesNotContain("RemoteCall"); // no class name, no reflection on arrival
      RemoteCall back = ss.toObject(call);
      assertThat(back.getClassId()).isEqualTo(Envelopes.REMOTE_CALL);

      Data outcome = ss.toData(RemoteOutcome.success(ss, 49));
      assertThat(new String(outcome.toByteArray(), StandardCharsets.ISO_8859_1))
          .doesNotContain("RemoteOutcome");
      RemoteOutcome read = ss.toObject(outcome);
      assertThat(read.isSuccess()).isTrue();
      assertThat(read.value(ss)).isEqualTo(49);
      // header: the IDS flag, the factory id, the class id, then the envelope's own fields
      assertThat(outcome.totalSize()).isLessThan(40);
    } finally {
      ss.dispose();
    }
  }

  @Test
  void theFactoryKnowsItsTwoEnvelopesAndNothingElse() {
    Envelopes factory = new Envelopes();
    assertThat(factory.getFactoryId()).isEqualTo(Envelopes.FACTORY_ID).isEqualTo(0x65766e74);
    assertThat(factory.createFactory()).isSameAs(factory);
    assertThat(factory.create(Envelopes.REMOTE_CALL)).isInstanceOf(RemoteCall.class);
    assertThat(factory.create(Envelopes.REMOTE_OUTCOME)).isInstanceOf(RemoteOutcome.class);
    assertThat(factory.create(3)).isNull();
    // registered by the service file and by configuration, Hazelcast keeps one instead of failing
    assertThat(factory).isEqualTo(new Envelopes()).hasSameHashCodeAs(new Envelopes());
  }

  @Test
  void onlyHazelcastsMessageForThisFactoryIdCountsAsMissing() {
    String ours = "No DataSerializerFactory registered for namespace: " + Envelopes.FACTORY_ID;
    assertThat(Envelopes.isMissingFactory(new RuntimeException("x", new RuntimeException(ours))))
        .isTrue();
    assertThat(Envelopes.isMissingFactory(new RuntimeException(ours + "0"))).isFalse();
    assertThat(
            Envelopes.isMissingFactory(
                new RuntimeException("No DataSerializerFactory registered for namespace: 12")))
        .isFalse();
    assertThat(Envelopes.isMissingFactory(new RuntimeException((String) null))).isFalse();
  }

  /** A member process whose envelope factory has another id: it cannot read eventual's tasks. */
  public static final class ForeignFactoryMember {
    private ForeignFactoryMember() {}

    /**
     * Starts {@link MemberMain} with a factory id that no client uses.
     *
     * @param args {@link MemberMain}'s arguments
     * @throws Exception if {@link MemberMain} fails
     */
    public static void main(String[] args) throws Exception {
      System.setProperty(Envelopes.FACTORY_ID_PROPERTY, "4242");
      MemberMain.main(args);
    }
  }

  @Test
  void aMemberWithoutTheFactoryFailsTheTaskAtOnceSayingHowToRegisterIt() throws Exception {
    String cluster = "eventual-test-" + UUID.randomUUID();
    String address = startForeignMember(cluster);
    executor =
        HazelcastFutureExecutor.builder()
            .clusterName(cluster)
            .heartbeatTimeout(Duration.ofSeconds(5))
            .joining(address)
            .liteMember(true)
            .build();
    ConcurrentFuture<Integer> f = executor.submit(new Square(3));
    assertThatThrownBy(() -> f.result(Duration.ofSeconds(30)))
        .isInstanceOf(HazelcastSerializationException.class)
        .hasMessageContaining("cannot read eventual's task envelopes")
        .hasMessageContaining("META-INF/services/com.hazelcast.DataSerializerHook")
        .hasMessageContaining(Envelopes.class.getName())
        .hasMessageContaining(String.valueOf(Envelopes.FACTORY_ID));
    // the member is usable for what it can read: nothing else broke
    assertThat(executor.instance().getCluster().getMembers()).hasSize(2);
  }

  private String startForeignMember(String cluster) throws Exception {
    List<String> cmd =
        dev.eventual.hazelcast.MemberProcesses.javaCommand(
            System.getProperty("java.class.path"), ForeignFactoryMember.class.getName(), cluster);
    member = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(member.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("ADDRESS ")) {
        return line.substring("ADDRESS ".length());
      }
    }
    throw new AssertionError("member process ended before it printed its address");
  }
}
