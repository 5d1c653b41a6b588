package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.eventual.BrokenExecutorException;
import dev.eventual.ConcurrentFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * DURABLE tasks with three data members and a lite member in this JVM (one cluster for the class;
 * each test builds its executors on the lite member or as a client). The member kill with separate
 * processes, and the restart of the submitting client, are in {@link DurableProcessTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DurableTasksTest {
  private final List<HazelcastInstance> members = new ArrayList<>();
  private final List<HazelcastFutureExecutor> executors = new ArrayList<>();
  private HazelcastInstance lite;
  private String clusterName;

  @BeforeAll
  void startCluster() {
    HazelcastFutureExecutorBuilder b = builder().heartbeatTimeout(Duration.ofSeconds(5));
    clusterName = b.clusterName();
    members.add(Hazelcast.newHazelcastInstance(named(b.memberConfig(), "d0")));
    String first = MemberLossTest.address(members.get(0));
    for (int i = 1; i < 3; i++) {
      Config c = builder().clusterName(clusterName).joining(first).memberConfig();
      members.add(Hazelcast.newHazelcastInstance(named(c, "d" + i)));
    }
    Config c = builder().clusterName(clusterName).joining(first).liteMember(true).memberConfig();
    lite = Hazelcast.newHazelcastInstance(named(c, "lite"));
    assertThat(lite.getCluster().getMembers()).hasSize(4);
  }

  private static HazelcastFutureExecutorBuilder builder() {
    return HazelcastFutureExecutor.builder().allowPackages("dev.eventual.hazelcast");
  }

  private static Config named(Config c, String prefix) {
    return c.setInstanceName(prefix + "-" + System.nanoTime());
  }

  @AfterEach
  void closeExecutors() {
    Tasks.RELEASE.values().forEach(CountDownLatch::countDown);
    for (HazelcastFutureExecutor e : executors) {
      e.shutdown(false, true);
    }
    executors.clear();
  }

  @AfterAll
  void stopCluster() {
    lite.getLifecycleService().terminate();
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  private HazelcastFutureExecutor onLite(HazelcastFutureExecutorBuilder b) {
    HazelcastFutureExecutor e = b.instance(lite).build();
    executors.add(e);
    return e;
  }

  private HazelcastFutureExecutor client() {
    ClientConfig cc = new ClientConfig().setClusterName(clusterName);
    cc.getNetworkConfig().addAddress(MemberLossTest.address(members.get(0)));
    HazelcastFutureExecutor e = builder().client(cc).build();
    executors.add(e);
    return e;
  }

  private static String newTask() {
    String id = "durable-" + System.nanoTime();
    Tasks.STARTED.put(id, new CountDownLatch(1));
    Tasks.RELEASE.put(id, new CountDownLatch(1));
    return id;
  }

  @Test
  void aDurableTaskReturnsItsResultAndAnotherClientReattachesToItsPrintedId() {
    HazelcastFutureExecutor executor = onLite(builder());
    DurableFuture<Integer> f = executor.submitDurable(new Tasks.Square(7));
    assertThat(f.result(Duration.ofSeconds(30))).isEqualTo(49);
    String printed = f.taskId().toString();
    assertThat(printed).startsWith("eventual:");

    HazelcastFutureExecutor other = client();
    DurableFuture<Integer> again = other.reattach(DurableTaskId.parse(printed));
    assertThat(again.taskId()).isEqualTo(f.taskId());
    assertThat(again.result(Duration.ofSeconds(30))).isEqualTo(49);
    // the result stays stored: a second re-attach gets it too
    assertThat(other.<Integer>reattach(f.taskId()).result(Duration.ofSeconds(30))).isEqualTo(49);
  }

  @Test
  void theTasksOwnExceptionComesBackAsItselfAndTheDurablePolicyAppliesThroughSubmit() {
    HazelcastFutureExecutor executor = onLite(builder());
    ConcurrentFuture<Object> f =
        executor.submit(new Tasks.Throwing(new IOException("disk")), MemberLossPolicy.DURABLE);
    assertThat(f).isInstanceOf(DurableFuture.class);
    assertThat(f.exception(Duration.ofSeconds(30)))
        .isInstanceOf(IOException.class)
        .hasMessage("disk");
    // the executor's default policy, and a key's owner
    HazelcastFutureExecutor durableByDefault =
        onLite(builder().memberLossPolicy(MemberLossPolicy.DURABLE));
    assertThat(durableByDefault.submit(new Tasks.Square(3))).isInstanceOf(DurableFuture.class);
    ConcurrentFuture<Integer> keyed =
        executor.submitToKeyOwner("k", new Tasks.Square(4), MemberLossPolicy.DURABLE);
    assertThat(keyed.result(Duration.ofSeconds(30))).isEqualTo(16);
    int partition = lite.getPartitionService().getPartition("k").getPartitionId();
    assertThat(((DurableFuture<Integer>) keyed).taskId().partitionId()).isEqualTo(partition);
  }

  @Test
  void anUnknownOrDisposedIdFailsTheFutureWithDurableTaskNotFound() {
    HazelcastFutureExecutor executor = onLite(builder());
    DurableFuture<Object> unknown = executor.reattach(new DurableTaskId("eventual", 5, 12_345));
    assertThatThrownBy(() -> unknown.result(Duration.ofSeconds(30)))
        .isInstanceOf(DurableTaskNotFoundException.class)
        .hasMessageContaining("eventual:5:12345");
    // sequence 0 of a partition that never had a task: an empty slot, not a null result. A durable
    // executor no test has used, since the other tests' tasks may have landed on any partition of
    // "eventual" (on a fresh clone one had landed on partition 6)
    HazelcastFutureExecutor unused = onLite(builder().durableExecutorName("never-used"));
    DurableFuture<Object> empty = unused.reattach(new DurableTaskId("never-used", 6, 0));
    assertThatThrownBy(() -> empty.result(Duration.ofSeconds(30)))
        .isInstanceOf(DurableTaskNotFoundException.class);

    DurableFuture<Integer> f = executor.submitDurable(new Tasks.Square(5));
    assertThat(f.result(Duration.ofSeconds(30))).isEqualTo(25);
    executor.disposeDurable(f.taskId());
    DurableFuture<Integer> gone = executor.reattach(f.taskId());
    assertThatThrownBy(() -> gone.result(Duration.ofSeconds(30)))
        .isInstanceOf(DurableTaskNotFoundException.class)
        .hasMessageContaining("disposed");
    assertThat(f.result()).as("the future that had it keeps it").isEqualTo(25);
  }

  @Test
  void badInputIsRefusedAtOnceNamingTheParameter() {
    HazelcastFutureExecutor executor = onLite(builder());
    assertThatThrownBy(() -> executor.reattach(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("taskId");
    assertThatThrownBy(() -> executor.reattach(new DurableTaskId("reports", 1, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taskId reports:1:0")
        .hasMessageContaining("'reports'")
        .hasMessageContaining("'eventual'");
    assertThatThrownBy(() -> executor.reattach(new DurableTaskId("eventual", 271, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taskId")
        .hasMessageContaining("271 partitions");
    assertThatThrownBy(() -> executor.disposeDurable(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("taskId");
    assertThatThrownBy(() -> executor.submitDurable(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("task");
    assertThatThrownBy(() -> executor.submitDurable(new Tasks.NotSerializable()))
        .isInstanceOf(IllegalArgumentException.class);
    // another durable executor name re-attaches to its own ids only
    HazelcastFutureExecutor reports = onLite(builder().durableExecutorName("reports"));
    DurableFuture<Integer> r = reports.submitDurable(new Tasks.Square(6));
    assertThat(r.taskId().executorName()).isEqualTo("reports");
    assertThat(r.result(Duration.ofSeconds(30))).isEqualTo(36);
    assertThatThrownBy(() -> executor.reattach(r.taskId()))
        .isInstanceOf(IllegalArgumentException.class);
    executor.shutdown(true, false);
    assertThatThrownBy(() -> executor.reattach(new DurableTaskId("eventual", 1, 0)))
        .isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> executor.submitDurable(new Tasks.Square(1)))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void cancelEndsOnlyTheFutureAndShutdownWaitsForDurableTasks() throws Exception {
    HazelcastFutureExecutor executor = onLite(builder());
    String id = newTask();
    DurableFuture<String> f = executor.submitDurable(new Tasks.Blocking(id, null, 20_000));
    assertThat(Tasks.STARTED.get(id).await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(f.cancel(true)).isTrue();
    DurableFuture<String> again = executor.reattach(f.taskId());
    String waiting = newTask();
    DurableFuture<String> g = executor.submitDurable(new Tasks.Blocking(waiting, null, 20_000));
    assertThat(Tasks.STARTED.get(waiting).await(30, TimeUnit.SECONDS)).isTrue();
    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                return;
              }
              Tasks.RELEASE.get(id).countDown();
              Tasks.RELEASE.get(waiting).countDown();
            });
    releaser.start();
    executor.shutdown(true, true); // cancelFutures: durable tasks are RUNNING, they go on
    assertThat(g.isDone()).as("shutdown(wait) waited for the durable task").isTrue();
    assertThat(g.result()).startsWith("done in");
    assertThat(again.result()).as("the cancelled future's task ran on").startsWith("done in");
    assertThat(Tasks.RUNS.get(id).get()).isEqualTo(1);
    releaser.join();
  }

  @Test
  void aDurableTaskOutlivesTheMemberRunningItAndTheExecutorThatSubmittedIt() throws Exception {
    HazelcastInstance member = members.remove(members.size() - 1); // not the clients' member
    HazelcastFutureExecutor submitter = onLite(builder());
    // The member may own no partition yet while migrations run after it joined (seen on a loaded
    // machine in CI of 541900a, JDK 25): look again until it owns one, within a bound.
    String key = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (key == null && System.nanoTime() - deadline < 0) {
      for (int i = 0; key == null && i < 10_000; i++) {
        com.hazelcast.cluster.Member owner =
            lite.getPartitionService().getPartition("k" + i).getOwner();
        if (owner != null && owner.getUuid().equals(member.getLocalEndpoint().getUuid())) {
          key = "k" + i;
        }
      }
      if (key == null) {
        Thread.sleep(100);
      }
    }
    assertThat(key).as("a key owned by the member to terminate").isNotNull();
    String id = newTask();
    DurableFuture<String> f =
        (DurableFuture<String>)
            submitter.submitToKeyOwner(
                key, new Tasks.Blocking(id, null, 20_000), MemberLossPolicy.DURABLE);
    assertThat(Tasks.STARTED.get(id).await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Tasks.THREAD.get(id)).contains(member.getName());
    Tasks.STARTED.put(id, new CountDownLatch(1));
    member.getLifecycleService().terminate();
    submitter.shutdown(false, false); // its future still follows the task (shutdown waits for it)
    assertThat(Tasks.STARTED.get(id).await(30, TimeUnit.SECONDS))
        .as("the backup that took the partition over runs the task again")
        .isTrue();
    Tasks.RELEASE.get(id).countDown();
    assertThat(f.result(Duration.ofSeconds(30))).startsWith("done in");
    assertThat(Tasks.RUNS.get(id).get()).as("runs").isEqualTo(2);
    HazelcastFutureExecutor later = client();
    assertThat(later.<String>reattach(f.taskId()).result(Duration.ofSeconds(30)))
        .isEqualTo(f.result());
  }

  @Test
  void aStoppedInstanceEndsTheFutureWithBrokenExecutorNamingTheIdToReattachTo() throws Exception {
    HazelcastFutureExecutor submitter = client();
    String id = newTask();
    DurableFuture<String> f = submitter.submitDurable(new Tasks.Blocking(id, null, 20_000));
    assertThat(Tasks.STARTED.get(id).await(30, TimeUnit.SECONDS)).isTrue();
    submitter.instance().getLifecycleService().terminate(); // the client "crashes"
    assertThatThrownBy(() -> f.result(Duration.ofSeconds(30)))
        .isInstanceOf(BrokenExecutorException.class)
        .hasMessageContaining(f.taskId().toString())
        .hasMessageContaining("re-attach");
    HazelcastFutureExecutor restarted = client();
    DurableFuture<String> again = restarted.reattach(f.taskId());
    Tasks.RELEASE.get(id).countDown();
    assertThat(again.result(Duration.ofSeconds(30))).startsWith("done in");
    assertThat(Tasks.RUNS.get(id).get()).isEqualTo(1);
  }
}
