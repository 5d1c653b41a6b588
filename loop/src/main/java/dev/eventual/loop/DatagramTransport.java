package dev.eventual.loop;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP endpoint driven by the loop: asyncio's {@code DatagramTransport}. {@link
 * EventLoop#createDatagramEndpoint} makes them; every method belongs to the loop's thread (or a
 * task's code).
 *
 * <p>A send tries the socket at once and queues the datagram when the socket's buffer is full. The
 * queue's size counts each datagram's bytes plus 8 for its header, as asyncio does; the protocol is
 * told to {@link DatagramProtocol#pauseWriting pause} above the high-water mark (64 KiB by default)
 * and to {@link DatagramProtocol#resumeWriting resume} at the low-water mark.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code sendto(data)} without an address on an endpoint that has no remote address throws
 *       {@link IllegalArgumentException} at once; CPython's socket raises {@code TypeError} inside
 *       the transport, which then closes.
 *   <li>An empty datagram goes only from an endpoint without a remote address: the JDK's connected
 *       {@link java.nio.channels.DatagramChannel} sends nothing for an empty buffer.
 *   <li>The transport, not the socket, rejects an unresolved address ({@code
 *       IllegalArgumentException}): resolve it first with {@link EventLoop#getaddrinfo}.
 * </ul>
 */
public interface DatagramTransport {
  /**
   * Sends the remaining bytes of {@code data} as one datagram to {@code addr}: asyncio's {@code
   * sendto(data, addr)}. The buffer's position moves to its limit. Errors of the send go to {@link
   * DatagramProtocol#errorReceived}; after the endpoint is closed, a connected endpoint drops (and
   * counts) what it is given.
   *
   * @param data the datagram; may be empty (sent only when the endpoint has no remote address)
   * @param addr where to send; null for the endpoint's remote address
   * @throws NullPointerException if {@code data} is null
   * @throws IllegalArgumentException if the endpoint has a remote address and {@code addr} is
   *     neither null nor that address ("Invalid address: must be null or ..."), or it has none and
   *     {@code addr} is null, or {@code addr} is unresolved or not an {@link
   *     java.net.InetSocketAddress}
   */
  void sendto(ByteBuffer data, SocketAddress addr);

  /**
   * {@link #sendto(ByteBuffer, SocketAddress)} of a whole array.
   *
   * @param data the datagram
   * @param addr where to send; null for the endpoint's remote address
   * @throws NullPointerException if {@code data} is null
   * @throws IllegalArgumentException as {@link #sendto(ByteBuffer, SocketAddress)}
   */
  default void sendto(byte[] data, SocketAddress addr) {
    sendto(ByteBuffer.wrap(data), addr);
  }

  /**
   * Sends {@code data} to the endpoint's remote address: asyncio's {@code sendto(data)}.
   *
   * @param data the datagram
   * @throws NullPointerException if {@code data} is null
   * @throws IllegalArgumentException if the endpoint has no remote address
   */
  default void sendto(byte[] data) {
    sendto(ByteBuffer.wrap(data), null);
  }

  /**
   * Closes the endpoint once what is queued has gone; receiving stops at once, and the protocol's
   * {@link DatagramProtocol#connectionLost} gets null: asyncio's {@code close()}. Closing again
   * does nothing.
   */
  void close();

  /** Closes the endpoint now, dropping what is queued: asyncio's {@code abort()}. */
  void abort();

  /**
   * Whether the endpoint is closing or closed: asyncio's {@code is_closing()}.
   *
   * @return true after {@link #close()}, {@link #abort()} or a fatal error
   */
  boolean isClosing();

  /**
   * How many bytes are queued, 8 more per datagram for its header: asyncio's {@code
   * get_write_buffer_size()}.
   *
   * @return the queued bytes
   */
  int getWriteBufferSize();

  /**
   * Sets the send queue's marks, as {@link Transport#setWriteBufferLimits}: a negative value means
   * "not given"; then high is 64 KiB, or 4 × low when only low is given, and low is high / 4.
   *
   * @param high the high-water mark, or negative
   * @param low the low-water mark, or negative
   * @throws IllegalArgumentException unless high ≥ low ≥ 0 once both are known
   */
  void setWriteBufferLimits(int high, int low);

  /**
   * The send queue's marks: asyncio's {@code get_write_buffer_limits()}.
   *
   * @return low and high
   */
  Transport.WriteBufferLimits getWriteBufferLimits();

  /**
   * Something the transport knows about its socket: asyncio's {@code get_extra_info(name,
   * default)}. Names: {@code "sockname"} and {@code "peername"} ({@link SocketAddress}; the peer is
   * known only for a connected endpoint), {@code "socket"} (the {@link
   * java.nio.channels.DatagramChannel}).
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
  DatagramProtocol getProtocol();

  /**
   * Switches the transport to another protocol: asyncio's {@code set_protocol(protocol)}.
   *
   * @param protocol the new protocol
   * @throws NullPointerException if {@code protocol} is null
   */
  void setProtocol(DatagramProtocol protocol);
}
