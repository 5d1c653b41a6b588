package dev.eventual.loop;

/**
 * What every protocol hears from its transport: asyncio's {@code BaseProtocol}. The loop calls
 * these methods on its own thread, one at a time; each has a default that does nothing.
 *
 * <p>The calls come in this order: {@link #connectionMade} once, then the data calls of {@link
 * Protocol} or {@link BufferedProtocol} (with {@link #pauseWriting}/{@link #resumeWriting} among
 * them), then {@link #connectionLost} once.
 */
public interface BaseProtocol {
  /**
   * The connection is made: asyncio's {@code connection_made(transport)}.
   *
   * @param transport the connection's transport
   */
  default void connectionMade(Transport transport) {}

  /**
   * The connection is lost or closed: asyncio's {@code connection_lost(exc)}. The last call.
   *
   * @param exception the error that ended it, or null for a regular close or end of stream
   */
  default void connectionLost(Throwable exception) {}

  /**
   * The transport's write buffer went over its high-water mark: stop writing until {@link
   * #resumeWriting()}. asyncio's {@code pause_writing()}.
   */
  default void pauseWriting() {}

  /**
   * The transport's write buffer drained to its low-water mark: asyncio's {@code resume_writing()}.
   */
  default void resumeWriting() {}
}
