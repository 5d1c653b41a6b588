package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JVMs started by a test ({@link MemberMain} members, {@link DurableClientMain} clients) with the
 * test's class path, each killed with SIGKILL by {@link #close()}: call it from {@code @AfterEach}.
 */
public final class MemberProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();

  /** A started process and the first line it printed with the expected prefix (its rest). */
  record Started(Process process, String line, BufferedReader out) {}

  /** Starts {@code MemberMain cluster [join] [heartbeatSeconds]}; returns it and its address. */
  Started member(String cluster, String join, int heartbeatSeconds) throws IOException {
    return start(
        "ADDRESS ",
        MemberMain.class.getName(),
        cluster,
        join == null ? "-" : join,
        String.valueOf(heartbeatSeconds));
  }

  /**
   * The command line of every JVM the Hazelcast tests start: this JVM's {@code java}, a small heap,
   * C1 only (they live seconds), Hazelcast's logging off unless the system property {@code
   * eventual.test.hzlogging} names a logging type (for example {@code jdk}).
   *
   * @param classPath the class path of the new JVM
   * @param mainClass its main class
   * @param args the main class's arguments
   * @return the command
   */
  public static List<String> javaCommand(String classPath, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx128m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Dhazelcast.logging.type=" + System.getProperty("eventual.test.hzlogging", "none"));
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * A class path of the jars or directories these classes come from, each once, in this order.
   *
   * @param classes the classes
   * @return the class path
   */
  public static String classPathOf(Class<?>... classes) {
    return java.util.Arrays.stream(classes)
        .map(MemberProcesses::location)
        .distinct()
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  private static String location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Starts a main class of the test class path; waits for its line starting with {@code prefix}.
   * Its standard error goes to a file of its own in {@code target/process-logs} (or the directory
   * the system property {@code eventual.test.processlogs} names), kept for a failed run.
   */
  Started start(String prefix, String mainClass, String... args) throws IOException {
    List<String> cmd = javaCommand(System.getProperty("java.class.path"), mainClass, args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Path logs = Path.of(System.getProperty("eventual.test.processlogs", "target/process-logs"));
    java.nio.file.Files.createDirectories(logs);
    String name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    pb.redirectError(logs.resolve(name + "-" + System.nanoTime() + ".log").toFile());
    Process p = pb.start();
    processes.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith(prefix)) {
        return new Started(p, line.substring(prefix.length()), out);
      }
    }
    throw new AssertionError(mainClass + " ended before it printed '" + prefix + "...'");
  }

  /**
   * Asks a {@link MemberMain} member to wait until the cluster is safe: no partition migrating and
   * every backup in sync, so that the loss of one member loses no stored data (Hazelcast's own
   * tests wait for this before they kill a member). Right after a member joined, the partition
   * table may not have reached it yet, and a backup sent to it then is dropped until the replicas
   * are synchronised.
   */
  static void awaitClusterSafe(Started member) throws IOException {
    java.io.OutputStream in = member.process().getOutputStream();
    in.write("safe\n".getBytes(StandardCharsets.UTF_8));
    in.flush();
    for (String line; (line = member.out().readLine()) != null; ) {
      if (line.startsWith("SAFE ")) {
        assertThat(line).as("the cluster became safe within 60 s").isEqualTo("SAFE true");
        return;
      }
    }
    throw new AssertionError("the member ended before it answered 'safe'");
  }

  /** SIGKILL, and waits until the process is gone. */
  static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("killed process ended").isTrue();
  }

  /** Sends {@code kill -<name>} (STOP, CONT). */
  static void signal(String name, Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -" + name).isZero();
  }

  /** Waits for a task's started file (see {@link Tasks.Blocking}) and returns the PID in it. */
  static long awaitPid(Path started, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!Files.exists(started)) {
      assertThat(System.nanoTime()).as("task started: " + started).isLessThan(deadline);
      Thread.sleep(20);
    }
    return Long.parseLong(Files.readString(started).trim());
  }

  /**
   * Waits until a {@link Tasks.Blocking} task has started {@code n} times (the lines of its {@code
   * <file>.runs}, one per run, in any process) and returns the PIDs of those runs, in order.
   */
  static List<Long> awaitRuns(Path started, int n, long seconds) throws Exception {
    Path runs = Path.of(started + ".runs");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      List<Long> pids =
          Files.exists(runs)
              ? Files.readAllLines(runs).stream()
                  .filter(l -> !l.isBlank())
                  .map(l -> Long.parseLong(l.trim()))
                  .toList()
              : List.of();
      if (pids.size() >= n) {
        return pids;
      }
      assertThat(System.nanoTime())
          .as("run " + n + " of the task started (runs so far: " + pids + ")")
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** The started process whose PID is {@code pid}. */
  Process byPid(long pid) {
    return processes.stream()
        .filter(p -> p.pid() == pid)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no process of this test has pid " + pid));
  }

  /** Kills every process (SIGCONT first, so a stopped one dies at once) and waits for each. */
  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        try {
          signal("CONT", p);
        } catch (Exception | AssertionError ignored) {
          // it ended meanwhile
        }
        p.destroyForcibly();
      }
    }
    for (Process p : processes) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
