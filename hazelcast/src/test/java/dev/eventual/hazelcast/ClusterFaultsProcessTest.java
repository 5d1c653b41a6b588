package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.IExecutorService;
import dev.eventual.ConcurrentFuture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, must-show, with members as separate processes ({@link MemberMain}, a heartbeat timeout
 * of {@value #HEARTBEAT} s) and the executor as a lite member here, next to Hazelcast's own {@link
 * IExecutorService} on the same lite member. One cluster goes through four faults in turn: a member
 * stopped (SIGSTOP) for less than the heartbeat timeout, then for longer; the stopped member killed
 * and started again (it rejoins and gets tasks); and every member killed at once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterFaultsProcessTest {
  static final int HEARTBEAT = 4;
  private static final int BURST = 300;
  private static final int WINDOW = 64; // maxInFlight per member, the default

  /** Retries for the last phase: about 1 s of attempts instead of the default's 5.5 s. */
  private static final RetryPolicy QUICK =
      RetryPolicy.of(5, Duration.ofMillis(50), Duration.ofMillis(400));

  private final MemberProcesses processes = new MemberProcesses();
  private HazelcastFutureExecutor executor;
  @TempDir Path dir;

  @AfterEach
  void stop() throws InterruptedException {
    if (executor != null) {
      executor.shutdown(false, true);
      executor.instance().getLifecycleService().terminate();
    }
    processes.close();
  }

  @Test
  void
      healthyMembersKeepServingThroughAStoppedMemberARestartedMemberRejoinsAndLosingAllEndsEveryFuture()
          throws Exception {
    String cluster = "eventual-faults-" + UUID.randomUUID();
    MemberProcesses.Started a = processes.member(cluster, null, HEARTBEAT);
    MemberProcesses.Started b = processes.member(cluster, a.line(), HEARTBEAT);
    MemberProcesses.Started c = processes.member(cluster, a.line(), HEARTBEAT);
    executor =
        HazelcastFutureExecutor.builder()
            .clusterName(cluster)
            .allowPackages("dev.eventual.hazelcast")
            .heartbeatTimeout(Duration.ofSeconds(HEARTBEAT))
            .joining(a.line())
            .liteMember(true)
            .build();
    awaitMembers(3);
    IExecutorService own = executor.instance().getExecutorService("hazelcast-own");
    burst(own, 60, Duration.ofSeconds(30)).check(); // warm both up: class loading, connections

    // 1. SIGSTOP for half the heartbeat timeout: the member stays in the cluster
    MemberProcesses.signal("STOP", c.process());
    Burst shortStop;
    try {
      shortStop = burst(own, BURST, Duration.ofSeconds(HEARTBEAT / 2));
    } finally {
      MemberProcesses.signal("CONT", c.process());
    }
    report("SIGSTOP " + HEARTBEAT / 2 + " s", shortStop);
    shortStop.check(); // the stopped member finishes its window once resumed
    assertThat(shortStop.oursDone())
        .as("eventual's tasks done while one member of three is stopped (at most its window lost)")
        .isGreaterThanOrEqualTo(BURST - WINDOW);
    assertThat(shortStop.oursDone() * 2)
        .as("within 2x of Hazelcast's own")
        .isGreaterThanOrEqualTo(shortStop.theirsDone());

    // 2. SIGSTOP for longer than the heartbeat timeout: the member is declared lost
    MemberProcesses.signal("STOP", c.process());
    Burst longStop;
    try {
      longStop = burst(own, BURST, Duration.ofSeconds(HEARTBEAT + 6));
      assertThat(executor.instance().getCluster().getMembers())
          .as("the stopped member was removed")
          .hasSize(3);
    } finally {
      MemberProcesses.signal("CONT", c.process());
    }
    report("SIGSTOP " + (HEARTBEAT + 6) + " s", longStop);
    longStop.check();
    assertThat(longStop.oursRunning())
        .as("eventual's futures still RUNNING after the member's loss")
        .isZero();
    assertThat(longStop.oursDone()).isGreaterThanOrEqualTo(BURST - WINDOW);
    assertThat(longStop.oursDone() * 2)
        .as("within 2x of Hazelcast's own")
        .isGreaterThanOrEqualTo(longStop.theirsDone());
    MemberProcesses.kill(c.process()); // out of the cluster; it would try to merge back later

    // 3. the member started again: it rejoins and the executor uses it
    MemberProcesses.Started restarted = processes.member(cluster, a.line(), HEARTBEAT);
    awaitMembers(3);
    List<ConcurrentFuture<String>> spread = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      spread.add(executor.submit(new Tasks.Blocking("spread-" + UUID.randomUUID(), null, 100)));
    }
    Set<String> where = new HashSet<>();
    for (ConcurrentFuture<String> f : spread) {
      where.add(f.result(Duration.ofSeconds(30)));
    }
    assertThat(where).contains("done in " + restarted.process().pid());

    // 4. every member killed at once, with tasks running under each policy and one submitted after
    List<ConcurrentFuture<?>> running = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    MemberLossPolicy[] policies = {
      MemberLossPolicy.FAIL_FAST,
      MemberLossPolicy.FAIL_FAST,
      MemberLossPolicy.FAIL_FAST,
      MemberLossPolicy.AT_LEAST_ONCE,
      MemberLossPolicy.AT_LEAST_ONCE,
      MemberLossPolicy.DURABLE
    };
    for (int i = 0; i < policies.length; i++) {
      Path started = dir.resolve("all-" + i);
      files.add(started);
      running.add(
          executor.submit(
              new Tasks.Blocking("all-" + UUID.randomUUID(), started, 30_000), policies[i], QUICK));
    }
    for (Path f : files) {
      MemberProcesses.awaitPid(f, 30);
    }
    long killedAt = System.nanoTime();
    for (Process p : List.of(a.process(), b.process(), restarted.process())) {
      p.destroyForcibly();
    }
    for (Process p : List.of(a.process(), b.process(), restarted.process())) {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    awaitMembers(0);
    running.add(executor.submit(new Tasks.Square(2), MemberLossPolicy.FAIL_FAST, QUICK));
    Map<String, Class<?>> ends = new HashMap<>();
    for (int i = 0; i < running.size(); i++) {
      Throwable e = running.get(i).exception(Duration.ofSeconds(40));
      String what = i < policies.length ? policies[i] + " #" + i : "submitted after";
      assertThat(e).as(what + " fails").isNotNull();
      ends.put(what, e.getClass());
      System.out.println("all members killed: " + what + " -> " + e);
    }
    Duration bound = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.println("all members killed: every future ended within " + bound.toMillis() + " ms");
    assertThat(bound).as("every future ends in bounded time").isLessThan(Duration.ofSeconds(30));
    for (int i = 0; i < policies.length; i++) { // DURABLE too: its task is lost with the members
      assertThat(ends.get(policies[i] + " #" + i)).isEqualTo(WorkerLostException.class);
    }
    assertThat(ends.get("submitted after")).isEqualTo(IllegalStateException.class);
  }

  /** Waits until the lite member sees {@code n} data members. */
  private void awaitMembers(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (executor.instance().getCluster().getMembers().stream()
            .filter(m -> !m.isLiteMember())
            .count()
        != n) {
      assertThat(System.nanoTime()).as(n + " data members").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** A burst's futures, and how many had ended after its window. */
  private record Burst(
      List<ConcurrentFuture<Integer>> ours,
      List<CompletableFuture<Integer>> theirs,
      int oursDone,
      int theirsDone,
      int oursRunning) {
    /** Every future of eventual ends; a success has its value. */
    void check() {
      for (int i = 0; i < ours.size(); i++) {
        if (ours.get(i).exception(Duration.ofSeconds(60)) == null) {
          assertThat(ours.get(i).result()).isEqualTo(i * i);
        }
      }
    }
  }

  /**
   * Submits {@code n} tiny tasks to each executor, interleaved, and counts after {@code window} (or
   * once all are done): eventual's successes, Hazelcast's successes, eventual's futures not done.
   */
  @SuppressWarnings("unchecked")
  private Burst burst(IExecutorService own, int n, Duration window) throws Exception {
    long start = System.nanoTime();
    List<ConcurrentFuture<Integer>> ours = new ArrayList<>();
    List<CompletableFuture<Integer>> theirs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ours.add(executor.submit(new Tasks.Square(i)));
      theirs.add((CompletableFuture<Integer>) own.submit(new Tasks.Square(i)));
    }
    long end = start + window.toNanos();
    while (System.nanoTime() < end) {
      if (ours.stream().allMatch(ConcurrentFuture::isDone)
          && theirs.stream().allMatch(CompletableFuture::isDone)) {
        break;
      }
      Thread.sleep(10);
    }
    return new Burst(
        ours,
        theirs,
        (int) ours.stream().filter(f -> f.isDone() && f.isSuccess()).count(),
        (int) theirs.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count(),
        (int) ours.stream().filter(f -> !f.isDone()).count());
  }

  private static void report(String what, Burst counts) {
    System.out.println(
        what
            + ": of "
            + BURST
            + " tasks each, eventual "
            + counts.oursDone()
            + " done, Hazelcast's IExecutorService "
            + counts.theirsDone()
            + " done; eventual not done yet "
            + counts.oursRunning());
  }
}
