package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.eventual.ConcurrentFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three data members in this JVM (port 0, loopback) and the executor as a lite member, so every
 * task runs on a member the test can terminate mid-task.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MemberLossTest {
  private final List<HazelcastInstance> members = new ArrayList<>();
  private HazelcastFutureExecutor executor;
  private String clusterName;

  @BeforeEach
  void startCluster() {
    HazelcastFutureExecutorBuilder b =
        HazelcastFutureExecutor.builder()
            .allowPackages("dev.eventual.hazelcast")
            .heartbeatTimeout(Duration.ofSeconds(5));
    String name = b.clusterName();
    clusterName = name;
    members.add(Hazelcast.newHazelcastInstance(named(b.memberConfig(), "m0")));
    String first = address(members.get(0));
    for (int i = 1; i < 3; i++) {
      HazelcastFutureExecutorBuilder join =
          HazelcastFutureExecutor.builder()
              .clusterName(name)
              .allowPackages("dev.eventual.hazelcast")
              .joining(first);
      members.add(Hazelcast.newHazelcastInstance(named(join.memberConfig(), "m" + i)));
    }
    executor = b.joining(first).liteMember(true).build();
    assertThat(executor.instance().getCluster().getMembers()).hasSize(4);
  }

  private static Config named(Config c, String prefix) {
    return c.setInstanceName(prefix + "-" + System.nanoTime());
  }

  static String address(HazelcastInstance member) {
    return member.getCluster().getLocalMember().getAddress().getHost()
        + ":"
        + member.getCluster().getLocalMember().getAddress().getPort();
  }

  @AfterEach
  void stopCluster() {
    Tasks.RELEASE.values().forEach(CountDownLatch::countDown);
    executor.shutdown(false, true);
    executor.instance().getLifecycleService().terminate();
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  /** Waits until the task started and terminates the member that runs it. */
  private HazelcastInstance terminateTheMemberRunning(String id) throws InterruptedException {
    assertThat(Tasks.STARTED.get(id).await(30, TimeUnit.SECONDS)).as("task started").isTrue();
    String thread = Tasks.THREAD.get(id);
    HazelcastInstance runner =
        members.stream()
            .filter(m -> thread.contains(m.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no member runs thread " + thread));
    runner.getLifecycleService().terminate();
    return runner;
  }

  private static String newTask() {
    String id = "task-" + System.nanoTime();
    Tasks.STARTED.put(id, new CountDownLatch(1));
    Tasks.RELEASE.put(id, new CountDownLatch(1));
    return id;
  }

  @Test
  void atLeastOnceRunsTheTaskAgainElsewhereWhenItsMemberIsTerminated() throws Exception {
    String id = newTask();
    ConcurrentFuture<String> f =
        executor.submit(new Tasks.Blocking(id, null), MemberLossPolicy.AT_LEAST_ONCE);
    terminateTheMemberRunning(id);
    Tasks.RELEASE.get(id).countDown(); // the second run may finish at once
    assertThat(f.result(Duration.ofSeconds(60))).startsWith("done in");
    assertThat(Tasks.RUNS.get(id).get()).as("runs").isGreaterThanOrEqualTo(2);
  }

  @Test
  void failFastFailsWithWorkerLostWithinTwoSecondsWhenItsMemberIsTerminated() throws Exception {
    String id = newTask();
    ConcurrentFuture<String> f =
        executor.submit(new Tasks.Blocking(id, null), MemberLossPolicy.FAIL_FAST);
    HazelcastInstance runner = terminateTheMemberRunning(id);
    long start = System.nanoTime();
    assertThatThrownBy(() -> f.result(Duration.ofSeconds(30)))
        .isInstanceOf(WorkerLostException.class)
        .hasMessageContaining("worker lost");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(Tasks.RUNS.get(id).get()).as("runs").isEqualTo(1);
    assertThat(runner.getLifecycleService().isRunning()).isFalse();
  }

  @Test
  void keyRoutedTasksFollowThePolicyToo() throws Exception {
    String id = newTask();
    ConcurrentFuture<String> f =
        executor.submitToKeyOwner("k", new Tasks.Blocking(id, null), MemberLossPolicy.FAIL_FAST);
    terminateTheMemberRunning(id);
    assertThatThrownBy(() -> f.result(Duration.ofSeconds(30)))
        .isInstanceOf(WorkerLostException.class);
    String again = newTask();
    ConcurrentFuture<String> g =
        executor.submitToKeyOwner(
            "k", new Tasks.Blocking(again, null), MemberLossPolicy.AT_LEAST_ONCE);
    terminateTheMemberRunning(again);
    Tasks.RELEASE.get(again).countDown();
    assertThat(g.result(Duration.ofSeconds(60))).startsWith("done in");
  }

  @Test
  void submitToAllToMemberAndToMembersAndPartitionAwareTasksRunWhereHazelcastWouldRunThem()
      throws Exception {
    MemberResults<Integer> all = executor.submitToAll(new Tasks.Square(3));
    assertThat(all.futures()).hasSize(3);
    assertThat(all.combined().result(Duration.ofSeconds(30))).containsExactly(9, 9, 9);
    // issue 17, build 1: as Hazelcast's own executor: one member, a selector, PartitionAware,
    // HazelcastInstanceAware (WhereAmI answers with the UUID of the member it was given)
    com.hazelcast.cluster.Member second = members.get(1).getCluster().getLocalMember();
    assertThat(executor.submitToMember(new Tasks.WhereAmI(), second).result(Duration.ofSeconds(30)))
        .isEqualTo(second.getUuid().toString());
    MemberResults<String> selected =
        executor.submitToMembers(new Tasks.WhereAmI(), m -> !m.getUuid().equals(second.getUuid()));
    assertThat(selected.futures()).hasSize(2).doesNotContainKey(second);
    assertThat(selected.combined().result(Duration.ofSeconds(30)))
        .doesNotContain(second.getUuid().toString());
    for (String key : List.of("a", "b", "c", "d")) {
      // the task waits while the owner is unknown (the lite member's table fills lazily)
      String ranOn = executor.submit(new Tasks.WhereIsMyKey(key)).result(Duration.ofSeconds(30));
      com.hazelcast.cluster.Member owner =
          executor.instance().getPartitionService().getPartition(key).getOwner();
      assertThat(ranOn)
          .as("a PartitionAware task runs on its key's owner")
          .isEqualTo(owner.getUuid().toString());
    }
    assertThatThrownBy(
            () ->
                executor.submitToMember(
                    new Tasks.WhereAmI(), executor.instance().getCluster().getLocalMember()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lite member");
  }

  @Test // issue 17, must show: all members killed, every future ends in bounded time
  void whenEveryDataMemberIsLostEveryFutureEndsWithinSecondsWithAClearError() throws Exception {
    List<ConcurrentFuture<String>> fs = new ArrayList<>();
    String prefix = "all-" + System.nanoTime() + "-";
    for (int i = 0; i < 40; i++) {
      MemberLossPolicy policy =
          i % 2 == 0 ? MemberLossPolicy.AT_LEAST_ONCE : MemberLossPolicy.FAIL_FAST;
      fs.add(executor.submit(new Tasks.Tracked(prefix + i, 10_000), policy));
    }
    while (Tasks.RUNS.keySet().stream().filter(k -> k.startsWith(prefix)).count() < 40) {
      Thread.sleep(10);
    }
    long start = System.nanoTime();
    members.forEach(m -> m.getLifecycleService().terminate());
    List<ConcurrentFuture<Integer>> later = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      later.add(executor.submit(new Tasks.Square(i)));
    }
    int lost = 0;
    for (int i = 0; i < fs.size(); i++) {
      Throwable e = fs.get(i).exception(Duration.ofSeconds(20));
      if (e == null) {
        // only if terminating the members took longer than the task: a slow machine
        assertThat(fs.get(i).result()).isEqualTo(prefix + i);
      } else {
        assertThat(e).isInstanceOf(WorkerLostException.class).hasMessageContaining("worker lost");
        lost++;
      }
    }
    assertThat(lost).as("futures failed with WorkerLostException").isGreaterThanOrEqualTo(20);
    for (ConcurrentFuture<Integer> f : later) {
      assertThat(f.exception(Duration.ofSeconds(20)))
          .as("submitted once no member was left: never sent")
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not sent");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("every future ended (the default retry policy waits about 5.5 s for a member)")
        .isLessThan(Duration.ofSeconds(15));
  }

  @Test // issue 17, defect 2: the one global window filled with tasks for the blocked member
  void aMemberThatStopsAnsweringHoldsAtMostItsWindowWhileTheOthersKeepServing() throws Exception {
    HazelcastInstance stuck = members.get(1);
    String block = newTask();
    List<java.util.concurrent.Future<String>> blockers = new ArrayList<>();
    for (int i = 0; i < 16; i++) { // every thread of its "eventual" pool: it answers nothing
      blockers.add(
          stuck
              .getExecutorService("eventual")
              .submitToMember(
                  new Tasks.Blocking(block, null, 30_000), stuck.getCluster().getLocalMember()));
    }
    int window = 8;
    try (HazelcastFutureExecutor windowed =
        HazelcastFutureExecutor.builder()
            .instance(executor.instance())
            .allowPackages("dev.eventual.hazelcast")
            .maxInFlight(window)
            .build()) {
      List<ConcurrentFuture<Integer>> fs = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        fs.add(windowed.submit(new Tasks.Square(i)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      long done = 0;
      while (System.nanoTime() < deadline) {
        done = fs.stream().filter(ConcurrentFuture::isDone).count();
        if (done >= fs.size() - window) {
          break;
        }
        Thread.sleep(20);
      }
      assertThat(done)
          .as("tasks done in 5 s while one member of three answers nothing (window %d)", window)
          .isGreaterThanOrEqualTo(fs.size() - window);
      Tasks.RELEASE.get(block).countDown();
      for (int i = 0; i < fs.size(); i++) {
        assertThat(fs.get(i).result(Duration.ofSeconds(30))).isEqualTo(i * i);
      }
    }
  }

  @Test // issue 17, defect 3: tasks sent after the loss (or refused before sending) were "lost"
  void failFastReportsWorkerLostOnlyForTasksThatMayHaveRunOnTheLostMember() throws Exception {
    ClientConfig cc = new ClientConfig().setClusterName(clusterName);
    members.forEach(m -> cc.getNetworkConfig().addAddress(address(m)));
    int window = 16; // the members' pool size: a task that arrives starts at once
    try (HazelcastFutureExecutor failFast =
        HazelcastFutureExecutor.builder()
            .client(cc)
            .allowPackages("dev.eventual.hazelcast")
            .maxInFlight(window)
            .memberLossPolicy(MemberLossPolicy.FAIL_FAST)
            .build()) {
      // a smart client connects to each member in the background; until then a task travels
      // through another member, and that one's death loses its answer too (docs/cluster.md)
      com.hazelcast.client.impl.clientside.HazelcastClientProxy proxy =
          (com.hazelcast.client.impl.clientside.HazelcastClientProxy) failFast.instance();
      while (proxy.client.getConnectionManager().getActiveConnections().size() < members.size()) {
        Thread.sleep(10);
      }
      String prefix = "ff-" + System.nanoTime() + "-";
      List<ConcurrentFuture<String>> fs = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        fs.add(failFast.submit(new Tasks.Tracked(prefix + i, 10)));
      }
      while (fs.stream().filter(ConcurrentFuture::isDone).count() < 60) {
        Thread.sleep(5);
      }
      members.get(2).getLifecycleService().terminate();
      int lost = 0;
      List<String> neverSent = new ArrayList<>();
      for (int i = 0; i < fs.size(); i++) {
        try {
          assertThat(fs.get(i).result(Duration.ofSeconds(30))).isEqualTo(prefix + i);
        } catch (WorkerLostException e) {
          lost++;
          if (e.getCause() instanceof com.hazelcast.spi.exception.TargetNotMemberException) {
            neverSent.add(prefix + i + ": " + e.getMessage());
          }
        }
      }
      // before: 21 lost, 17 of them never started, most refused as TargetNotMemberException (the
      // executor kept routing to the dead member). A task sent while the member was terminating
      // may still be reported lost: it reached a member that was shutting down.
      assertThat(neverSent).as("WorkerLostException for tasks refused before sending").isEmpty();
      assertThat(lost)
          .as("tasks lost with the member: at most its window")
          .isLessThanOrEqualTo(window);
    }
  }
}
