package dev.eventual.loop;

import java.nio.ByteBuffer;

/**
 * A stream connection driven by the loop: asyncio's {@code Transport} (with {@code BaseTransport},
 * {@code ReadTransport} and {@code WriteTransport}). {@link EventLoop#createConnection} and {@link
 * EventLoop#createServer} make them; every method belongs to the loop's thread (or a task's code).
 *
 * <p>Writes never block: what the socket does not take at once is queued, and the protocol is told
 * to {@link BaseProtocol#pauseWriting pause} when the queue passes the high-water mark (64 KiB by
 * default) and to {@link BaseProtocol#resumeWriting resume} when it drains to the low-water mark.
 */
public interface Transport {
  /**
   * The low- and high-water marks of the write buffer, in bytes.
   *
   * @param low the size at or below which a paused protocol is resumed
   * @param high the size above which the protocol is paused
   */
  record WriteBufferLimits(int low, int high) {}

  /**
   * Queues {@code data} to be sent, trying the socket at once when nothing is queued: asyncio's
   * {@code write(data)}. The buffer's remaining bytes are taken (copied when they cannot go at
   * once); the buffer's position moves to its limit. After the connection is lost, writes are
   * dropped (and counted, as asyncio does).
   *
   * @param data the bytes to send
   * @throws NullPointerException if {@code data} is null
   * @throws IllegalStateException after {@link #writeEof()} ("Cannot call write() after
   *     write_eof()")
   */
  void write(ByteBuffer data);

  /**
   * {@link #write(ByteBuffer)} of a whole array.
   *
   * @param data the bytes to send
   * @throws NullPointerException if {@code data} is null
   * @throws IllegalStateException after {@link #writeEof()}
   */
  default void write(byte[] data) {
    write(ByteBuffer.wrap(data));
  }

  /**
   * Writes each buffer in turn: asyncio's {@code writelines(list_of_data)}.
   *
   * @param data the buffers
   * @throws NullPointerException if {@code data} or one of its buffers is null
   * @throws IllegalStateException after {@link #writeEof()}
   */
  default void writelines(Iterable<ByteBuffer> data) {
    for (ByteBuffer b : data) {
      write(b);
    }
  }

  /**
   * Shuts the output down once what is queued has gone: asyncio's {@code write_eof()}. Does nothing
   * when closing or already done.
   *
   * @throws UnsupportedOperationException if {@link #canWriteEof()} is false (a TLS transport: TLS
   *     has no half-close; Python's {@code NotImplementedError})
   */
  void writeEof();

  /**
   * Whether {@link #writeEof()} is supported: asyncio's {@code can_write_eof()}.
   *
   * @return true for sockets
   */
  boolean canWriteEof();

  /**
   * Closes the transport once what is queued has gone; reads stop at once, and the protocol's
   * {@link BaseProtocol#connectionLost} gets null: asyncio's {@code close()}. Closing again does
   * nothing.
   */
  void close();

  /** Closes the transport now, dropping what is queued: asyncio's {@code abort()}. */
  void abort();

  /**
   * Whether the transport is closing or closed: asyncio's {@code is_closing()}.
   *
   * @return true after {@link #close()}, {@link #abort()} or a fatal error
   */
  boolean isClosing();

  /**
   * Stops reading until {@link #resumeReading()}: asyncio's {@code pause_reading()}. Does nothing
   * when paused or closing.
   */
  void pauseReading();

  /** Reads again after {@link #pauseReading()}: asyncio's {@code resume_reading()}. */
  void resumeReading();

  /**
   * Whether the transport reads: asyncio's {@code is_reading()}.
   *
   * @return false when paused or closing
   */
  boolean isReading();

  /**
   * Sets the write buffer's marks, asyncio's {@code set_write_buffer_limits(high, low)}: a negative
   * value means "not given" (Python's None); then high is 64 KiB, or 4 × low when only low is
   * given, and low is high / 4.
   *
   * @param high the high-water mark, or negative
   * @param low the low-water mark, or negative
   * @throws IllegalArgumentException unless high ≥ low ≥ 0 once both are known
   */
  void setWriteBufferLimits(int high, int low);

  /**
   * The write buffer's marks: asyncio's {@code get_write_buffer_limits()}.
   *
   * @return low and high
   */
  WriteBufferLimits getWriteBufferLimits();

  /**
   * How many bytes are queued: asyncio's {@code get_write_buffer_size()}.
   *
   * @return the queued bytes
   */
  int getWriteBufferSize();

  /**
   * Something the transport knows about its connection: asyncio's {@code get_extra_info(name,
   * default)}. Names: {@code "peername"} and {@code "sockname"} ({@link java.net.SocketAddress}),
   * {@code "socket"} (the {@link java.nio.channels.SocketChannel}).
   *
   * @param name what
   * @param defaultValue what to return when it is not known
   * @return the value, or {@code defaultValue}
   * @throws NullPointerException if {@code name} is null
   */
  Object getExtraInfo(String name, Object defaultValue);

  /**
   * {@link #getExtraInfo(String, Object)} with null as the default.
   *
   * @param name what
   * @return the value, or null
   * @throws NullPointerException if {@code name} is null
   */
  default Object getExtraInfo(String name) {
    return getExtraInfo(name, null);
  }

  /**
   * The protocol the transport talks to: asyncio's {@code get_protocol()}.
   *
   * @return the protocol
   */
  BaseProtocol getProtocol();

  /**
   * Switches the transport to another protocol: asyncio's {@code set_protocol(protocol)}.
   *
   * @param protocol a {@link Protocol} or {@link BufferedProtocol}
   * @throws NullPointerException if {@code protocol} is null
   * @throws IllegalArgumentException if it is neither kind
   */
  void setProtocol(BaseProtocol protocol);
}
