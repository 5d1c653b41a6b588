package dev.eventual.loop;

import static dev.eventual.loop.SubprocessRedirect.DEVNULL;
import static dev.eventual.loop.SubprocessRedirect.INHERIT;
import static dev.eventual.loop.SubprocessRedirect.PIPE;
import static dev.eventual.loop.SubprocessRedirect.STDOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Process} and {@link Asyncio#createSubprocessExec} / {@link Asyncio#createSubprocessShell}
 * (with {@link SubprocessStreamProtocol}): the cases of CPython's {@code test_subprocess.py}
 * ({@code SubprocessMixin}) that apply, in task bodies, with {@code cat}, {@code sh}, {@code sleep}
 * and {@code echo} only.
 */
@Timeout(30)
class ProcessTest extends LoopTaskFixture {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  // test_subprocess.py: test_stdin_stdout (write, drain, close stdin; read stdout; wait)
  @Test
  void catEchoesThroughTheStreams() {
    String out =
        run(
            () -> {
              Process p = Asyncio.createSubprocessExec(List.of("cat"), PIPE, PIPE, INHERIT);
              assertThat(p.pid()).isPositive();
              assertThat(p.stderr()).isNull();
              p.stdin().write(ascii("hello stream"));
              p.stdin().drain();
              p.stdin().close();
              byte[] read = p.stdout().read();
              assertThat(p.await()).isZero();
              assertThat(p.returncode()).isZero();
              return text(read);
            });
    assertThat(out).isEqualTo("hello stream");
  }

  // test_subprocess.py: test_communicate
  @Test
  void communicateWritesInputAndCollectsBothOutputs() {
    Process.Output out =
        run(
            () -> {
              Process p = Asyncio.createSubprocessShell("cat; echo done 1>&2", PIPE, PIPE, PIPE);
              Process.Output o = p.communicate(ascii("some data"));
              assertThat(p.returncode()).isZero();
              return o;
            });
    assertThat(text(out.stdout())).isEqualTo("some data");
    assertThat(text(out.stderr())).isEqualTo("done\n");
  }

  // test_subprocess.py: test_communicate with large data (and test_pause_reading's limit): 1 MB
  // in and out of cat, with the readers' limit far below it, does not deadlock
  @Test
  void communicateOfAMegabyteDoesNotDeadlock() {
    byte[] payload = new byte[1 << 20];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 7);
    }
    byte[] out =
        run(
            () -> {
              Process p = Asyncio.createSubprocessExec(List.of("cat"), PIPE, PIPE, PIPE, 16 * 1024);
              return p.communicate(payload).stdout();
            });
    assertThat(out).isEqualTo(payload);
  }

  // test_subprocess.py: test_communicate_ignore_broken_pipe (the child exits without reading)
  @Test
  void communicateIgnoresAChildThatDoesNotReadItsInput() {
    int code =
        run(
            () -> {
              Process p = Asyncio.createSubprocessShell("exit 3", PIPE, PIPE, PIPE);
              Process.Output o = p.communicate(new byte[1 << 20]);
              assertThat(o.stdout()).isEmpty();
              return p.returncode();
            });
    assertThat(code).isEqualTo(3);
  }

  // test_subprocess.py: test_stdout_stderr_to_stdout... (stderr=STDOUT) and DEVNULL
  @Test
  void stderrToStdoutAndDevnull() {
    Process.Output out =
        run(
            () -> {
              Process p =
                  Asyncio.createSubprocessShell("echo out; echo err 1>&2", DEVNULL, PIPE, STDOUT);
              assertThat(p.stdin()).isNull();
              assertThat(p.stderr()).isNull();
              return p.communicate();
            });
    assertThat(text(out.stdout())).isEqualTo("out\nerr\n");
    assertThat(out.stderr()).isNull();
  }

  // test_subprocess.py: test_shell (the return code) and test_exec's echo
  @Test
  void theShellsReturnCodeAndEchosOutput() {
    List<Object> seen =
        run(
            () -> {
              Process sh = Asyncio.createSubprocessShell("exit 7", DEVNULL, DEVNULL, DEVNULL);
              Process echo =
                  Asyncio.createSubprocessExec(List.of("echo", "a", "b"), DEVNULL, PIPE, INHERIT);
              byte[] line = echo.stdout().readline();
              return List.of(sh.await(), text(line), echo.await());
            });
    assertThat(seen).containsExactly(7, "a b\n", 0);
  }

  // test_subprocess.py: test_terminate and test_kill (Python's -SIGTERM/-SIGKILL are 128 + N)
  @Test
  void terminateAndKillASleep() {
    List<Integer> codes =
        run(
            () -> {
              Process t = Asyncio.createSubprocessExec(List.of("sleep", "30"), DEVNULL, PIPE, PIPE);
              Process k = Asyncio.createSubprocessExec(List.of("sleep", "30"), DEVNULL, PIPE, PIPE);
              t.terminate();
              k.kill();
              return List.of(t.await(), k.await());
            });
    assertThat(codes).containsExactly(128 + 15, 128 + 9);
  }

  // test_subprocess.py: test_create_subprocess_exec_with_path's failure: a missing program
  @Test
  void aMissingProgramThrowsTheIoException() {
    Throwable e =
        run(
            () -> {
              try {
                Asyncio.createSubprocessExec(List.of("/nonexistent/eventual-no-such"));
                return null;
              } catch (IOException expected) {
                return expected;
              }
            });
    assertThat(e).hasMessageContaining("Cannot run program");
  }

  // test_subprocess.py: test_subprocess_exec_invalid_args' spirit: clear errors at the call
  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> Asyncio.createSubprocessExec(List.of("cat")))
        .isInstanceOf(IllegalStateException.class);
    run(
        () -> {
          Process p = Asyncio.createSubprocessExec(List.of("cat"), DEVNULL, PIPE, PIPE);
          assertThatThrownBy(() -> p.communicate(ascii("x")))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("input given, but stdin is not a PIPE");
          assertThatThrownBy(
                  () -> Asyncio.createSubprocessExec(List.of("cat"), PIPE, PIPE, PIPE, 0))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith("limit must be positive");
          assertThatThrownBy(() -> Asyncio.createSubprocessShell(null, PIPE, PIPE, PIPE))
              .isInstanceOf(NullPointerException.class)
              .hasMessage("cmd must not be null");
          p.communicate();
          return null;
        });
  }

  // the "no thread or descriptor left behind": five communicates, then no pump thread
  // and no extra pipe
  @Test
  void communicatesLeaveNoThreadAndNoPipe() throws Exception {
    assumeTrue(new File("/proc/self/fd").isDirectory(), "counts descriptors in /proc/self/fd");
    run(() -> Asyncio.createSubprocessExec(List.of("cat"), PIPE, PIPE, PIPE).communicate());
    waitForNoPumps();
    int pipesBefore = ProcessTransportTest.openPipes();
    for (int i = 0; i < 5; i++) {
      int n = i;
      byte[] out =
          run(
              () ->
                  Asyncio.createSubprocessExec(List.of("cat"), PIPE, PIPE, PIPE)
                      .communicate(ascii("round " + n))
                      .stdout());
      assertThat(text(out)).isEqualTo("round " + i);
    }
    waitForNoPumps();
    assertThat(ProcessTransportTest.openPipes()).isEqualTo(pipesBefore);
  }

  private static void waitForNoPumps() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (ProcessTransportTest.pumpThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(ProcessTransportTest.pumpThreads()).isZero();
  }
}
