package dev.eventual.loop;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLContext;

/**
 * Writes to a connection, with {@link #drain()} for flow control: asyncio's {@code StreamWriter}
 * (CPython 3.13). Writes never wait (the transport queues what the socket does not take); {@code
 * drain()} suspends the calling task while the transport's buffer is over its high-water mark.
 *
 * <pre>{@code
 * writer.write(bytes);
 * writer.drain();          // await writer.drain()
 * writer.close();
 * writer.waitClosed();     // await writer.wait_closed()
 * }</pre>
 *
 * <p>Like all of asyncio, not thread-safe: used from one loop's tasks and callbacks.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@link #drain()} and {@link #waitClosed()} suspend the calling task instead of returning a
 *       coroutine; {@code transport} is {@link #transport()}.
 *   <li>{@code ConnectionResetError('Connection lost')} is a {@link SocketException} with that
 *       message.
 *   <li>{@link #startTls(SSLContext, String, Duration)}: a client must name the server ({@code ""}
 *       checks no name), where Python passes {@code None} on to the context; bad input and a
 *       closing writer are refused before anything is sent (Python's {@code drain} raises {@code
 *       ConnectionResetError} for the latter); after the upgrade the reader pauses the TLS
 *       transport's reading, not the socket's.
 *   <li>No warning from a finalizer for an unclosed writer.
 * </ul>
 *
 * <pre>
 *   field       changes                                              meaning
 *   transport   the connection's; startTls -> its TLS transport      where writes go
 *   tlsStarted  false -> true when startTls is accepted (back to     a second startTls is refused
 *               false if its drain fails)
 * </pre>
 */
public final class StreamWriter {
  private Transport transport;
  private final FlowControlProtocol protocol;
  private boolean tlsStarted;
  private final StreamReader reader;

  /**
   * Wraps {@code transport}: Python's {@code StreamWriter(transport, protocol, reader, loop)}.
   *
   * @param transport the connection's transport
   * @param protocol the transport's protocol, whose flow control {@link #drain()} follows
   * @param reader the connection's reader, whose error {@code drain()} throws; may be null
   * @throws NullPointerException if {@code transport} or {@code protocol} is null
   */
  public StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader) {
    this(transport, (FlowControlProtocol) protocol, reader);
  }

  /** The same over any protocol with asyncio's flow control (a pipe's, say). */
  StreamWriter(Transport transport, FlowControlProtocol protocol, StreamReader reader) {
    this.transport = Objects.requireNonNull(transport, "transport must not be null");
    this.protocol = Objects.requireNonNull(protocol, "protocol must not be null");
    this.reader = reader;
  }

  /**
   * The transport: Python's {@code transport} property.
   *
   * @return the transport
   */
  public Transport transport() {
    return transport;
  }

  /**
   * Writes the remaining bytes of {@code data}: Python's {@code write(data)} ({@link
   * Transport#write(ByteBuffer)}). Never waits; follow with {@link #drain()}.
   *
   * @param data the bytes
   * @throws NullPointerException if {@code data} is null
   * @throws IllegalStateException after {@link #writeEof()}
   */
  public void write(ByteBuffer data) {
    transport.write(data);
  }

  /**
   * Writes a whole array: Python's {@code write(data)}.
   *
   * @param data the bytes
   * @throws NullPointerException if {@code data} is null
   * @throws IllegalStateException after {@link #writeEof()}
   */
  public void write(byte[] data) {
    transport.write(Objects.requireNonNull(data, "data must not be null"));
  }

  /**
   * Writes each buffer in turn: Python's {@code writelines(data)}.
   *
   * @param data the buffers
   * @throws NullPointerException if {@code data} or one of its buffers is null
   * @throws IllegalStateException after {@link #writeEof()}
   */
  public void writelines(Iterable<ByteBuffer> data) {
    transport.writelines(Objects.requireNonNull(data, "data must not be null"));
  }

  /**
   * Shuts the output down once what is queued has gone (a half-close): Python's {@code
   * write_eof()}.
   *
   * @throws UnsupportedOperationException if the transport cannot ({@link #canWriteEof()} false)
   */
  public void writeEof() {
    transport.writeEof();
  }

  /**
   * Whether {@link #writeEof()} is supported: Python's {@code can_write_eof()}.
   *
   * @return the transport's answer
   */
  public boolean canWriteEof() {
    return transport.canWriteEof();
  }

  /** Closes the transport once what is queued has gone: Python's {@code close()}. */
  public void close() {
    transport.close();
  }

  /**
   * Whether the transport is closing or closed: Python's {@code is_closing()}.
   *
   * @return the transport's answer
   */
  public boolean isClosing() {
    return transport.isClosing();
  }

  /**
   * Suspends the calling task until the connection is closed: Python's {@code await
   * writer.wait_closed()}.
   *
   * @throws IOException the error that ended the connection, if any
   * @throws IllegalStateException if it must wait and the caller is not a task
   * @throws CancellationException if the task is cancelled while it waits (the connection goes on)
   */
  public void waitClosed() throws IOException {
    LoopFuture<Void> closed = protocol.closeWaiter();
    if (!closed.isDone()) {
      Task.require("StreamWriter.waitClosed()");
    }
    FlowControlProtocol.awaitIo(closed);
  }

  /**
   * Something the transport knows: Python's {@code get_extra_info(name)}.
   *
   * @param name what ({@code "peername"}, {@code "sockname"}, {@code "socket"})
   * @return the value, or null
   * @throws NullPointerException if {@code name} is null
   */
  public Object getExtraInfo(String name) {
    return transport.getExtraInfo(name);
  }

  /**
   * Something the transport knows: Python's {@code get_extra_info(name, default)}.
   *
   * @param name what
   * @param defaultValue what to return when it is not known
   * @return the value, or {@code defaultValue}
   * @throws NullPointerException if {@code name} is null
   */
  public Object getExtraInfo(String name, Object defaultValue) {
    return transport.getExtraInfo(name, defaultValue);
  }

  /**
   * Waits until it is fine to write again: Python's {@code await writer.drain()}. Returns at once
   * unless the transport paused its protocol (its buffer is over the high-water mark); then
   * suspends the calling task until the buffer drains to the low-water mark or the connection is
   * lost. On a closing transport it first lets the loop run once, so that the loss is seen.
   *
   * @throws IOException the reader's error (the connection's) if one is set; the connection's error
   *     if it is lost while this waits; {@link SocketException} "Connection lost" once the
   *     connection is lost
   * @throws IllegalStateException if it must wait and the caller is not a task
   * @throws CancellationException if the task is cancelled while it waits
   */
  public void drain() throws IOException {
    if (reader != null) {
      Throwable e = reader.exception();
      if (e != null) {
        if (e instanceof IOException io) {
          throw io;
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        if (e instanceof Error err) {
          throw err;
        }
        throw new java.util.concurrent.CompletionException(e);
      }
    }
    if (transport.isClosing()) {
      Asyncio.sleep(Duration.ZERO); // lets connectionLost run, so its error is seen
    }
    protocol.drainHelper();
  }

  /**
   * {@link #startTls(SSLContext, String, Duration)} with the default handshake timeout (60 s) and,
   * on a server's connection, no host name: Python's {@code await writer.start_tls(sslcontext)}.
   *
   * @param sslContext the context the {@link javax.net.ssl.SSLEngine} comes from
   * @throws IOException the handshake's error ({@link javax.net.ssl.SSLHandshakeException}, say) or
   *     the connection's; the connection is closed then
   * @throws NullPointerException if {@code sslContext} is null
   * @throws IllegalArgumentException if this writer is a client's (it needs {@code
   *     serverHostname}), or {@code sslContext} is not initialized
   * @throws IllegalStateException if called outside a task, twice, or on a closing writer
   * @throws CancellationException if the task is cancelled while it waits (the connection is
   *     closed)
   */
  public void startTls(SSLContext sslContext) throws IOException {
    startTls(sslContext, null, null);
  }

  /**
   * {@link #startTls(SSLContext, String, Duration)} with the default handshake timeout (60 s):
   * Python's {@code await writer.start_tls(sslcontext, server_hostname=server_hostname)}.
   *
   * @param sslContext the context the {@link javax.net.ssl.SSLEngine} comes from
   * @param serverHostname for a client, the name the server's certificate must match ("" checks no
   *     name); null on a server's connection
   * @throws IOException the handshake's error or the connection's; the connection is closed then
   * @throws NullPointerException if {@code sslContext} is null
   * @throws IllegalArgumentException if {@code serverHostname} is missing on a client's writer or
   *     given on a server's, or {@code sslContext} is not initialized
   * @throws IllegalStateException if called outside a task, twice, or on a closing writer
   * @throws CancellationException if the task is cancelled while it waits (the connection is
   *     closed)
   */
  public void startTls(SSLContext sslContext, String serverHostname) throws IOException {
    startTls(sslContext, serverHostname, null);
  }

  /**
   * Upgrades the connection to TLS in place: Python's {@code await writer.start_tls(sslcontext, *,
   * server_hostname=None, ssl_handshake_timeout=None)} (3.11). Drains what is queued, runs the
   * handshake over the connection ({@link EventLoop#startTls(Transport, BaseProtocol, SSLContext,
   * boolean, String, Duration, Duration)}) and suspends the calling task until it is done; from
   * then on this writer writes through the TLS transport ({@link #transport()}), the reader gets
   * the decrypted bytes, and {@link #getExtraInfo} knows {@code "sslcontext"}, {@code
   * "ssl_object"}, {@code "peercert"} and {@code "cipher"}. The side is the connection's: the
   * writer a stream server gave its {@link ClientConnected} callback runs the server side, any
   * other the client side. Bytes already in the reader stay there, read as before.
   *
   * <p>As with any STARTTLS protocol, the peer must not send TLS bytes before this side has called
   * this method (a client sends its hello only after the server said it is ready).
   *
   * @param sslContext the context the {@link javax.net.ssl.SSLEngine} comes from
   * @param serverHostname for a client, the name the server's certificate must match and SNI sends
   *     ("" checks no name); null on a server's connection
   * @param sslHandshakeTimeout how long the handshake may take, positive; null for 60 s
   * @throws IOException the handshake's error ({@link javax.net.ssl.SSLHandshakeException}, {@link
   *     java.net.SocketTimeoutException} at the timeout) or the connection's; the connection is
   *     closed then
   * @throws NullPointerException if {@code sslContext} is null
   * @throws IllegalArgumentException if {@code sslHandshakeTimeout} is zero or negative, {@code
   *     serverHostname} is missing on a client's writer or given on a server's, or {@code
   *     sslContext} is not initialized
   * @throws IllegalStateException if called outside a task, a second time, on a closing writer, or
   *     on a writer that is not a socket connection's (a subprocess pipe's)
   * @throws CancellationException if the task is cancelled while it waits (the connection is
   *     closed)
   */
  public void startTls(SSLContext sslContext, String serverHostname, Duration sslHandshakeTimeout)
      throws IOException {
    Objects.requireNonNull(sslContext, "sslContext must not be null");
    if (sslHandshakeTimeout != null
        && (sslHandshakeTimeout.isNegative() || sslHandshakeTimeout.isZero())) {
      throw new IllegalArgumentException(
          "sslHandshakeTimeout must be positive: " + sslHandshakeTimeout);
    }
    if (!(protocol instanceof StreamReaderProtocol streams)) {
      throw new IllegalStateException(
          "startTls() needs the writer of a socket connection, not of " + transport);
    }
    boolean serverSide = streams.isServerSide();
    if (serverSide && serverHostname != null) {
      throw new IllegalArgumentException(
          "serverHostname must be null on a server's connection: " + serverHostname);
    }
    if (!serverSide && serverHostname == null) {
      throw new IllegalArgumentException(
          "serverHostname must be given for a client (\"\" turns hostname verification off)");
    }
    if (tlsStarted) {
      throw new IllegalStateException("startTls() was already called on this writer");
    }
    if (transport.isClosing()) {
      throw new IllegalStateException("startTls() on a closing writer: " + transport);
    }
    Task.require("StreamWriter.startTls()");
    tlsStarted = true;
    try {
      drain();
    } catch (IOException | RuntimeException | Error e) {
      tlsStarted = false;
      throw e;
    }
    Transport tls =
        FlowControlProtocol.awaitIo(
            EventLoop.getRunningLoop()
                .startTls(
                    transport,
                    streams,
                    sslContext,
                    serverSide,
                    serverHostname,
                    sslHandshakeTimeout,
                    null));
    transport = tls;
    streams.replaceTransport(tls);
  }

  @Override
  public String toString() {
    return "StreamWriter[transport="
        + transport
        + (reader != null ? ", reader=" + reader : "")
        + "]";
  }
}
