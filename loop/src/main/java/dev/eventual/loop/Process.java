package dev.eventual.loop;

import java.io.IOException;
import java.util.List;

/**
 * A child process with streams, for task bodies: asyncio's {@code asyncio.subprocess.Process}, as
 * {@link Asyncio#createSubprocessExec} and {@link Asyncio#createSubprocessShell} return it. Its
 * {@link #stdin()} is a {@link StreamWriter}, its {@link #stdout()} and {@link #stderr()} are
 * {@link StreamReader}s (each null unless that stream is a {@link SubprocessRedirect#PIPE}); {@link
 * #await()} and {@link #communicate(byte[])} suspend the calling task.
 *
 * <pre>{@code
 * Process p = Asyncio.createSubprocessExec(List.of("cat"), PIPE, PIPE, INHERIT);
 * Process.Output out = p.communicate("hello".getBytes());   // stdout, stderr = await p.communicate(b"hello")
 * int code = p.await();                                     // await p.wait()
 * }</pre>
 *
 * <p>The name is asyncio's, although {@code java.lang.Process} has it too (the module's rule for
 * clashing names, see the package documentation): since {@code java.lang} is always imported on
 * demand, a file that imports {@code dev.eventual.loop.*} imports this class by name ({@code import
 * dev.eventual.loop.Process;}) and writes {@code java.lang.Process} for the JDK's, or uses {@code
 * var}. Threads: see {@link EventLoop#subprocessExec}.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code wait()} is {@link #await()}: {@code Object.wait} is final (the module's rule).
 *   <li>{@link #returncode()} of a child killed by signal N is 128 + N, not -N (see {@link
 *       SubprocessTransport}); {@link #sendSignal} sends SIGTERM and SIGKILL only.
 *   <li>{@link #communicate(byte[])} with input and no stdin pipe throws; Python ignores the input.
 * </ul>
 */
public final class Process {
  /**
   * What {@link #communicate(byte[])} collected: Python's {@code (stdout_data, stderr_data)}.
   *
   * @param stdout all of stdout, or null when it is not a pipe
   * @param stderr all of stderr, or null when it is not a pipe
   */
  public record Output(byte[] stdout, byte[] stderr) {}

  private final ProcessTransport transport;
  private final SubprocessStreamProtocol protocol;

  private Process(ProcessTransport transport, SubprocessStreamProtocol protocol) {
    this.transport = transport;
    this.protocol = protocol;
  }

  /** asyncio's {@code create_subprocess_exec}: starts the child and waits for its pipes. */
  static Process start(
      List<String> args,
      SubprocessRedirect stdin,
      SubprocessRedirect stdout,
      SubprocessRedirect stderr,
      int limit,
      String what)
      throws IOException {
    Streams.checkLimit(limit);
    EventLoop loop = Streams.taskLoop(what);
    SubprocessConnection<SubprocessStreamProtocol> c =
        FlowControlProtocol.awaitIo(
            loop.subprocessExec(
                () -> new SubprocessStreamProtocol(loop, limit), args, stdin, stdout, stderr));
    return new Process((ProcessTransport) c.transport(), c.protocol());
  }

  /**
   * The child's stdin: Python's {@code stdin} attribute.
   *
   * @return its writer, or null when stdin is not a pipe
   */
  public StreamWriter stdin() {
    return protocol.stdin;
  }

  /**
   * The child's stdout: Python's {@code stdout} attribute.
   *
   * @return its reader, or null when stdout is not a pipe
   */
  public StreamReader stdout() {
    return protocol.stdout;
  }

  /**
   * The child's stderr: Python's {@code stderr} attribute.
   *
   * @return its reader, or null when stderr is not a pipe
   */
  public StreamReader stderr() {
    return protocol.stderr;
  }

  /**
   * The child's process id: Python's {@code pid}.
   *
   * @return the pid
   */
  public long pid() {
    return transport.getPid();
  }

  /**
   * The child's return code: Python's {@code returncode}.
   *
   * @return the exit status once the loop has seen the exit, else null
   */
  public Integer returncode() {
    return transport.getReturncode();
  }

  /**
   * Suspends the calling task until the child has exited and its pipes are closed, as CPython 3.12+
   * does: Python's {@code await proc.wait()}. With a stdout or stderr pipe that nobody reads, the
   * child may block on a full pipe and never exit: use {@link #communicate(byte[])} then.
   *
   * @return the return code
   * @throws IllegalStateException if it must wait and the caller is not a task
   * @throws java.util.concurrent.CancellationException if the task is cancelled while it waits (the
   *     child goes on)
   */
  public int await() {
    LoopFuture<Integer> finished = transport.finish();
    if (!finished.isDone()) {
      Task.require("Process.await()");
    }
    return finished.isDone() ? finished.result() : Await.await(finished);
  }

  /**
   * Sends {@code signal}: Python's {@code send_signal(signal)}.
   *
   * @param signal 15 (SIGTERM) or 9 (SIGKILL)
   * @throws IllegalArgumentException for any other signal
   * @throws IllegalStateException once the process's transport has finished
   */
  public void sendSignal(int signal) {
    transport.sendSignal(signal);
  }

  /**
   * SIGTERM: Python's {@code terminate()}.
   *
   * @throws IllegalStateException once the process's transport has finished
   */
  public void terminate() {
    transport.terminate();
  }

  /**
   * SIGKILL: Python's {@code kill()}.
   *
   * @throws IllegalStateException once the process's transport has finished
   */
  public void kill() {
    transport.kill();
  }

  /**
   * {@link #communicate(byte[])} with no input.
   *
   * @return stdout and stderr
   * @throws IOException a read error of stdout or stderr
   * @throws IllegalStateException if the caller is not a task
   */
  public Output communicate() throws IOException {
    return communicate(null);
  }

  /**
   * Writes {@code input} to stdin and closes it, reads stdout and stderr to their ends, all at
   * once, then waits for the exit: Python's {@code await proc.communicate(input)}. Writing stdin,
   * reading stderr and reading stdout run side by side (two helper tasks and the caller), so a
   * child that writes a lot before it reads all its input does not deadlock. A child that exits
   * without reading all its input is fine: the write's error is dropped, as Python drops {@code
   * BrokenPipeError} and {@code ConnectionResetError}.
   *
   * @param input the bytes for stdin, or null
   * @return stdout and stderr, each null when not a pipe
   * @throws IOException a read error of stdout or stderr
   * @throws IllegalArgumentException if {@code input} is given and stdin is not a pipe
   * @throws IllegalStateException if the caller is not a task
   * @throws java.util.concurrent.CancellationException if the task is cancelled (its helper tasks
   *     are cancelled too; the child goes on)
   */
  public Output communicate(byte[] input) throws IOException {
    if (input != null && protocol.stdin == null) {
      throw new IllegalArgumentException("input given, but stdin is not a PIPE");
    }
    EventLoop loop = Streams.taskLoop("Process.communicate()");
    Task<Void> feeder =
        protocol.stdin == null
            ? null
            : loop.createTask(
                () -> {
                  feedStdin(input);
                  return null;
                });
    Task<byte[]> errReader = protocol.stderr == null ? null : loop.createTask(() -> readStream(2));
    try {
      byte[] out = protocol.stdout == null ? null : readStream(1);
      if (feeder != null) {
        FlowControlProtocol.awaitIo(feeder);
      }
      byte[] err = errReader == null ? null : FlowControlProtocol.awaitIo(errReader);
      await();
      return new Output(out, err);
    } finally {
      if (feeder != null && !feeder.isDone()) {
        feeder.cancel();
      }
      if (errReader != null && !errReader.isDone()) {
        errReader.cancel();
      }
    }
  }

  private void feedStdin(byte[] input) {
    StreamWriter w = protocol.stdin;
    try {
      if (input != null) {
        w.write(input);
        w.drain();
      }
    } catch (IOException e) {
      // the child stopped reading (a broken pipe, the pipe lost): Python ignores it too
    }
    w.close();
  }

  private byte[] readStream(int fd) throws IOException {
    StreamReader stream = fd == 2 ? protocol.stderr : protocol.stdout;
    byte[] output = stream.read();
    transport.getPipeTransport(fd).close();
    return output;
  }

  @Override
  public String toString() {
    return "Process[pid=" + pid() + ", returncode=" + returncode() + "]";
  }
}
