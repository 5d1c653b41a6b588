package dev.eventual.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The {@link DatagramTransport} of a {@link DatagramChannel} on the loop's selector: asyncio's
 * {@code _SelectorDatagramTransport} (with {@code _SelectorTransport}'s closing and {@code
 * _FlowControlMixin}), step for step.
 *
 * <pre>
 *   field            changes                                          who reads it
 *   closing          false -> true (close, abort, fatal error)        isClosing, close
 *   connLost         0 -> 1 when connectionLost is scheduled, then    readReady, sendto (a connected
 *                    counts sends dropped after that                  endpoint drops and counts)
 *   flow             asyncio's _FlowControlMixin (WriteFlow): the     write, writeReady,
 *                    protocol paused over high, resumed at low         setWriteBufferLimits
 *   queue, queued    sendto appends what the socket did not take      sendtoReady, getWriteBufferSize
 *                    (+8 per datagram); sendtoReady takes the front
 * </pre>
 *
 * <p>Order of the protocol's calls: {@code connectionMade} in the turn after the transport is made
 * (receiving starts right after it, in the same turn), datagram and error calls, then {@code
 * connectionLost} once, after which the channel is closed. A send or receive that fails with an
 * {@link IOException} (Python's {@code OSError}) goes to {@code errorReceived} and the endpoint
 * stays open; anything else is fatal to it, as in asyncio.
 */
final class DatagramChannelTransport implements DatagramTransport {
  private static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");

  /** asyncio's {@code LOG_THRESHOLD_FOR_CONNLOST_WRITES}. */
  private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

  /** What asyncio counts per queued datagram besides its bytes. */
  static final int HEADER_SIZE = 8;

  private record Datagram(ByteBuffer data, SocketAddress addr) {}

  private final EventLoop loop;
  private final DatagramChannel channel;
  private final InetSocketAddress address;
  private final boolean connected;
  private DatagramProtocol protocol;
  private boolean protocolConnected;
  private boolean closing;
  private int connLost;
  private final WriteFlow flow;
  private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
  private int queued;
  private final Runnable readReady = this::readReady;
  private final Runnable sendtoReady = this::sendtoReady;

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
    this.loop = loop;
    this.channel = channel;
    this.protocol = Objects.requireNonNull(protocol, "protocol must not be null");
    this.address = address;
    this.flow =
        new WriteFlow(loop) {
          @Override
          void pauseWriting() {
            protocol.pauseWriting();
          }

          @Override
          void resumeWriting() {
            protocol.resumeWriting();
          }
        };
    this.connected = channel.isConnected();
    loop.callSoon(
        () -> {
          protocolConnected = true;
          this.protocol.connectionMade(this);
        });
    loop.callSoon(
        () -> {
          if (!closing) {
            loop.addReader(channel, readReady);
          }
        });
    if (waiter != null) {
      loop.callSoon(
          () -> {
            if (!waiter.isDone()) {
              waiter.setResult(null);
            }
          });
    }
  }

  // ------------------------------------------------------------------ receiving

  private void readReady() {
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
    if (connLost > 0 && address != null) {
      if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        LOG.log(System.Logger.Level.WARNING, "socket.send() raised exception.");
      }
      connLost++;
      data.position(data.limit());
      return;
    }
    if (queue.isEmpty()) {
      try {
        if (sendNow(data, target)) {
          return;
        }
        loop.addWriter(channel, sendtoReady);
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

  private void sendtoReady() {
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
      loop.removeWriter(channel);
      if (closing) {
        callConnectionLost(null);
      }
    }
  }

  @Override
  public int getWriteBufferSize() {
    return queued;
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    flow.setLimits(high, low, queued);
  }

  @Override
  public Transport.WriteBufferLimits getWriteBufferLimits() {
    return flow.getLimits();
  }

  // ------------------------------------------------------------------ closing

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    loop.removeReader(channel);
    if (queue.isEmpty()) {
      connLost++;
      loop.removeWriter(channel);
      loop.callSoon(() -> callConnectionLost(null));
    }
  }

  @Override
  public void abort() {
    forceClose(null);
  }

  @Override
  public boolean isClosing() {
    return closing;
  }

  private void fatalError(Throwable e, String message) {
    loop.callExceptionHandler(new ExceptionContext(message, e, null, null));
    forceClose(e);
  }

  private void forceClose(Throwable e) {
    if (connLost > 0) {
      return;
    }
    if (!queue.isEmpty()) {
      queue.clear();
      queued = 0;
      loop.removeWriter(channel);
    }
    if (!closing) {
      closing = true;
      loop.removeReader(channel);
    }
    connLost++;
    loop.callSoon(() -> callConnectionLost(e));
  }

  private void callConnectionLost(Throwable e) {
    try {
      if (protocolConnected) {
        protocol.connectionLost(e);
      }
    } finally {
      try {
        channel.close();
      } catch (IOException closeFailed) {
        LOG.log(System.Logger.Level.DEBUG, "closing " + channel + " failed", closeFailed);
      }
    }
  }

  // ------------------------------------------------------------------ the rest

  @Override
  public Object getExtraInfo(String name, Object defaultValue) {
    Objects.requireNonNull(name, "name must not be null");
    try {
      switch (name) {
        case "socket":
          return channel;
        case "peername":
          SocketAddress peer = channel.isOpen() ? channel.getRemoteAddress() : null;
          return peer != null ? peer : defaultValue;
        case "sockname":
          SocketAddress local = channel.isOpen() ? channel.getLocalAddress() : null;
          return local != null ? local : defaultValue;
        default:
          return defaultValue;
      }
    } catch (IOException e) {
      return defaultValue;
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
  public String toString() {
    return "DatagramTransport["
        + (closing ? "closing" : "open")
        + (queued > 0 ? ", " + queued + " bytes queued" : "")
        + ", "
        + channel
        + "]";
  }
}
