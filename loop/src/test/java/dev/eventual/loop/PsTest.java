package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.ConcurrentFuture;
import dev.eventual.loop.tools.Ps;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Ps tool against a child JVM running {@link PsTarget} (Python 3.14's {@code python -m asyncio
 * ps PID} / {@code pstree PID}; CPython tests them in test_external_inspection.py).
 */
@Timeout(120)
class PsTest {
  private static String classPath() throws Exception {
    return String.join(
        File.pathSeparator,
        location(EventLoop.class),
        location(ConcurrentFuture.class),
        location(PsTest.class));
  }

  private static String location(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs the tool in a JVM of its own (as a user runs it) and returns what it printed. */
  private static String runTool(String command, long pid) throws Exception {
    java.lang.Process tool =
        new ProcessBuilder(
                java(), "-cp", classPath(), Ps.class.getName(), command, Long.toString(pid))
            .redirectErrorStream(true)
            .start();
    tool.getOutputStream().close();
    String out = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tool.waitFor(60, TimeUnit.SECONDS)).as("the tool ends").isTrue();
    assertThat(tool.exitValue()).as("the tool's exit code; it printed:\n" + out).isZero();
    return out;
  }

  @Test
  void psAndPstreeListTheTasksOfAnotherJvmWithWhatTheyAwaitAndWhereTheyWait() throws Exception {
    java.lang.Process target =
        new ProcessBuilder(java(), "-cp", classPath(), PsTarget.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).isEqualTo("READY");

      String ps = runTool("ps", target.pid());
      List<String> rows = ps.lines().toList();
      assertThat(rows.get(0)).startsWith("Loop EventLoop@").endsWith("3 pending task(s)");
      assertThat(rows.get(1)).matches("TASK ID +NAME +STATE +AWAITS +AWAITED BY +SUSPENDED AT");
      assertThat(rows)
          .anyMatch(
              r ->
                  r.matches(
                      "0x\\p{XDigit}+ +worker-1 +PENDING +Future\\(id=0x\\p{XDigit}+\\) +main-task"
                          + " +dev\\.eventual\\.loop\\.PsTarget\\.awaitGate\\(PsTarget\\.java:\\d+\\)"))
          .anyMatch(r -> r.matches("0x\\p{XDigit}+ +worker-2 +PENDING +Future.*main-task .*"))
          .anyMatch(
              r ->
                  r.matches(
                      "0x\\p{XDigit}+ +main-task +PENDING +Future\\(id=0x\\p{XDigit}+\\) +"
                          + "dev\\.eventual\\.loop\\.TaskGroup\\.exit\\(TaskGroup\\.java:\\d+\\)"));

      String tree = runTool("pstree", target.pid());
      assertThat(tree)
          .containsPattern("(?m)^└── \\(T\\) main-task \\[0x\\p{XDigit}+] PENDING awaits Future")
          .containsPattern("(?m)^    │ at dev\\.eventual\\.loop\\.TaskGroup\\.exit\\(")
          .containsPattern("(?m)^    ├── \\(T\\) worker-1 \\[0x\\p{XDigit}+] PENDING awaits Future")
          .containsPattern("(?m)^    └── \\(T\\) worker-2 ")
          .containsPattern("(?m)^          at dev\\.eventual\\.loop\\.PsTarget\\.awaitGate\\(");

      target.getOutputStream().close(); // the target opens its gate and ends
      assertThat(target.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(target.exitValue()).isZero();
    } finally {
      target.destroyForcibly();
    }
  }

  @Test
  void aBadCommandLineIsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errs = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThat(Ps.run(new String[] {}, out, errs)).isEqualTo(2);
    assertThat(Ps.run(new String[] {"top", "12"}, out, errs)).isEqualTo(2);
    assertThat(Ps.run(new String[] {"ps", "not-a-pid"}, out, errs)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("usage: Ps [ps|pstree] PID")
        .contains("PID must be a process id (digits): not-a-pid");
  }
}
