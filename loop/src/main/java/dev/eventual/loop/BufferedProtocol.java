package dev.eventual.loop;

import java.nio.ByteBuffer;

/**
 * A streaming protocol that lends the transport its own buffer, so that no byte is copied on the
 * way in: asyncio's {@code BufferedProtocol}.
 */
public interface BufferedProtocol extends BaseProtocol {
  /**
   * The buffer the next read goes into, from its position to its limit: asyncio's {@code
   * get_buffer(sizehint)}.
   *
   * @param sizeHint how much the transport would like room for; -1 when it has no idea
   * @return a writable buffer with room for at least one byte
   */
  ByteBuffer getBuffer(int sizeHint);

  /**
   * A read put {@code nbytes} bytes into the buffer {@link #getBuffer} gave (its position moved
   * past them): asyncio's {@code buffer_updated(nbytes)}.
   *
   * @param nbytes how many, at least one
   */
  void bufferUpdated(int nbytes);

  /**
   * The peer will send no more: asyncio's {@code eof_received()}.
   *
   * @return true to keep the transport open for writing; false (the default) closes it
   */
  default boolean eofReceived() {
    return false;
  }
}
