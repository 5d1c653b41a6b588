package dev.eventual.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Objects;

/**
 * The {@link DatagramTransport} of a {@link DatagramChannel} on the loop's selector: asyncio's
 * {@code _SelectorDatagramTransport}, step for step. What it shares with the socket transport
 * (closing, flow control, connection loss, extra info) is {@link SelectorTransport}'s; this class
 * receives and sends datagrams. The queue holds datagrams; its count adds 8 per datagram to their
 * bytes, as asyncio's does.
 *
 * <p>A send or receive that fails with an {@link IOException} (Python's {@code OSError}) goes to
 * {@code errorReceived} and the endpoint stays open; anything else is fatal to it, as in asyncio.
 */
final class DatagramChannelTransport
    extends SelectorTransport<DatagramChannel, DatagramProtocol, DatagramChannelTransport.Datagram>
    implements DatagramTransport {
  /** What asyncio counts per queued datagram besides its bytes. */
  static final int HEADER_SIZE = 8;

  /** One queued datagram and where it goes. */
  record Datagram(ByteBuffer data, SocketAddress addr) {}

  private final InetSocketAddress address;
  private final boolean connected;

  /**
   * @param address the remote address every datagram goes to, or null (the channel is connected to
   *     it unless broadcast is allowed)
   */
  DatagramChannelTransport(
      EventLoop loop,
      DatagramChannel channel,
      DatagramProtocol protocol,
      InetSocketAddress address,
      LoopFuture<Void> waiter) {
    super(
        loop, channel, Objects.requireNonNull(protocol, "protocol must not be null"), waiter, null);
    this.address = address;
    this.connected = channel.isConnected();
  }

  @Override
  void protocolConnectionMade() {
    protocol.connectionMade(this);
  }

  @Override
  void protocolConnectionLost(Throwable e) {
    protocol.connectionLost(e);
  }

  @Override
  void protocolPauseWriting() {
    protocol.pauseWriting();
  }

  @Override
  void protocolResumeWriting() {
    protocol.resumeWriting();
  }

  @Override
  SocketAddress remoteAddress() throws IOException {
    return channel.getRemoteAddress();
  }

  // ------------------------------------------------------------------ receiving

  @Override
  void readReady() {
    if (connLost > 0) {
      return;
    }
    ByteBuffer buf = loop.io().readBuffer();
    buf.clear();
    SocketAddress from;
    try {
      from = channel.receive(buf);
    } catch (IOException e) {
      protocol.errorReceived(e);
      return;
    } catch (RuntimeException e) {
      fatalError(e, "Fatal read error on datagram transport");
      return;
    }
    if (from != null) {
      buf.flip();
      protocol.datagramReceived(buf.asReadOnlyBuffer(), from);
    }
  }

  // ------------------------------------------------------------------ sending

  @Override
  public void sendto(ByteBuffer data, SocketAddress addr) {
    Objects.requireNonNull(data, "data must not be null");
    SocketAddress target = checkTarget(addr);
    if (address != null && droppedAfterConnectionLost(data)) {
      return;
    }
    if (queue.isEmpty()) {
      try {
        if (sendNow(data, target)) {
          return;
        }
        loop.addWriter(channel, writeReady);
      } catch (IOException e) {
        data.position(data.limit());
        protocol.errorReceived(e);
        return;
      } catch (RuntimeException e) {
        fatalError(e, "Fatal write error on datagram transport");
        return;
      }
    }
    int n = data.remaining();
    queue.add(new Datagram(ByteBuffer.allocate(n).put(data).flip(), target));
    queued += n + HEADER_SIZE;
    flow.maybePause(queued);
  }

  /** The address to send to, or an {@link IllegalArgumentException} naming what is wrong. */
  private SocketAddress checkTarget(SocketAddress addr) {
    if (address != null) {
      if (addr != null && !addr.equals(address)) {
        throw new IllegalArgumentException(
            "Invalid address: must be null or " + address + ", not " + addr);
      }
      return address;
    }
    if (addr == null) {
      throw new IllegalArgumentException(
          "addr must not be null: the endpoint has no remote address");
    }
    if (!(addr instanceof InetSocketAddress inet) || inet.isUnresolved()) {
      throw new IllegalArgumentException(
          "addr must be a resolved InetSocketAddress (see getaddrinfo): " + addr);
    }
    return addr;
  }

  /**
   * Sends one datagram; false when the socket had no room for it (its position is left as it was).
   * An address of the wrong family is Python's {@code OSError} (EAFNOSUPPORT) here.
   */
  private boolean sendNow(ByteBuffer data, SocketAddress target) throws IOException {
    int size = data.remaining();
    int n;
    try {
      n = connected ? channel.write(data) : channel.send(data, target);
    } catch (UnsupportedAddressTypeException e) {
      throw new IOException("Address family not supported by the endpoint: " + target, e);
    }
    // an empty datagram goes with 0; a full socket buffer also says 0: it is lost, as UDP may
    return n > 0 || size == 0;
  }

  @Override
  void writeReady() {
    while (!queue.isEmpty()) {
      Datagram d = queue.peek();
      int size = d.data().remaining() + HEADER_SIZE;
      try {
        if (!sendNow(d.data(), d.addr())) {
          break; // try again when writable
        }
        queue.poll();
        queued -= size;
      } catch (IOException e) {
        queue.poll();
        queued -= size;
        protocol.errorReceived(e);
        return;
      } catch (RuntimeException e) {
        fatalError(e, "Fatal write error on datagram transport");
        return;
      }
    }
    flow.maybeResume(queued);
    if (queue.isEmpty()) {
      queueEmptied();
    }
  }

  @Override
  public DatagramProtocol getProtocol() {
    return protocol;
  }

  @Override
  public void setProtocol(DatagramProtocol protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol must not be null");
  }

  @Override
  String kind() {
    return "DatagramTransport";
  }
}
