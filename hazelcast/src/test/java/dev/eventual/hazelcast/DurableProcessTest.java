package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.config.ClientConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, must-show: a DURABLE task survives both the SIGKILL of the member process running it
 * and the SIGKILL of the client process that submitted it (both killed while the task runs); a new
 * client (this JVM) re-attaches to the printed id and gets the result of the second run. The kills
 * come once the cluster is safe ({@link MemberProcesses#awaitClusterSafe}): a durable task outlives
 * its member when its backup is stored, which Hazelcast guarantees only in a safe cluster.
 * Following a result through a member's loss is tested in one JVM ({@link DurableTasksTest}).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DurableProcessTest {
  private final MemberProcesses processes = new MemberProcesses();
  private HazelcastFutureExecutor restarted;
  @TempDir Path dir;

  @AfterEach
  void stop() throws InterruptedException {
    if (restarted != null) {
      restarted.shutdown(false, true);
      restarted.instance().getLifecycleService().terminate();
    }
    processes.close();
  }

  @Test
  void aDurableTaskSurvivesTheKillOfItsMemberAndOfItsClientAndIsReattachedById() throws Exception {
    String cluster = "eventual-durable-" + UUID.randomUUID();
    MemberProcesses.Started first = processes.member(cluster, null, 5);
    MemberProcesses.Started second = processes.member(cluster, first.line(), 5);
    Path started = dir.resolve("started");
    MemberProcesses.Started client =
        processes.start(
            "ID ",
            DurableClientMain.class.getName(),
            cluster,
            first.line(),
            started.toString(),
            "8000");
    DurableTaskId id = DurableTaskId.parse(client.line()); // what a client would have kept
    long runner = MemberProcesses.awaitRuns(started, 1, 60).get(0);

    Process victim = processes.byPid(runner);
    MemberProcesses.Started survivorMember = victim == first.process() ? second : first;
    Process survivor = survivorMember.process();
    // as Hazelcast's own tests do before a kill: the task's backup is surely stored only once the
    // cluster is safe (the second member may not have had the partition table when it came)
    MemberProcesses.awaitClusterSafe(survivorMember);
    MemberProcesses.kill(client.process()); // the submitting client dies
    MemberProcesses.kill(victim); // and the member running its task, mid-task
    assertThat(MemberProcesses.awaitRuns(started, 2, 60))
        .as("the backup that took the partition over runs the task again")
        .containsExactly(runner, survivor.pid());

    ClientConfig cc = new ClientConfig().setClusterName(cluster);
    cc.getNetworkConfig().addAddress(first.line(), second.line());
    restarted =
        HazelcastFutureExecutor.builder()
            .client(cc)
            .allowPackages("dev.eventual.hazelcast")
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    DurableFuture<String> f = restarted.reattach(id);
    assertThat(f.result(Duration.ofSeconds(60))).isEqualTo("done in " + survivor.pid());
    // the result stays stored: another re-attach gets it at once
    assertThat(restarted.<String>reattach(id).result(Duration.ofSeconds(10)))
        .isEqualTo("done in " + survivor.pid());
  }
}
