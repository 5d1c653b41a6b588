package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import dev.eventual.ConcurrentFuture;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
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
 * Members started as docs/cluster.md says: separate JVMs running {@link MemberLauncher} with the
 * example {@code member/hazelcast.yaml} (its cluster name, ports and allow-list changed for the
 * test) and exactly the documented class path: Hazelcast, eventual-core, eventual-hazelcast and the
 * application's classes (here the test classes, for {@link Tasks}). The executor is a client; the
 * second member is stopped with SIGSTOP for a few seconds under a burst, then the member the client
 * connected to first is killed with SIGKILL mid-task.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemberLauncherTest {
  private final List<Process> processes = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The documented class path of a member: four entries, nothing else of the test's. */
  static String memberClassPath() {
    return MemberProcesses.classPathOf(
        Hazelcast.class, ConcurrentFuture.class, MemberLauncher.class, Tasks.class);
  }

  /** The example configuration with this test's cluster name, ports and allow-list. */
  private Path configuration(String cluster, int port) throws IOException {
    String yaml = Files.readString(Path.of("member", "hazelcast.yaml"));
    String mine =
        yaml.replace("cluster-name: eventual", "cluster-name: " + cluster)
            .replace("port: 5701", "port: " + port)
            .replace("127.0.0.1:5701", "127.0.0.1:" + port)
            .replace("127.0.0.1:5702", "127.0.0.1:" + (port + 1))
            .replace("- com.example.tasks.", "- dev.eventual.hazelcast.");
    assertThat(mine).as("the example has the fields the test changes").isNotEqualTo(yaml);
    Path file = dir.resolve("hazelcast.yaml");
    Files.writeString(file, mine);
    return file;
  }

  /** Starts a member process as documented (see {@link #awaitReady}). */
  private Process startMember(Path yaml, String name) throws Exception {
    Path out = dir.resolve(name + ".out");
    List<String> cmd =
        MemberProcesses.javaCommand(
            memberClassPath(), MemberLauncher.class.getName(), yaml.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    processes.add(p);
    return p;
  }

  /** Waits until the member process said it is ready. */
  private void awaitReady(Process p, String name) throws Exception {
    Path out = dir.resolve(name + ".out");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(out) && Files.readString(out).contains(" ready"))) {
      assertThat(p.isAlive()).as(name + " is running").isTrue();
      assertThat(System.nanoTime()).as(name + " ready within 60 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static int freePortPair() throws IOException {
    for (int i = 0; i < 20; i++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      try (ServerSocket next = new ServerSocket(port + 1)) {
        return port;
      } catch (IOException taken) {
        // try another pair
      }
    }
    throw new AssertionError("no two free consecutive ports");
  }

  private static long waitForPid(Path started) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(started)) {
      assertThat(System.nanoTime()).as("task started: " + started).isLessThan(deadline);
      Thread.sleep(20);
    }
    return Long.parseLong(Files.readString(started).trim());
  }

  @Test
  void membersStartedFromTheExampleYamlServeAClientThroughTheKillOfItsFirstMember()
      throws Exception {
    assertThat(memberClassPath().split(File.pathSeparator)).hasSizeLessThanOrEqualTo(4);
    String cluster = "eventual-launcher-" + UUID.randomUUID();
    int port = freePortPair();
    Path yaml = configuration(cluster, port);
    Process first = startMember(yaml, "first");
    awaitReady(first, "first"); // it takes the first port, which the client tries first
    Process second = startMember(yaml, "second");
    awaitReady(second, "second");

    ClientConfig cc = new ClientConfig().setClusterName(cluster);
    cc.setProperty("hazelcast.client.shuffle.member.list", "false"); // connect to the first
    cc.getNetworkConfig().addAddress("127.0.0.1:" + port, "127.0.0.1:" + (port + 1));
    try (HazelcastFutureExecutor executor =
        HazelcastFutureExecutor.builder()
            .client(cc)
            .allowPackages("dev.eventual.hazelcast")
            .connectTimeout(Duration.ofSeconds(30))
            .build()) {
      assertThat(executor.instance().getCluster().getMembers()).hasSize(2);
      // a smart client opens its connection to each member in the background; until then a task
      // travels through another member, and the death of that one would lose its answer too
      com.hazelcast.client.impl.clientside.HazelcastClientProxy proxy =
          (com.hazelcast.client.impl.clientside.HazelcastClientProxy) executor.instance();
      while (proxy.client.getConnectionManager().getActiveConnections().size() < 2) {
        Thread.sleep(10);
      }
      // SIGSTOP of the second member for less than the heartbeat timeout: the first keeps serving,
      // the frozen one holds at most its window (8 here), and finishes it once resumed
      try (HazelcastFutureExecutor windowed =
          HazelcastFutureExecutor.builder()
              .instance(executor.instance())
              .allowPackages("dev.eventual.hazelcast")
              .maxInFlight(8)
              .build()) {
        signal("STOP", second);
        List<ConcurrentFuture<Integer>> burst = new ArrayList<>();
        try {
          for (int i = 0; i < 200; i++) {
            burst.add(windowed.submit(new Tasks.Square(i)));
          }
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          while (burst.stream().filter(ConcurrentFuture::isDone).count() < 192
              && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          assertThat(burst.stream().filter(ConcurrentFuture::isDone).count())
              .as("tasks done within 5 s while one member of two is stopped")
              .isGreaterThanOrEqualTo(192);
        } finally {
          signal("CONT", second);
        }
        for (int i = 0; i < burst.size(); i++) {
          assertThat(outcome(burst.get(i))).isEqualTo(i * i);
        }
      }
      // two of each policy: the windows spread them, one of each per member
      List<ConcurrentFuture<String>> atLeastOnce = new ArrayList<>();
      List<ConcurrentFuture<String>> failFast = new ArrayList<>();
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Path started = dir.resolve("started-" + i);
        files.add(started);
        MemberLossPolicy policy =
            i < 2 ? MemberLossPolicy.AT_LEAST_ONCE : MemberLossPolicy.FAIL_FAST;
        ConcurrentFuture<String> f =
            executor.submit(new Tasks.Blocking("l-" + UUID.randomUUID(), started, 3_000), policy);
        (i < 2 ? atLeastOnce : failFast).add(f);
      }
      List<Long> pids = new ArrayList<>();
      for (Path started : files) {
        pids.add(waitForPid(started));
      }
      assertThat(pids.subList(0, 2)).containsExactlyInAnyOrder(first.pid(), second.pid());
      assertThat(pids.subList(2, 4)).containsExactlyInAnyOrder(first.pid(), second.pid());

      long killedAt = System.nanoTime();
      first.destroyForcibly(); // SIGKILL of the member the client connected to first
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      while (executor.instance().getCluster().getMembers().size() > 1) {
        Thread.sleep(10); // once the loss is known, no new task goes to the dead member
      }
      List<ConcurrentFuture<Integer>> after = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        after.add(executor.submit(new Tasks.Square(i)));
      }

      String survivor = "done in " + second.pid();
      for (ConcurrentFuture<String> f : atLeastOnce) {
        assertThat(outcome(f)).as("AT_LEAST_ONCE").isEqualTo(survivor);
      }
      int onFirst = pids.get(2) == first.pid() ? 0 : 1;
      assertThatThrownBy(() -> failFast.get(onFirst).result(Duration.ofSeconds(30)))
          .isInstanceOf(WorkerLostException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
          .as("the loss is reported within seconds of the kill")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(outcome(failFast.get(1 - onFirst)))
          .as("FAIL_FAST on the survivor")
          .isEqualTo(survivor);
      for (int i = 0; i < after.size(); i++) {
        assertThat(outcome(after.get(i))).as("submitted after the kill").isEqualTo(i * i);
      }
    }
    assertThat(second.isAlive()).as("members are not the client's to stop").isTrue();
  }

  private static void signal(String name, Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -" + name).isZero();
  }

  private static Object outcome(ConcurrentFuture<?> f) {
    try {
      return f.result(Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Test
  void theLauncherSaysHowToUseItAndNamesAMissingFile() {
    assertThatThrownBy(() -> MemberLauncher.main(new String[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("usage")
        .hasMessageContaining("hazelcast.yaml");
    assertThatThrownBy(() -> MemberLauncher.main(new String[] {"no/such/hazelcast.yaml"}))
        .isInstanceOf(java.io.FileNotFoundException.class)
        .hasMessageContaining("no/such/hazelcast.yaml");
  }
}
