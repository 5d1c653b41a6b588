package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import dev.eventual.ConcurrentFuture;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLClassLoader;
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
 * Shipping task code to members whose class path lacks it (docs/cluster.md, "Shipping classes"):
 * two member processes started with {@link MemberLauncher} from the example {@code
 * member/hazelcast.yaml}, one with user code deployment turned on, one with it off, each alone in
 * its cluster, with Hazelcast, eventual-core and eventual-hazelcast on their class path and nothing
 * of the application. The application's classes ({@code com.example.tasks}: a task, its result and
 * its exception) are compiled by the test into a directory that only the test's clients see.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CodeShippingProcessTest {
  private final List<Process> processes = new ArrayList<>();
  private final List<URLClassLoader> loaders = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    for (URLClassLoader l : loaders) {
      l.close();
    }
  }

  private Path compile(String version) throws IOException {
    return ApplicationClasses.compile(dir, version);
  }

  private URLClassLoader application(Path classes) throws IOException {
    URLClassLoader l = ApplicationClasses.loader(classes);
    loaders.add(l);
    return l;
  }

  /** Hazelcast, eventual-core and eventual-hazelcast; not the test classes. */
  private static String memberClassPath() {
    return MemberProcesses.classPathOf(
        Hazelcast.class, ConcurrentFuture.class, MemberLauncher.class);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts a member from the example file, its cluster and port changed, user code on or off. */
  private Process startMember(String cluster, int port, boolean userCode) throws IOException {
    String yaml = Files.readString(Path.of("member", "hazelcast.yaml"));
    String mine =
        yaml.replace("cluster-name: eventual", "cluster-name: " + cluster)
            .replace("port: 5701", "port: " + port)
            .replace("127.0.0.1:5701", "127.0.0.1:" + port)
            .replace("127.0.0.1:5702", "127.0.0.1:" + port);
    if (userCode) {
      String off = "user-code-deployment:\n    enabled: false";
      assertThat(mine).contains(off);
      mine = mine.replace(off, "user-code-deployment:\n    enabled: true");
    }
    Path file = dir.resolve(cluster + ".yaml");
    Files.writeString(file, mine);
    List<String> cmd =
        MemberProcesses.javaCommand(
            memberClassPath(), MemberLauncher.class.getName(), file.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(dir.resolve(cluster + ".out").toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    processes.add(p);
    return p;
  }

  /** Waits for the member's ready line and returns it. */
  private String awaitReady(Process p, String cluster) throws Exception {
    Path out = dir.resolve(cluster + ".out");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String text = Files.exists(out) ? Files.readString(out) : "";
      if (text.contains(" ready")) {
        return text.trim();
      }
      assertThat(p.isAlive()).as(cluster + " is running").isTrue();
      assertThat(System.nanoTime()).as(cluster + " ready within 60 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static HazelcastFutureExecutorBuilder client(
      String cluster, int port, ClassLoader application) {
    ClientConfig cc = new ClientConfig().setClusterName(cluster).setClassLoader(application);
    cc.getNetworkConfig().addAddress("127.0.0.1:" + port);
    return HazelcastFutureExecutor.builder()
        .client(cc)
        .allowPrefixes("com.example.tasks.")
        .connectTimeout(Duration.ofSeconds(30));
  }

  private static SerializableCallable<Object> square(ClassLoader application, int x)
      throws Exception {
    return ApplicationClasses.square(application, x);
  }

  private static Class<?>[] applicationClasses(ClassLoader application) throws Exception {
    return ApplicationClasses.all(application);
  }

  @Test
  void aClientShipsTaskResultAndExceptionClassesToMembersThatLackThemAndCannotReplaceThem()
      throws Exception {
    String on = "eventual-ship-on-" + UUID.randomUUID();
    String off = "eventual-ship-off-" + UUID.randomUUID();
    int onPort = freePort();
    int offPort = freePort();
    Process onMember = startMember(on, onPort, true);
    Process offMember = startMember(off, offPort, false);
    ClassLoader v1 = application(compile("v1"));
    ClassLoader v2 = application(compile("v2"));
    assertThat(awaitReady(onMember, on)).endsWith("ready (user code deployment on)");
    assertThat(awaitReady(offMember, off)).endsWith(" ready");

    try (HazelcastFutureExecutor plain = client(on, onPort, v1).build()) {
      // the member's class path lacks the task: without shipping, it cannot run it
      ConcurrentFuture<Object> missing = plain.submit(square(v1, 7));
      assertThatThrownBy(() -> missing.result(Duration.ofSeconds(30)))
          .hasStackTraceContaining("ClassNotFoundException")
          .hasStackTraceContaining("com.example.tasks.ShippedSquare");

      try (HazelcastFutureExecutor shipping =
          client(on, onPort, v1).shipClasses(applicationClasses(v1)).build()) {
        Object result = shipping.submit(square(v1, 7)).result(Duration.ofSeconds(30));
        assertThat(result.getClass().getClassLoader()).isSameAs(v1);
        assertThat(result)
            .hasToString("ShippedResult[square=49, version=v1, pid=" + onMember.pid() + "]");
        ConcurrentFuture<Object> failing = shipping.submit(square(v1, -1));
        assertThatThrownBy(() -> failing.result(Duration.ofSeconds(30)))
            .isInstanceOf(v1.loadClass("com.example.tasks.ShippedFailure"))
            .hasMessage("negative: -1");
        assertThat(shipping.submitDurable(square(v1, 5)).result(Duration.ofSeconds(30)))
            .as("the durable executor runs shipped classes too")
            .hasToString("ShippedResult[square=25, version=v1, pid=" + onMember.pid() + "]");
      }
      // the classes are the members' now: the client that shipped nothing runs them too
      assertThat(plain.submit(square(v1, 8)).result(Duration.ofSeconds(30)))
          .hasToString("ShippedResult[square=64, version=v1, pid=" + onMember.pid() + "]");

      // the limit: another version of a class the members have is refused, at once
      long start = System.nanoTime();
      assertThatThrownBy(() -> client(on, onPort, v2).shipClasses(applicationClasses(v2)).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("com.example.tasks.ShippedSquare")
          .hasMessageContaining("conflicting byte code")
          .hasMessageContaining("restart the members");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("refused well before the 30 s connect timeout")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(plain.submit(square(v1, 9)).result(Duration.ofSeconds(30)))
          .as("the first version still runs")
          .hasToString("ShippedResult[square=81, version=v1, pid=" + onMember.pid() + "]");
    }

    // a member with user code deployment off refuses, at once, with Hazelcast's reason
    long start = System.nanoTime();
    assertThatThrownBy(() -> client(off, offPort, v1).shipClasses(applicationClasses(v1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("User Code Deployment is not enabled")
        .hasMessageContaining("user-code-deployment: enabled: true");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("refused well before the 30 s connect timeout")
        .isLessThan(Duration.ofSeconds(10));
  }
}
