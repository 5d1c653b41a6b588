package dev.eventual.loop;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * What every transport of a selectable socket shares: asyncio's {@code
 * selector_events._SelectorTransport} (with {@code transports._FlowControlMixin}, here {@link
 * WriteFlow}), written once for {@link SocketTransport} (TCP and Unix sockets) and {@link
 * DatagramChannelTransport} (UDP). It holds the channel, the protocol, the write queue and its
 * count, and does what does not depend on the kind of socket: the protocol's {@code connectionMade}
 * and the first read, pausing and resuming reads, {@code close}, {@code abort}, fatal errors,
 * {@code connectionLost} (once, then the channel is closed and the server told), and the extra info
 * of a socket. A subclass reads, writes and says how its protocol is called.
 *
 * <pre>
 *   field            changes                                          who reads it
 *   protocolConnected false -> true when connectionMade is called     callConnectionLost (no lost
 *                                                                     without made)
 *   closing          false -> true (close, abort, fatal error)        isClosing, isReading, the
 *                                                                     subclass's write
 *   connLost         0 -> 1 when connectionLost is scheduled, then    readReady, write (drops and
 *                    counts writes dropped after that                 counts)
 *   paused           pauseReading / resumeReading                     isReading
 *   flow             the protocol paused over high, resumed at low    write, writeReady,
 *                    (the current protocol, see setProtocol)          setWriteBufferLimits
 *   queue, queued    the subclass's write appends what the socket     writeReady, getWriteBufferSize
 *                    did not take; its writeReady takes the front;
 *                    a forced close empties both
 * </pre>
 *
 * <p>Order of the protocol's calls: {@code connectionMade} in the turn after the transport is made
 * (reading starts right after it, in the same turn), data calls, then {@code connectionLost} once,
 * after which the channel is closed.
 *
 * @param <C> the channel
 * @param <P> the protocol
 * @param <E> what the write queue holds
 */
abstract sealed class SelectorTransport<C extends SelectableChannel & NetworkChannel, P, E>
    permits SocketTransport, DatagramChannelTransport {
  static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");

  /** asyncio's {@code LOG_THRESHOLD_FOR_CONNLOST_WRITES}. */
  static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

  final EventLoop loop;
  final C channel;
  private final Server server;
  P protocol;
  private boolean protocolConnected;
  boolean closing;
  int connLost;
  private boolean paused;
  final WriteFlow flow;
  final ArrayDeque<E> queue = new ArrayDeque<>();
  int queued;
  final Runnable readReady = this::readReady;
  final Runnable writeReady = this::writeReady;

  /**
   * Schedules the protocol's {@code connectionMade}, then the first read, then {@code waiter}'s
   * result, each in the next turn (asyncio's {@code _SelectorSocketTransport.__init__}).
   *
   * @param protocol the protocol, already checked by the subclass
   * @param waiter set to null once the protocol heard of the connection; may be null
   * @param server the server that accepted the connection, told when it is lost; may be null
   */
  SelectorTransport(EventLoop loop, C channel, P protocol, LoopFuture<Void> waiter, Server server) {
    this.loop = loop;
    this.channel = channel;
    this.protocol = protocol;
    this.server = server;
    this.flow =
        new WriteFlow(loop) {
          @Override
          void pauseWriting() {
            protocolPauseWriting();
          }

          @Override
          void resumeWriting() {
            protocolResumeWriting();
          }
        };
    if (server != null) {
      server.attach(this);
    }
    loop.callSoon(
        () -> {
          protocolConnected = true;
          protocolConnectionMade();
        });
    loop.callSoon(
        () -> {
          if (!closing && !paused) {
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

  // ------------------------------------------------------------------ what a subclass does

  /** The channel is readable. */
  abstract void readReady();

  /** The channel is writable and the queue holds something. */
  abstract void writeReady();

  /** Calls the protocol's {@code connectionMade(this)}. */
  abstract void protocolConnectionMade();

  /** Calls the protocol's {@code connectionLost(e)}. */
  abstract void protocolConnectionLost(Throwable e);

  /** Calls the protocol's {@code pauseWriting()}. */
  abstract void protocolPauseWriting();

  /** Calls the protocol's {@code resumeWriting()}. */
  abstract void protocolResumeWriting();

  /** The channel's peer, or null when it has none. */
  abstract SocketAddress remoteAddress() throws IOException;

  // ------------------------------------------------------------------ shared steps

  /**
   * Drops a write that comes after the connection was lost, with asyncio's warning once a few were
   * dropped; false when the connection is not lost and the write must go on.
   */
  final boolean droppedAfterConnectionLost(ByteBuffer data) {
    if (connLost == 0) {
      return false;
    }
    if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
      LOG.log(System.Logger.Level.WARNING, "socket.send() raised exception.");
    }
    connLost++;
    data.position(data.limit());
    return true;
  }

  /** The queue emptied: stops waiting for writability, and ends a closing transport. */
  final boolean queueEmptied() {
    loop.removeWriter(channel);
    if (closing) {
      callConnectionLost(null);
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ reading

  public void pauseReading() {
    if (!isReading()) {
      return;
    }
    paused = true;
    loop.removeReader(channel);
  }

  public void resumeReading() {
    if (closing || !paused) {
      return;
    }
    paused = false;
    loop.addReader(channel, readReady);
  }

  public boolean isReading() {
    return !paused && !closing;
  }

  // ------------------------------------------------------------------ the write buffer

  public int getWriteBufferSize() {
    return queued;
  }

  public void setWriteBufferLimits(int high, int low) {
    flow.setLimits(high, low, queued);
  }

  public Transport.WriteBufferLimits getWriteBufferLimits() {
    return flow.getLimits();
  }

  // ------------------------------------------------------------------ closing

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

  public void abort() {
    forceClose(null);
  }

  public boolean isClosing() {
    return closing;
  }

  /**
   * asyncio's {@code _fatal_error}: an {@link IOException} (Python's {@code OSError}) only closes
   * the transport; anything else is reported to the loop's exception handler first.
   */
  final void fatalError(Throwable e, String message) {
    if (!(e instanceof IOException)) {
      loop.callExceptionHandler(new ExceptionContext(message, e, null, null));
    }
    forceClose(e);
  }

  /** asyncio's {@code _force_close}: drops the queue and schedules {@code connectionLost(e)}. */
  final void forceClose(Throwable e) {
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
        protocolConnectionLost(e);
      }
    } finally {
      try {
        channel.close();
      } catch (IOException closeFailed) {
        LOG.log(System.Logger.Level.DEBUG, "closing " + channel + " failed", closeFailed);
      }
      if (server != null) {
        server.detach(this);
      }
    }
  }

  // ------------------------------------------------------------------ the rest

  /**
   * {@code "socket"} (the channel), {@code "peername"} and {@code "sockname"} (while the channel is
   * open and has one); {@code defaultValue} for any other name.
   */
  public Object getExtraInfo(String name, Object defaultValue) {
    Objects.requireNonNull(name, "name must not be null");
    try {
      switch (name) {
        case "socket":
          return channel;
        case "peername":
          SocketAddress peer = channel.isOpen() ? remoteAddress() : null;
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

  /** The name {@link #toString()} starts with. */
  abstract String kind();

  @Override
  public String toString() {
    return kind()
        + "["
        + (closing ? "closing" : "open")
        + (queued > 0 ? ", " + queued + " bytes queued" : "")
        + ", "
        + channel
        + "]";
  }
}
