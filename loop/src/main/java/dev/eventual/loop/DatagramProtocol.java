package dev.eventual.loop;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a datagram endpoint hears from its transport: asyncio's {@code DatagramProtocol}. The loop
 * calls these methods on its own thread, one at a time; each has a default that does nothing.
 *
 * <p>The calls come in this order: {@link #connectionMade} once, then {@link #datagramReceived} and
 * {@link #errorReceived} (with {@link #pauseWriting}/{@link #resumeWriting} among them), then
 * {@link #connectionLost} once. {@link EventLoop#createDatagramEndpoint} makes the endpoint.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>It does not extend {@link BaseProtocol}, whose {@code connectionMade} takes a stream {@link
 *       Transport}: it declares the same four calls, with {@code connectionMade} taking the {@link
 *       DatagramTransport}, so a protocol cannot override a call that never comes.
 *   <li>{@code datagram_received(data: bytes, addr)} receives a read-only {@link ByteBuffer} that
 *       is valid only during the call (the transport reuses it for the next datagram): copy what
 *       you keep, as with {@link Protocol#dataReceived}.
 * </ul>
 */
public interface DatagramProtocol {
  /**
   * The endpoint is ready: asyncio's {@code connection_made(transport)}.
   *
   * @param transport the endpoint's transport
   */
  default void connectionMade(DatagramTransport transport) {}

  /**
   * A datagram arrived: asyncio's {@code datagram_received(data, addr)}.
   *
   * @param data the datagram, possibly empty; valid only during this call
   * @param addr the sender's address
   */
  default void datagramReceived(ByteBuffer data, SocketAddress addr) {}

  /**
   * A send or receive failed: asyncio's {@code error_received(exc)}. The endpoint stays open. On
   * Linux, a connected endpoint whose datagram reached a closed port gets a {@link
   * java.net.PortUnreachableException} here (Python's {@code ConnectionRefusedError}).
   *
   * @param exception the error
   */
  default void errorReceived(Exception exception) {}

  /**
   * The endpoint is closed: asyncio's {@code connection_lost(exc)}. The last call.
   *
   * @param exception the error that ended it, or null for {@link DatagramTransport#close()} and
   *     {@link DatagramTransport#abort()}
   */
  default void connectionLost(Throwable exception) {}

  /**
   * The transport's send buffer went over its high-water mark: asyncio's {@code pause_writing()}.
   */
  default void pauseWriting() {}

  /**
   * The transport's send buffer drained to its low-water mark: asyncio's {@code resume_writing()}.
   */
  default void resumeWriting() {}
}
