package dev.eventual.loop;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;

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
 *   <li>No {@code start_tls} here, and no warning from a finalizer for an unclosed writer.
 * </ul>
 */
public final class StreamWriter {
  private final Transport transport;
  private final FlowControlProtocol protocol;
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

  @Override
  public String toString() {
    return "StreamWriter[transport="
        + transport
        + (reader != null ? ", reader=" + reader : "")
        + "]";
  }
}
