package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Child processes on the loop's protocol level ({@link ProcessTransport}, {@link
 * ReadPipeTransport}, {@link WritePipeTransport}): the cases of CPython's {@code
 * test_subprocess.py} (and {@code test_events.py}'s {@code test_subprocess_*}) that apply, with
 * {@code cat}, {@code sh}, {@code sleep} and {@code echo} only.
 */
@Timeout(30)
class ProcessTransportTest extends LoopTaskFixture {
  /** Records its calls, as test_events.py's MySubprocessProtocol keeps its state and data. */
  static final class Recorder implements SubprocessProtocol {
    final List<String> calls = new ArrayList<>();
    final ByteArrayOutputStream[] data = {
      new ByteArrayOutputStream(), new ByteArrayOutputStream(), new ByteArrayOutputStream()
    };
    final Throwable[] pipeErrors = new Throwable[3];
    SubprocessTransport transport;
    final LoopFuture<Void> exited;
    final LoopFuture<Void> completed;

    Recorder(EventLoop loop) {
      exited = loop.createFuture();
      completed = loop.createFuture();
    }

    @Override
    public void connectionMade(SubprocessTransport t) {
      transport = t;
      calls.add("made");
    }

    @Override
    public void pipeDataReceived(int fd, ByteBuffer d) {
      String call = "data" + fd;
      if (!calls.get(calls.size() - 1).equals(call)) {
        calls.add(call);
      }
      byte[] b = new byte[d.remaining()];
      d.get(b);
      data[fd].writeBytes(b);
    }

    @Override
    public void pipeConnectionLost(int fd, Throwable e) {
      calls.add("lost" + fd);
      pipeErrors[fd] = e;
    }

    @Override
    public void pauseWriting() {
      calls.add("pause");
    }

    @Override
    public void resumeWriting() {
      calls.add("resume");
    }

    @Override
    public void processExited() {
      calls.add("exited");
      exited.setResult(null);
    }

    @Override
    public void connectionLost(Throwable e) {
      calls.add("lost");
      completed.setResult(null);
    }

    String text(int fd) {
      return data[fd].toString(StandardCharsets.ISO_8859_1);
    }
  }

  private SubprocessConnection<Recorder> exec(String... args) {
    return loop.runUntilComplete(loop.subprocessExec(() -> new Recorder(loop), List.of(args)));
  }

  private void awaitCompleted(Recorder r) {
    loop.runUntilComplete(r.completed);
  }

  // test_subprocess.py: test_stdin_stdout (cat echoes what it is given) and test_events.py:
  // test_subprocess_interactive / MySubprocessProtocol's states
  @Test
  void catEchoesStdinToStdoutAndTheCallsComeInOrder() {
    SubprocessConnection<Recorder> c = exec("cat");
    Recorder p = c.protocol();
    assertThat(p.calls).containsExactly("made");
    assertThat(c.transport().getPid()).isPositive();
    assertThat(c.transport().getReturncode()).isNull();
    Transport stdin = c.transport().getPipeTransport(0);
    stdin.write("hello ".getBytes(StandardCharsets.ISO_8859_1));
    stdin.write("cat".getBytes(StandardCharsets.ISO_8859_1));
    stdin.close();
    awaitCompleted(p);
    assertThat(p.text(1)).isEqualTo("hello cat");
    assertThat(p.text(2)).isEmpty();
    assertThat(c.transport().getReturncode()).isZero();
    assertThat(p.calls.get(0)).isEqualTo("made");
    assertThat(p.calls).contains("data1", "lost0", "lost1", "lost2", "exited");
    assertThat(p.calls.get(p.calls.size() - 1)).isEqualTo("lost");
    assertThat(p.calls.indexOf("data1")).isLessThan(p.calls.indexOf("lost1"));
    assertThat(p.pipeErrors).containsOnlyNulls();
  }

  // test_subprocess.py: test_communicate with a large input and output, and test_pause_reading's
  // aim: 1 MB through cat both ways at once, no deadlock (the loop never blocks on a pipe)
  @Test
  void aMegabyteThroughCatBothWaysDoesNotDeadlock() {
    byte[] payload = new byte[1 << 20];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    SubprocessConnection<Recorder> c = exec("cat");
    Transport stdin = c.transport().getPipeTransport(0);
    stdin.write(payload);
    assertThat(stdin.getWriteBufferSize()).isGreaterThan(0); // the pump has not written it all
    stdin.close();
    awaitCompleted(c.protocol());
    assertThat(c.protocol().data[1].toByteArray()).isEqualTo(payload);
    assertThat(c.protocol().calls).containsSubsequence("made", "pause", "resume", "lost");
  }

  // test_subprocess.py: test_stdout_stderr_to_stdout (stderr=STDOUT)
  @Test
  void stderrCanGoToStdout() {
    SubprocessConnection<Recorder> c =
        loop.runUntilComplete(
            loop.subprocessShell(
                () -> new Recorder(loop),
                "echo out; echo err 1>&2",
                SubprocessRedirect.DEVNULL,
                SubprocessRedirect.PIPE,
                SubprocessRedirect.STDOUT));
    assertThat(c.transport().getPipeTransport(0)).isNull();
    assertThat(c.transport().getPipeTransport(2)).isNull();
    awaitCompleted(c.protocol());
    assertThat(c.protocol().text(1)).isEqualTo("out\nerr\n");
    assertThat(c.protocol().calls).doesNotContain("lost0", "lost2");
  }

  // test_subprocess.py: test_shell / test_exec's return codes, and stderr on its own pipe
  @Test
  void theReturnCodeAndStderrArrive() {
    SubprocessConnection<Recorder> c =
        loop.runUntilComplete(
            loop.subprocessShell(() -> new Recorder(loop), "echo oops 1>&2; exit 7"));
    awaitCompleted(c.protocol());
    assertThat(c.transport().getReturncode()).isEqualTo(7);
    assertThat(c.protocol().text(2)).isEqualTo("oops\n");
    assertThat(c.protocol().text(1)).isEmpty();
  }

  // test_subprocess.py: test_terminate and test_kill (Python's -SIGTERM/-SIGKILL are 128 + N
  // here), test_send_signal's refusal of what the JDK cannot send
  @Test
  void terminateAndKillStopASleep() {
    SubprocessConnection<Recorder> term = exec("sleep", "30");
    term.transport().terminate();
    awaitCompleted(term.protocol());
    assertThat(term.transport().getReturncode()).isEqualTo(128 + 15);

    SubprocessConnection<Recorder> killed = exec("sleep", "30");
    assertThatThrownBy(() -> killed.transport().sendSignal(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("signal must be 15 (SIGTERM) or 9 (SIGKILL)");
    killed.transport().sendSignal(9);
    awaitCompleted(killed.protocol());
    assertThat(killed.transport().getReturncode()).isEqualTo(128 + 9);
    // test_subprocess.py: test_send_signal after the end: ProcessLookupError
    assertThatThrownBy(() -> killed.transport().kill())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ProcessLookupError");
  }

  // test_subprocess.py: test_close_kill_running (close() kills a running child)
  @Test
  void closeKillsARunningChild() {
    SubprocessConnection<Recorder> c = exec("sleep", "30");
    c.transport().close();
    assertThat(c.transport().isClosing()).isTrue();
    c.transport().close();
    awaitCompleted(c.protocol());
    assertThat(c.transport().getReturncode()).isEqualTo(128 + 9);
    assertThat(c.protocol().calls)
        .containsExactlyInAnyOrder("made", "lost0", "lost1", "lost2", "exited", "lost");
  }

  // test_subprocess.py: test_subprocess_protocol_events' processExited, with a grandchild that
  // holds stdout and stderr: the exit and its return code come at the child's exit, not when the
  // grandchild lets go (the JDK then closes our end of a pipe unless a read is in progress, so the
  // pipes' losses may come at the exit or after the grandchild)
  @Test
  void theExitIsSeenWhileAGrandchildHoldsThePipes() {
    SubprocessConnection<Recorder> c =
        loop.runUntilComplete(
            loop.subprocessShell(
                () -> new Recorder(loop),
                "sleep 2 & echo started",
                SubprocessRedirect.DEVNULL,
                SubprocessRedirect.PIPE,
                SubprocessRedirect.PIPE));
    long t0 = System.nanoTime();
    loop.runUntilComplete(c.protocol().exited);
    long exitedAfter = System.nanoTime() - t0;
    assertThat(c.transport().getReturncode()).isZero();
    assertThat(exitedAfter).isLessThan(Duration.ofMillis(1500).toNanos());
    awaitCompleted(c.protocol());
    assertThat(c.protocol().text(1)).isEqualTo("started\n");
    assertThat(c.protocol().calls)
        .containsExactlyInAnyOrder("made", "data1", "lost1", "lost2", "exited", "lost");
    assertThat(c.protocol().calls.get(5)).isEqualTo("lost");
  }

  // test_subprocess.py: test_start_new_session's sibling test_exec_no_such_program (the start's
  // OSError goes to the future)
  @Test
  void aMissingProgramFailsTheFutureWithTheIoException() {
    LoopFuture<SubprocessConnection<Recorder>> f =
        loop.subprocessExec(() -> new Recorder(loop), List.of("/nonexistent/eventual-no-such"));
    assertThatThrownBy(() -> loop.runUntilComplete(f))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot run program");
  }

  // test_subprocess.py: test_subprocess_exec_invalid_args / test_subprocess_shell_invalid_args
  @Test
  void badArgumentsAreRefusedAtTheCall() {
    assertThatThrownBy(() -> loop.subprocessExec(() -> new Recorder(loop), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("args must name a program");
    assertThatThrownBy(
            () -> loop.subprocessExec(() -> new Recorder(loop), Arrays.asList("cat", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("args[1] must not be null");
    assertThatThrownBy(
            () ->
                loop.subprocessExec(
                    () -> new Recorder(loop),
                    List.of("cat"),
                    SubprocessRedirect.STDOUT,
                    SubprocessRedirect.PIPE,
                    SubprocessRedirect.PIPE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stdin cannot be STDOUT");
    assertThatThrownBy(() -> loop.subprocessShell(() -> new Recorder(loop), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cmd must not be null");
    assertThatThrownBy(() -> loop.subprocessExec(null, List.of("cat")))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("protocolFactory must not be null");
  }

  // test_subprocess.py: test_read_stdout_after_process_exit's cleanliness, and the issue's "no
  // thread or descriptor left behind": ten cats run and end; no pump thread and no pipe stays
  @Test
  void processesThatEndLeaveNoThreadAndNoPipe() throws Exception {
    assumeTrue(new File("/proc/self/fd").isDirectory(), "counts descriptors in /proc/self/fd");
    awaitCompleted(exec("echo", "warm-up").protocol()); // the JDK's reaper and loaded classes
    int pipesBefore = openPipes();
    List<Recorder> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      SubprocessConnection<Recorder> c = exec("cat");
      c.transport().getPipeTransport(0).write(("n" + i).getBytes(StandardCharsets.ISO_8859_1));
      c.transport().getPipeTransport(0).close();
      all.add(c.protocol());
    }
    assertThat(pumpThreads()).isGreaterThan(0);
    for (int i = 0; i < all.size(); i++) {
      awaitCompleted(all.get(i));
      assertThat(all.get(i).text(1)).isEqualTo("n" + i);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (pumpThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(pumpThreads()).isZero();
    assertThat(openPipes()).isEqualTo(pipesBefore);
  }

  // no CPython test (its pipes are the selector's): a loop closed while a child's pipes are open
  // leaves no pump behind. Before the pumps checked the loop, the stdin pump waited for ever.
  @Test
  void aLoopClosedUnderOpenPipesLeavesNoPump() throws Exception {
    EventLoop other = new EventLoop();
    SubprocessConnection<Recorder> c =
        other.runUntilComplete(other.subprocessExec(() -> new Recorder(other), List.of("cat")));
    java.lang.Process child = (java.lang.Process) c.transport().getExtraInfo("subprocess", null);
    other.close();
    child.destroyForcibly();
    child.waitFor();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (pumpThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(pumpThreads()).isZero();
  }

  static int pumpThreads() {
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("eventual-subprocess-"))
            .count();
  }

  static int openPipes() {
    return OpenDescriptors.count("pipe:");
  }
}
