package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ConcurrentFuture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * Two members in their own JVMs on loopback; the executor is a lite member in this JVM. The member
 * running a task is killed by its PID (SIGKILL) mid-task: first under AT_LEAST_ONCE (the other
 * process runs it again), then under FAIL_FAST (the future fails with WorkerLostException).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MemberProcessTest {
  private final List<Process> processes = new ArrayList<>();
  private HazelcastFutureExecutor executor;
  @TempDir Path dir;

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    if (executor != null) {
      executor.shutdown(false, true);
      executor.instance().getLifecycleService().terminate();
    }
  }

  private String startMember(String cluster, String join) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx128m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Dhazelcast.logging.type=none");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MemberMain.class.getName());
    cmd.add(cluster);
    if (join != null) {
      cmd.add(join);
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("ADDRESS ")) {
        return line.substring("ADDRESS ".length());
      }
    }
    throw new AssertionError("member process ended before it printed its address");
  }

  /** When the last kill was sent (System.nanoTime). */
  private long killedAt;

  /** Waits for the task's started file, kills the process it names, and returns the PID. */
  private long killTheProcessRunning(Path started) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(started)) {
      assertThat(System.nanoTime()).as("task started").isLessThan(deadline);
      Thread.sleep(20);
    }
    long pid = Long.parseLong(Files.readString(started).trim());
    Process victim =
        processes.stream()
            .filter(p -> p.pid() == pid)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no member process has pid " + pid));
    killedAt = System.nanoTime();
    victim.destroyForcibly(); // SIGKILL
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return pid;
  }

  @Test
  void aMemberProcessKilledMidTaskReRunsUnderAtLeastOnceAndFailsFastUnderFailFast()
      throws Exception {
    String cluster = "eventual-test-" + UUID.randomUUID();
    String first = startMember(cluster, null);
    startMember(cluster, first);
    executor =
        HazelcastFutureExecutor.builder()
            .clusterName(cluster)
            .allowPackages("dev.eventual.hazelcast")
            .heartbeatTimeout(Duration.ofSeconds(5))
            .joining(first)
            .liteMember(true)
            .build();
    assertThat(executor.instance().getCluster().getMembers()).hasSize(3);

    Path started = dir.resolve("at-least-once");
    ConcurrentFuture<String> f =
        executor.submit(
            new Tasks.Blocking("p-" + UUID.randomUUID(), started, 8_000),
            MemberLossPolicy.AT_LEAST_ONCE);
    long killed = killTheProcessRunning(started);
    String result = f.result(Duration.ofSeconds(60));
    assertThat(result).startsWith("done in ").isNotEqualTo("done in " + killed);

    Path startedToo = dir.resolve("fail-fast");
    ConcurrentFuture<String> g =
        executor.submit(
            new Tasks.Blocking("p-" + UUID.randomUUID(), startedToo, 8_000),
            MemberLossPolicy.FAIL_FAST);
    killTheProcessRunning(startedToo);
    assertThatThrownBy(() -> g.result(Duration.ofSeconds(30)))
        .isInstanceOf(WorkerLostException.class);
    // the same bound as the in-JVM test: the worker-lost exception within 2 s of the SIGKILL
    assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(2));
  }
}
