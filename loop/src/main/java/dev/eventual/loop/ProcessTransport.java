package dev.eventual.loop;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@link SubprocessTransport} of a {@link java.lang.Process}: asyncio's {@code
 * BaseSubprocessTransport} with its pipe protocols, on {@link ReadPipeTransport} and {@link
 * WritePipeTransport}.
 *
 * <p>Threads: a {@code Process}'s pipes are blocking streams, not selectable channels, so each pipe
 * has one daemon pump thread (see the pipe classes); the exit comes from {@link
 * java.lang.Process#onExit()} (the JDK's own reaper thread), handed to the loop with {@link
 * EventLoop#callSoonThreadsafe}. No thread of ours waits for the exit. A process with three pipes
 * costs three threads while its pipes are open; each ends with its pipe.
 *
 * <pre>
 *   field        changes                                          who reads it
 *   returncode   null -> the exit status (exited)                 getReturncode, tryFinish
 *   open         the pipes not yet lost; a pipe's loss removes it  tryFinish
 *   closing      false -> true (close)                            isClosing
 *   finished     false -> true when connectionLost is scheduled   sendSignal, tryFinish
 *   waiters      futures of finish(); resolved after connectionLost
 * </pre>
 *
 * <p>Order of the protocol's calls: {@code connectionMade} in the turn after the start (the pumps
 * start after it is scheduled, so every pipe call comes later); pipe data, pipe losses and {@code
 * processExited} as they happen; {@code connectionLost} once the process has exited and every pipe
 * is lost. When the process exits while its stdin pipe has nothing left to write, that pipe is
 * closed (asyncio's write pipe sees the reader's hang-up; a stream cannot).
 */
final class ProcessTransport implements SubprocessTransport {
  private final EventLoop loop;
  private final java.lang.Process process;
  private final Object[] pipes = new Object[3];
  private final BaseProtocol[] pipeProtocols = new BaseProtocol[3];
  private final List<Integer> open = new ArrayList<>();
  private SubprocessProtocol protocol;
  private Integer returncode;
  private boolean closing;
  private boolean finished;
  private List<LoopFuture<Integer>> waiters = new ArrayList<>();

  private ProcessTransport(EventLoop loop, java.lang.Process process, SubprocessProtocol protocol) {
    this.loop = loop;
    this.process = process;
    this.protocol = protocol;
  }

  /** Starts {@code command}; the future is done after {@code connectionMade}. */
  static <P extends SubprocessProtocol> LoopFuture<SubprocessConnection<P>> start(
      EventLoop loop,
      Supplier<P> protocolFactory,
      List<String> command,
      SubprocessRedirect stdin,
      SubprocessRedirect stdout,
      SubprocessRedirect stderr) {
    Objects.requireNonNull(protocolFactory, "protocolFactory must not be null");
    ProcessBuilder builder = builder(command, stdin, stdout, stderr);
    loop.checkClosed();
    LoopFuture<SubprocessConnection<P>> result = loop.createFuture();
    P protocol;
    try {
      protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
    } catch (RuntimeException e) {
      result.setException(e);
      return result;
    }
    java.lang.Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      result.setException(e); // a missing program: "Cannot run program ...", Python's OSError
      return result;
    }
    ProcessTransport transport = new ProcessTransport(loop, process, protocol);
    transport.connect(stdin, stdout, stderr);
    loop.callSoon(
        () -> {
          if (!result.isDone()) {
            result.setResult(new SubprocessConnection<>(transport, protocol));
          } else {
            transport.close(); // cancelled while starting: as asyncio, close (and kill) it
          }
        });
    return result;
  }

  private static ProcessBuilder builder(
      List<String> command,
      SubprocessRedirect stdin,
      SubprocessRedirect stdout,
      SubprocessRedirect stderr) {
    Objects.requireNonNull(command, "args must not be null");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("args must name a program");
    }
    for (int i = 0; i < command.size(); i++) {
      Objects.requireNonNull(command.get(i), "args[" + i + "] must not be null");
    }
    Objects.requireNonNull(stdin, "stdin must not be null");
    Objects.requireNonNull(stdout, "stdout must not be null");
    Objects.requireNonNull(stderr, "stderr must not be null");
    if (stdin == SubprocessRedirect.STDOUT) {
      throw new IllegalArgumentException("stdin cannot be STDOUT");
    }
    if (stdout == SubprocessRedirect.STDOUT) {
      throw new IllegalArgumentException("stdout cannot be STDOUT (only stderr can)");
    }
    ProcessBuilder b = new ProcessBuilder(command);
    b.redirectInput(
        switch (stdin) {
          case PIPE -> ProcessBuilder.Redirect.PIPE;
          case DEVNULL -> ProcessBuilder.Redirect.from(new File("/dev/null"));
          default -> ProcessBuilder.Redirect.INHERIT;
        });
    b.redirectOutput(redirectOut(stdout));
    if (stderr == SubprocessRedirect.STDOUT) {
      b.redirectErrorStream(true);
    } else {
      b.redirectError(redirectOut(stderr));
    }
    return b;
  }

  private static ProcessBuilder.Redirect redirectOut(SubprocessRedirect r) {
    return switch (r) {
      case PIPE -> ProcessBuilder.Redirect.PIPE;
      case DEVNULL -> ProcessBuilder.Redirect.DISCARD;
      default -> ProcessBuilder.Redirect.INHERIT;
    };
  }

  /** Schedules connectionMade, then starts the pumps and watches for the exit. */
  private void connect(
      SubprocessRedirect stdin, SubprocessRedirect stdout, SubprocessRedirect err) {
    String name = "eventual-subprocess-" + process.pid() + "-";
    if (stdin == SubprocessRedirect.PIPE) {
      pipes[0] = new WritePipeTransport(loop, this, process.getOutputStream(), name + "stdin");
      open.add(0);
    } else {
      closeQuietly(process.getOutputStream());
    }
    if (stdout == SubprocessRedirect.PIPE) {
      pipes[1] = new ReadPipeTransport(loop, this, 1, process.getInputStream(), name + "stdout");
      open.add(1);
    }
    if (err == SubprocessRedirect.PIPE) {
      pipes[2] = new ReadPipeTransport(loop, this, 2, process.getErrorStream(), name + "stderr");
      open.add(2);
    }
    for (int fd = 0; fd < 3; fd++) {
      int f = fd;
      pipeProtocols[fd] =
          new BaseProtocol() {
            @Override
            public void pauseWriting() {
              ProcessTransport.this.pauseWriting();
            }

            @Override
            public void resumeWriting() {
              ProcessTransport.this.resumeWriting();
            }

            @Override
            public String toString() {
              return "SubprocessPipeProtocol[fd=" + f + "]";
            }
          };
    }
    loop.callSoon(() -> call(() -> protocol.connectionMade(this), "connectionMade"));
    if (pipes[0] instanceof WritePipeTransport w) {
      w.start();
    }
    for (int fd = 1; fd < 3; fd++) {
      if (pipes[fd] instanceof ReadPipeTransport r) {
        r.start();
      }
    }
    process
        .onExit()
        .whenComplete(
            (p, t) -> {
              try {
                loop.callSoonThreadsafe(() -> processExited(process.exitValue()));
              } catch (RuntimeException closedLoop) {
                // the loop is gone: nobody is left to tell
              }
            });
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing was written to it
    }
  }

  /**
   * Calls the protocol; what it throws goes to the exception handler, and the transport goes on.
   */
  private void call(Runnable r, String method) {
    try {
      r.run();
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      loop.callExceptionHandler(
          new ExceptionContext("protocol." + method + "() failed", t, null, null));
    }
  }

  // ------------------------------------------------------------------ from the pipes and the exit

  void pipeDataReceived(int fd, ByteBuffer data) {
    call(() -> protocol.pipeDataReceived(fd, data), "pipeDataReceived");
  }

  void pipeConnectionLost(int fd, Throwable e) {
    if (!open.remove((Integer) fd)) {
      return;
    }
    call(() -> protocol.pipeConnectionLost(fd, e), "pipeConnectionLost");
    tryFinish();
  }

  void pauseWriting() {
    call(protocol::pauseWriting, "pauseWriting");
  }

  void resumeWriting() {
    call(protocol::resumeWriting, "resumeWriting");
  }

  BaseProtocol pipeProtocol(int fd) {
    return pipeProtocols[fd];
  }

  private void processExited(int status) {
    if (returncode != null) {
      return;
    }
    returncode = status;
    call(protocol::processExited, "processExited");
    if (pipes[0] instanceof WritePipeTransport w && w.isDrained()) {
      w.close(); // its only reader is gone (see the class comment)
    }
    tryFinish();
  }

  private void tryFinish() {
    if (finished || returncode == null || !open.isEmpty()) {
      return;
    }
    finished = true;
    loop.callSoon(
        () -> {
          try {
            call(() -> protocol.connectionLost(null), "connectionLost");
          } finally {
            for (LoopFuture<Integer> w : waiters) {
              if (!w.isDone()) {
                w.setResult(returncode);
              }
            }
            waiters = null;
          }
        });
  }

  /**
   * asyncio's {@code _wait()}: a future of the return code, done after {@code connectionLost} (the
   * process has exited and its pipes are closed).
   */
  LoopFuture<Integer> finish() {
    LoopFuture<Integer> f = loop.createFuture();
    if (waiters == null) {
      f.setResult(returncode);
    } else {
      waiters.add(f);
    }
    return f;
  }

  // ------------------------------------------------------------------ SubprocessTransport

  @Override
  public long getPid() {
    return process.pid();
  }

  @Override
  public Integer getReturncode() {
    return returncode;
  }

  @Override
  public Transport getPipeTransport(int fd) {
    return fd >= 0 && fd < 3 ? (Transport) pipes[fd] : null;
  }

  @Override
  public void sendSignal(int signal) {
    if (signal != 15 && signal != 9) {
      throw new IllegalArgumentException(
          "signal must be 15 (SIGTERM) or 9 (SIGKILL), the only ones the JDK sends: " + signal);
    }
    if (finished) {
      throw new IllegalStateException("ProcessLookupError: the process's transport has finished");
    }
    if (returncode != null) {
      return;
    }
    if (signal == 9) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
  }

  @Override
  public void terminate() {
    sendSignal(15);
  }

  @Override
  public void kill() {
    sendSignal(9);
  }

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    for (Object p : pipes) {
      if (p != null) {
        ((Transport) p).close();
      }
    }
    if (returncode == null && process.isAlive()) {
      process.destroyForcibly(); // as asyncio: a running child is killed
    }
  }

  @Override
  public boolean isClosing() {
    return closing;
  }

  @Override
  public Object getExtraInfo(String name, Object defaultValue) {
    return "subprocess".equals(Objects.requireNonNull(name, "name must not be null"))
        ? process
        : defaultValue;
  }

  @Override
  public SubprocessProtocol getProtocol() {
    return protocol;
  }

  @Override
  public void setProtocol(SubprocessProtocol protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol must not be null");
  }

  @Override
  public String toString() {
    return "SubprocessTransport[pid="
        + process.pid()
        + (returncode != null ? ", returncode=" + returncode : ", running")
        + (closing ? ", closing" : "")
        + "]";
  }
}
