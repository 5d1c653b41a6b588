package dev.eventual.loop;

import java.nio.ByteBuffer;

/**
 * A streaming protocol: asyncio's {@code Protocol}. The transport reads into a buffer of the loop's
 * and hands each read to {@link #dataReceived}.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code data_received(data: bytes)} receives a read-only {@link ByteBuffer} that is valid
 *       only during the call (the transport reuses it for the next read): copy what you keep. That
 *       is what saves a copy per read; {@link BufferedProtocol} saves the other one.
 * </ul>
 */
public interface Protocol extends BaseProtocol {
  /**
   * Bytes arrived: asyncio's {@code data_received(data)}.
   *
   * @param data what one read returned, never empty; valid only during this call
   */
  default void dataReceived(ByteBuffer data) {}

  /**
   * The peer will send no more (it shut down its output): asyncio's {@code eof_received()}.
   *
   * @return true to keep the transport open for writing; false (the default) closes it
   */
  default boolean eofReceived() {
    return false;
  }
}
