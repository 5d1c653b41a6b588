package dev.eventual.loop;

import java.nio.ByteBuffer;

/**
 * The protocol between a transport and a {@link StreamReader}: asyncio's {@code
 * StreamReaderProtocol}. It feeds what arrives to the reader, and gives {@link
 * StreamWriter#drain()} its flow control. With a {@link ClientConnected} callback (a stream
 * server's), it makes the {@link StreamWriter} when the connection is made and runs the callback as
 * a task.
 *
 * <pre>
 *   field      changes                                           meaning
 *   transport  null -> the transport (connectionMade) -> null    the connection, while it lasts
 *              (connectionLost)
 *   writer     null -> a writer (connectionMade, with a          the callback's writer
 *              callback) -> null (connectionLost)
 *   task       null -> the callback's task -> null (lost)        the callback, while it lasts
 *   lost       false -> true (connectionLost), with lostError    the close waiter's outcome
 *   closed     null -> a future (first closeWaiter)              what waitClosed awaits
 * </pre>
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>The reader is held strongly (Python holds a weak reference and reports a stream that was
 *       collected before its connection was made).
 *   <li>The callback is always a task body (see {@link ClientConnected}); Python also takes a plain
 *       function, which it calls in {@code connection_made}.
 * </ul>
 */
public class StreamReaderProtocol extends FlowControlProtocol implements Protocol {
  private StreamReader reader;
  private final ClientConnected clientConnected;
  private Transport transport;
  private StreamWriter writer;
  private Task<Void> task;
  private boolean overSsl;
  private boolean lost;
  private Throwable lostError;
  private LoopFuture<Void> closed;
  private EventLoop loop;

  /**
   * A protocol that feeds {@code reader}: Python's {@code StreamReaderProtocol(reader)}, as {@code
   * open_connection} makes it.
   *
   * @param reader where the bytes go; null for a protocol that only writes
   */
  public StreamReaderProtocol(StreamReader reader) {
    this(reader, null);
  }

  /**
   * A protocol that feeds {@code reader} and, once connected, runs {@code clientConnected} as a
   * task with the reader and a new {@link StreamWriter}: Python's {@code
   * StreamReaderProtocol(reader, client_connected_cb)}, as {@code start_server} makes it.
   *
   * @param reader where the bytes go; null for a protocol that only writes
   * @param clientConnected what to run per connection, or null
   */
  public StreamReaderProtocol(StreamReader reader, ClientConnected clientConnected) {
    this.reader = reader;
    this.clientConnected = clientConnected;
  }

  @Override
  public void connectionMade(Transport transport) {
    EventLoop loop = EventLoop.getRunningLoop();
    bindTo(loop);
    this.loop = loop;
    this.transport = transport;
    if (reader != null) {
      reader.bindTo(loop);
      reader.setTransport(transport);
    }
    overSsl = transport.getExtraInfo("sslcontext") != null;
    if (clientConnected != null) {
      StreamReader r = reader;
      StreamWriter w = new StreamWriter(transport, this, r);
      writer = w;
      Task<Void> t =
          loop.createTask(
              () -> {
                clientConnected.accept(r, w);
                return null;
              });
      task = t;
      t.addDoneCallback(
          done -> {
            if (done.isCancelled()) {
              closeTransport(transport);
              return;
            }
            Throwable e = done.exception();
            if (e != null) {
              loop.callExceptionHandler(
                  new ExceptionContext("Unhandled exception in client_connected_cb", e));
              closeTransport(transport);
            }
          });
    }
  }

  @Override
  public void connectionLost(Throwable exception) {
    if (reader != null) {
      if (exception == null) {
        reader.feedEof();
      } else {
        reader.setException(exception);
      }
    }
    if (!lost) {
      lost = true;
      lostError = exception;
      if (closed != null) {
        complete(closed);
      }
    }
    super.connectionLost(exception);
    reader = null;
    writer = null;
    task = null;
    transport = null;
  }

  private void complete(LoopFuture<Void> f) {
    if (f.isDone()) {
      return;
    }
    if (lostError == null) {
      f.setResult(null);
    } else {
      f.setException(lostError);
    }
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    if (reader != null) {
      reader.feedData(data);
    }
  }

  @Override
  public boolean eofReceived() {
    if (reader != null) {
      reader.feedEof();
    }
    return !overSsl; // SSL transports cannot stay half-open
  }

  /** Closes the connection's transport now: the TLS one after startTls, else {@code made}. */
  private void closeTransport(Transport made) {
    (transport != null ? transport : made).close();
  }

  /** Whether the connection is a stream server's (a callback was given): the TLS side to run. */
  boolean isServerSide() {
    return clientConnected != null;
  }

  /**
   * The connection's transport after {@link StreamWriter#startTls}: asyncio's {@code
   * _replace_transport(transport)}. The reader pauses and resumes it from now on.
   */
  void replaceTransport(Transport tls) {
    if (transport == null) {
      return; // lost meanwhile
    }
    transport = tls;
    overSsl = tls.getExtraInfo("sslcontext") != null;
    if (reader != null) {
      reader.replaceTransport(tls);
    }
  }

  @Override
  LoopFuture<Void> closeWaiter() {
    if (closed == null) {
      closed = loop != null ? loop.createFuture() : newWaiter();
      if (lost) {
        complete(closed);
      }
    }
    return closed;
  }

  @Override
  public String toString() {
    return "StreamReaderProtocol["
        + (lost ? "lost" : transport == null ? "not connected" : "connected")
        + (isWritingPaused() ? ", writing paused" : "")
        + "]";
  }
}
