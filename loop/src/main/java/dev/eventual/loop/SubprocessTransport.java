package dev.eventual.loop;

/**
 * A child process driven by the loop: asyncio's {@code SubprocessTransport}. Every method belongs
 * to the loop's thread (or a task's code).
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@link #getReturncode()} of a process killed by signal N is 128 + N (the JDK's {@link
 *       java.lang.Process#exitValue()}), where Python gives -N: the JDK does not tell a signal from
 *       {@code exit(128 + N)}.
 *   <li>{@link #sendSignal} sends only SIGTERM (15) and SIGKILL (9), the two the JDK can send.
 * </ul>
 */
public interface SubprocessTransport {
  /**
   * The process's id: asyncio's {@code get_pid()}.
   *
   * @return the pid
   */
  long getPid();

  /**
   * The process's return code: asyncio's {@code get_returncode()}.
   *
   * @return the exit status once the loop has seen the process exit, else null
   */
  Integer getReturncode();

  /**
   * The transport of one of the child's pipes: asyncio's {@code get_pipe_transport(fd)}. The stdin
   * pipe's ({@code fd} 0) writes; the output pipes' ({@code fd} 1 and 2) can pause and resume
   * reading, and throw {@link UnsupportedOperationException} for the writing calls.
   *
   * @param fd 0, 1 or 2
   * @return the pipe's transport, or null when that stream is not a pipe
   */
  Transport getPipeTransport(int fd);

  /**
   * Sends {@code signal} to the process: asyncio's {@code send_signal(signal)}. Nothing happens
   * when it has exited.
   *
   * @param signal 15 (SIGTERM) or 9 (SIGKILL)
   * @throws IllegalArgumentException for any other signal: the JDK cannot send it
   * @throws IllegalStateException once the transport has finished (Python's {@code
   *     ProcessLookupError})
   */
  void sendSignal(int signal);

  /**
   * Asks the process to stop: asyncio's {@code terminate()}, SIGTERM on Linux ({@link
   * java.lang.Process#destroy()}).
   *
   * @throws IllegalStateException once the transport has finished (Python's {@code
   *     ProcessLookupError})
   */
  void terminate();

  /**
   * Kills the process: asyncio's {@code kill()}, SIGKILL on Linux ({@link
   * java.lang.Process#destroyForcibly()}).
   *
   * @throws IllegalStateException once the transport has finished (Python's {@code
   *     ProcessLookupError})
   */
  void kill();

  /**
   * Closes the pipes and kills the process if it still runs: asyncio's {@code close()}. The
   * protocol's {@link SubprocessProtocol#connectionLost} follows once the loop has seen the exit.
   * Closing again does nothing.
   */
  void close();

  /**
   * Whether {@link #close()} was called: asyncio's {@code is_closing()}.
   *
   * @return true after close
   */
  boolean isClosing();

  /**
   * Something the transport knows: asyncio's {@code get_extra_info(name, default)}. Names: {@code
   * "subprocess"} (the {@link java.lang.Process}).
   *
   * @param name what
   * @param defaultValue what to return when it is not known
   * @return the value, or {@code defaultValue}
   * @throws NullPointerException if {@code name} is null
   */
  Object getExtraInfo(String name, Object defaultValue);

  /**
   * The protocol the transport talks to: asyncio's {@code get_protocol()}.
   *
   * @return the protocol
   */
  SubprocessProtocol getProtocol();

  /**
   * Switches the transport to another protocol: asyncio's {@code set_protocol(protocol)}.
   *
   * @param protocol the new protocol
   * @throws NullPointerException if {@code protocol} is null
   */
  void setProtocol(SubprocessProtocol protocol);
}
