package dev.eventual.loop;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The {@link Transport} of a connected socket on the loop's selector: asyncio's {@code
 * _SelectorSocketTransport} (with its {@code _FlowControlMixin}), step for step.
 *
 * <pre>
 *   field            changes                                          who reads it
 *   closing          false -> true (close, abort, fatal error)        isClosing, write, resumeReading
 *   connLost         0 -> 1 when connectionLost is scheduled, then    write (drops and counts)
 *                    counts writes dropped after that
 *   eof              false -> true (writeEof)                         write, writeReady
 *   paused           pauseReading / resumeReading                     isReading
 *   flow             asyncio's _FlowControlMixin (WriteFlow): the     write, writeReady,
 *                    protocol paused over high, resumed at low         setWriteBufferLimits
 *   queue, queued    write appends what the socket did not take;      writeReady, getWriteBufferSize
 *                    writeReady takes from the front
 * </pre>
 *
 * <p>Order of the protocol's calls: {@code connectionMade} in the turn after the transport is made
 * (reading starts right after it, in the same turn), data calls, then {@code connectionLost} once,
 * after which the channel is closed.
 */
final class SocketTransport implements Transport {
  private static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");

  /** asyncio's {@code LOG_THRESHOLD_FOR_CONNLOST_WRITES}. */
  private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

  /** asyncio's {@code max_size} of one read: 256 KiB. */
  static final int MAX_READ = 256 * 1024;

  private final EventLoop loop;
  private final SocketChannel channel;
  private final Server server;
  private BaseProtocol protocol;
  private boolean protocolConnected;
  private boolean closing;
  private int connLost;
  private boolean eof;
  private boolean paused;
  private final WriteFlow flow;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private int queued;
  private final Runnable readReady = this::readReady;
  private final Runnable writeReady = this::writeReady;

  SocketTransport(
      EventLoop loop,
      SocketChannel channel,
      BaseProtocol protocol,
      LoopFuture<Void> waiter,
      Server server) {
    this.loop = loop;
    this.channel = channel;
    this.protocol = checkKind(protocol);
    this.server = server;
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
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // as asyncio's _set_nodelay
    } catch (IOException | UnsupportedOperationException e) {
      // a socket that has no such option (Unix domain) keeps its own
    }
    if (server != null) {
      server.attach(this);
    }
    loop.callSoon(
        () -> {
          protocolConnected = true;
          this.protocol.connectionMade(this);
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

  private static BaseProtocol checkKind(BaseProtocol protocol) {
    Objects.requireNonNull(protocol, "protocol must not be null");
    if (!(protocol instanceof Protocol) && !(protocol instanceof BufferedProtocol)) {
      throw new IllegalArgumentException(
          "protocol must be a Protocol or a BufferedProtocol: " + protocol);
    }
    return protocol;
  }

  // ------------------------------------------------------------------ reading

  private void readReady() {
    if (connLost > 0) {
      return;
    }
    if (protocol instanceof BufferedProtocol buffered) {
      readIntoProtocolBuffer(buffered);
    } else {
      readAndHandOver((Protocol) protocol);
    }
  }

  private void readAndHandOver(Protocol p) {
    ByteBuffer buf = loop.io().readBuffer();
    buf.clear();
    if (read(buf) > 0) {
      buf.flip();
      ByteBuffer view = buf.asReadOnlyBuffer();
      callProtocol(() -> p.dataReceived(view), "dataReceived");
    }
  }

  private void readIntoProtocolBuffer(BufferedProtocol p) {
    ByteBuffer[] buf = {null};
    callProtocol(
        () -> {
          buf[0] = p.getBuffer(-1);
          if (buf[0] == null || !buf[0].hasRemaining()) {
            throw new IllegalStateException("getBuffer() returned an empty buffer");
          }
        },
        "getBuffer");
    int n = buf[0] == null || connLost > 0 ? 0 : read(buf[0]);
    if (n > 0) {
      callProtocol(() -> p.bufferUpdated(n), "bufferUpdated");
    }
  }

  /**
   * One read into {@code buf}: the count; or 0 after it handled the end of stream or an error (or
   * when nothing was there).
   */
  private int read(ByteBuffer buf) {
    int n;
    try {
      n = channel.read(buf);
    } catch (IOException | RuntimeException e) {
      fatalError(e, "Fatal read error on socket transport");
      return 0;
    }
    if (n < 0) {
      onEof();
      return 0;
    }
    return n;
  }

  /** Calls the protocol; what it throws is fatal to the connection (asyncio's _fatal_error). */
  private void callProtocol(Runnable call, String method) {
    try {
      call.run();
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      fatalError(t, "Fatal error: protocol." + method + "() call failed.");
    }
  }

  private void onEof() {
    boolean[] keepOpen = {false};
    boolean[] failed = {true};
    callProtocol(
        () -> {
          keepOpen[0] =
              protocol instanceof BufferedProtocol b
                  ? b.eofReceived()
                  : ((Protocol) protocol).eofReceived();
          failed[0] = false;
        },
        "eofReceived");
    if (failed[0]) {
      return;
    }
    if (keepOpen[0]) {
      loop.removeReader(channel); // writing may go on; reading is over
    } else {
      close();
    }
  }

  @Override
  public void pauseReading() {
    if (!isReading()) {
      return;
    }
    paused = true;
    loop.removeReader(channel);
  }

  @Override
  public void resumeReading() {
    if (closing || !paused) {
      return;
    }
    paused = false;
    loop.addReader(channel, readReady);
  }

  @Override
  public boolean isReading() {
    return !paused && !closing;
  }

  // ------------------------------------------------------------------ writing

  @Override
  public void write(ByteBuffer data) {
    Objects.requireNonNull(data, "data must not be null");
    if (eof) {
      throw new IllegalStateException("Cannot call write() after write_eof()");
    }
    if (!data.hasRemaining()) {
      return;
    }
    if (connLost > 0) {
      if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        LOG.log(System.Logger.Level.WARNING, "socket.send() raised exception.");
      }
      connLost++;
      data.position(data.limit());
      return;
    }
    if (queue.isEmpty()) {
      try {
        channel.write(data);
      } catch (IOException | RuntimeException e) {
        fatalError(e, "Fatal write error on socket transport");
        return;
      }
      if (!data.hasRemaining()) {
        return;
      }
      loop.addWriter(channel, writeReady);
    }
    int n = data.remaining();
    queue.add(ByteBuffer.allocate(n).put(data).flip());
    queued += n;
    flow.maybePause(queued);
  }

  private void writeReady() {
    if (connLost > 0) {
      return;
    }
    try {
      long n = channel.write(queue.toArray(new ByteBuffer[0]));
      queued -= (int) n;
      while (!queue.isEmpty() && !queue.peek().hasRemaining()) {
        queue.poll();
      }
    } catch (IOException | RuntimeException e) {
      loop.removeWriter(channel);
      queue.clear();
      queued = 0;
      fatalError(e, "Fatal write error on socket transport");
      return;
    }
    flow.maybeResume(queued);
    if (queue.isEmpty()) {
      loop.removeWriter(channel);
      if (closing) {
        callConnectionLost(null);
      } else if (eof) {
        shutdownOutput();
      }
    }
  }

  @Override
  public void writeEof() {
    if (closing || eof) {
      return;
    }
    eof = true;
    if (queue.isEmpty()) {
      shutdownOutput();
    }
  }

  private void shutdownOutput() {
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      fatalError(e, "Fatal error on shutdown of socket transport");
    }
  }

  @Override
  public boolean canWriteEof() {
    return true;
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
  public WriteBufferLimits getWriteBufferLimits() {
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
    if (!(e instanceof IOException)) {
      loop.callExceptionHandler(new ExceptionContext(message, e, null, null));
    }
    forceClose(e);
  }

  void forceClose(Throwable e) {
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
      if (server != null) {
        server.detach(this);
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
          return channel.isOpen() ? channel.getRemoteAddress() : defaultValue;
        case "sockname":
          return channel.isOpen() ? channel.getLocalAddress() : defaultValue;
        default:
          return defaultValue;
      }
    } catch (IOException e) {
      return defaultValue;
    }
  }

  @Override
  public BaseProtocol getProtocol() {
    return protocol;
  }

  @Override
  public void setProtocol(BaseProtocol protocol) {
    this.protocol = checkKind(protocol);
  }

  @Override
  public String toString() {
    return "SocketTransport["
        + (closing ? "closing" : "open")
        + (queued > 0 ? ", " + queued + " bytes queued" : "")
        + ", "
        + channel
        + "]";
  }
}
