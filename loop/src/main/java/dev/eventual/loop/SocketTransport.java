package dev.eventual.loop;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * The {@link Transport} of a connected socket on the loop's selector: asyncio's {@code
 * _SelectorSocketTransport}, step for step. What it shares with the datagram transport (closing,
 * pausing reads, flow control, connection loss, extra info) is {@link SelectorTransport}'s; this
 * class reads (into the loop's buffer or a {@link BufferedProtocol}'s), writes and half-closes.
 *
 * <pre>
 *   field            changes                                          who reads it
 *   eof              false -> true (writeEof)                         write, writeReady
 *   (the rest)       see SelectorTransport
 * </pre>
 */
final class SocketTransport extends SelectorTransport<SocketChannel, BaseProtocol, ByteBuffer>
    implements Transport {
  /** asyncio's {@code max_size} of one read: 256 KiB. */
  static final int MAX_READ = 256 * 1024;

  private boolean eof;

  SocketTransport(
      EventLoop loop,
      SocketChannel channel,
      BaseProtocol protocol,
      LoopFuture<Void> waiter,
      Server server) {
    super(loop, channel, checkKind(protocol), waiter, server);
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // as asyncio's _set_nodelay
    } catch (IOException | UnsupportedOperationException e) {
      // a socket that has no such option (Unix domain) keeps its own
    }
  }

  /**
   * Checks that {@code protocol} is one a stream transport can call: a {@link Protocol} or a {@link
   * BufferedProtocol}.
   *
   * @return {@code protocol}
   * @throws NullPointerException if {@code protocol} is null
   * @throws IllegalArgumentException if it is neither kind
   */
  static BaseProtocol checkKind(BaseProtocol protocol) {
    Objects.requireNonNull(protocol, "protocol must not be null");
    if (!(protocol instanceof Protocol) && !(protocol instanceof BufferedProtocol)) {
      throw new IllegalArgumentException(
          "protocol must be a Protocol or a BufferedProtocol: " + protocol);
    }
    return protocol;
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

  // ------------------------------------------------------------------ reading

  @Override
  void readReady() {
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
    if (droppedAfterConnectionLost(data)) {
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

  @Override
  void writeReady() {
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
    if (queue.isEmpty() && !queueEmptied() && eof) {
      shutdownOutput();
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
  public BaseProtocol getProtocol() {
    return protocol;
  }

  @Override
  public void setProtocol(BaseProtocol protocol) {
    this.protocol = checkKind(protocol);
  }

  @Override
  String kind() {
    return "SocketTransport";
  }
}
