package dev.eventual.loop;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The {@link Transport} a TLS connection gives its app protocol: asyncio's {@code
 * _SSLProtocolTransport}. It holds no state of its own but {@code closed}; every call goes to its
 * {@link SslProtocol}.
 *
 * <p>Names of {@link #getExtraInfo}: {@code "sslcontext"} (the {@link javax.net.ssl.SSLContext}),
 * and once the handshake is done {@code "ssl_object"} (the {@link javax.net.ssl.SSLSession}),
 * {@code "peercert"} (the peer's {@link java.security.cert.Certificate}, null when it sent none),
 * {@code "cipher"} (the cipher suite's name), {@code "compression"} (always null); the socket's
 * names ({@code "peername"}, {@code "sockname"}, {@code "socket"}) come from the socket transport.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code write_eof} raises {@code NotImplementedError}; {@link #writeEof()} throws {@link
 *       UnsupportedOperationException}.
 *   <li>{@code ssl_object} is the session, not the engine: the engine belongs to the protocol.
 *       {@code cipher} is the suite's name where Python gives (name, protocol, bits); the protocol
 *       is {@code session.getProtocol()}.
 * </ul>
 */
final class SslTransport implements Transport {
  private final SslProtocol ssl;
  boolean closed;

  SslTransport(SslProtocol ssl) {
    this.ssl = ssl;
  }

  @Override
  public void write(ByteBuffer data) {
    Objects.requireNonNull(data, "data must not be null");
    if (data.hasRemaining()) {
      ssl.writeAppData(data, null);
    }
  }

  @Override
  public void writelines(Iterable<ByteBuffer> data) {
    Objects.requireNonNull(data, "data must not be null");
    for (ByteBuffer b : data) {
      Objects.requireNonNull(b, "data must not hold null");
    }
    ssl.writeAppData(null, data);
  }

  /**
   * Refused: TLS has no half-close.
   *
   * @throws UnsupportedOperationException always (Python's {@code NotImplementedError})
   */
  @Override
  public void writeEof() {
    throw new UnsupportedOperationException("SSL transports do not support writeEof (half-close)");
  }

  @Override
  public boolean canWriteEof() {
    return false;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      ssl.startShutdown();
    }
  }

  @Override
  public void abort() {
    closed = true;
    ssl.abort(null);
  }

  @Override
  public boolean isClosing() {
    return closed;
  }

  @Override
  public void pauseReading() {
    ssl.pauseReading();
  }

  @Override
  public void resumeReading() {
    ssl.resumeReading();
  }

  @Override
  public boolean isReading() {
    return !ssl.appReadingPaused;
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    WriteBufferLimits l = WriteFlow.limits(high, low, 512 * 1024);
    ssl.writeHigh = l.high();
    ssl.writeLow = l.low();
    ssl.controlAppWriting();
  }

  @Override
  public WriteBufferLimits getWriteBufferLimits() {
    return new WriteBufferLimits(ssl.writeLow, ssl.writeHigh);
  }

  @Override
  public int getWriteBufferSize() {
    return ssl.getWriteBufferSize();
  }

  @Override
  public Object getExtraInfo(String name, Object defaultValue) {
    Objects.requireNonNull(name, "name must not be null");
    return ssl.getExtraInfo(name, defaultValue);
  }

  @Override
  public BaseProtocol getProtocol() {
    return ssl.app;
  }

  @Override
  public void setProtocol(BaseProtocol protocol) {
    ssl.app = SocketTransport.checkKind(protocol);
  }

  @Override
  public String toString() {
    return "SslTransport[" + (closed ? "closing" : "open") + ", " + ssl + "]";
  }
}
