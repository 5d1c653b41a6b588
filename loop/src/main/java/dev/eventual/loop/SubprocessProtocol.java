package dev.eventual.loop;

import java.nio.ByteBuffer;

/**
 * What a child process's protocol hears from its transport: asyncio's {@code SubprocessProtocol}.
 * The loop calls these methods on its own thread, one at a time; each has a default that does
 * nothing. {@link EventLoop#subprocessExec} and {@link EventLoop#subprocessShell} make the
 * transport.
 *
 * <p>The calls come in this order: {@link #connectionMade} once; then {@link #pipeDataReceived},
 * {@link #pipeConnectionLost} (once per pipe) and {@link #processExited} (once) in the order they
 * happen; then {@link #connectionLost} once, when the process has exited <em>and</em> every pipe is
 * closed.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>It does not extend {@link BaseProtocol}, whose {@code connectionMade} takes a stream {@link
 *       Transport}: it declares the same calls, with {@code connectionMade} taking the {@link
 *       SubprocessTransport}.
 *   <li>{@code pipe_data_received(fd, data: bytes)} receives a read-only {@link ByteBuffer}; unlike
 *       {@link Protocol#dataReceived}'s, it is a fresh buffer per call and may be kept.
 * </ul>
 */
public interface SubprocessProtocol {
  /**
   * The process runs and its pipes are connected: asyncio's {@code connection_made(transport)}.
   *
   * @param transport the process's transport
   */
  default void connectionMade(SubprocessTransport transport) {}

  /**
   * The child wrote to its standard output (fd 1) or error (fd 2): asyncio's {@code
   * pipe_data_received(fd, data)}.
   *
   * @param fd 1 or 2
   * @param data the bytes, never empty; may be kept
   */
  default void pipeDataReceived(int fd, ByteBuffer data) {}

  /**
   * One of the pipes closed: asyncio's {@code pipe_connection_lost(fd, exc)}.
   *
   * @param fd 0 (stdin), 1 or 2
   * @param exception the error that closed it (a broken pipe on stdin, say), or null at end of
   *     stream or after a close
   */
  default void pipeConnectionLost(int fd, Throwable exception) {}

  /** The process exited: asyncio's {@code process_exited()}. Its return code is known now. */
  default void processExited() {}

  /**
   * The process has exited and every pipe is closed: asyncio's {@code connection_lost(exc)}. The
   * last call.
   *
   * @param exception always null here, as in asyncio
   */
  default void connectionLost(Throwable exception) {}

  /** The stdin pipe's buffer went over its high-water mark: asyncio's {@code pause_writing()}. */
  default void pauseWriting() {}

  /** The stdin pipe's buffer drained to its low-water mark: asyncio's {@code resume_writing()}. */
  default void resumeWriting() {}
}
