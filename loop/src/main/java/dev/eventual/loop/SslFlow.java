package dev.eventual.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * The data paths of {@link SslProtocol}, its only subclass, in a file of their own: the app's
 * writes into records and on to the socket transport with both flow controls, and the plaintext out
 * to the app (asyncio's {@code _do_write}, {@code _process_outgoing}, {@code _control_app_writing},
 * {@code _do_read__copied}/{@code _do_read__buffered}, {@code _control_ssl_reading}). The fields
 * are described in {@link SslProtocol}'s table.
 */
abstract sealed class SslFlow permits SslProtocol {
  enum State {
    UNWRAPPED,
    DO_HANDSHAKE,
    WRAPPED,
    FLUSHING,
    SHUTDOWN
  }

  enum AppState {
    INIT,
    CON_MADE,
    EOF,
    CON_LOST
  }

  static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");

  /** asyncio's {@code FLOW_CONTROL_HIGH_WATER_SSL_WRITE}: 512 KiB. */
  static final int WRITE_HIGH = 512 * 1024;

  /** asyncio's {@code FLOW_CONTROL_HIGH_WATER_SSL_READ}: 256 KiB. */
  static final int READ_HIGH = 256 * 1024;

  final EventLoop loop;
  final SslEngineBuffers ssl;
  BaseProtocol app;
  SocketTransport transport;
  State state = State.UNWRAPPED;
  AppState appState;
  int connLost;
  final ArrayDeque<ByteBuffer> backlog = new ArrayDeque<>();
  int queued;
  boolean sslWritingPaused;
  boolean appReadingPaused;
  boolean sslReadingPaused;
  boolean appWritingPaused;
  boolean delivering;
  int writeHigh = WRITE_HIGH;
  int writeLow = WRITE_HIGH / 4;

  SslFlow(EventLoop loop, BaseProtocol app, SslEngineBuffers ssl) {
    this.loop = loop;
    this.app = SocketTransport.checkKind(app);
    this.ssl = ssl;
  }

  // ------------------------------------------------------------------ writing

  /** asyncio's {@code _write_appdata}: one buffer, or with {@code more} several in one go. */
  void writeAppData(ByteBuffer data, Iterable<ByteBuffer> more) {
    if (state == State.FLUSHING || state == State.SHUTDOWN || state == State.UNWRAPPED) {
      if (connLost >= SelectorTransport.LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        LOG.log(System.Logger.Level.WARNING, "SSL connection is closed");
      }
      connLost++;
      if (data != null) {
        data.position(data.limit());
      } else {
        for (ByteBuffer b : more) {
          b.position(b.limit());
        }
      }
      return;
    }
    if (data != null && backlog.isEmpty() && state == State.WRAPPED && !sslWritingPaused) {
      // no copy when the engine takes it all now
      backlog.add(data);
      queued += data.remaining();
      runWrite();
      if (!backlog.isEmpty()) {
        backlog.clear();
        backlog.add(ByteBuffer.allocate(data.remaining()).put(data).flip());
      }
      return;
    }
    if (data != null) {
      enqueueCopy(data);
    } else {
      for (ByteBuffer b : more) {
        enqueueCopy(b);
      }
    }
    if (state == State.WRAPPED) {
      runWrite();
    } else {
      controlAppWriting();
    }
  }

  private void enqueueCopy(ByteBuffer b) {
    if (b.hasRemaining()) {
      queued += b.remaining();
      backlog.add(ByteBuffer.allocate(b.remaining()).put(b).flip());
    }
  }

  private void runWrite() {
    try {
      doWrite();
    } catch (RuntimeException e) {
      fatalError(e, "Fatal error on SSL protocol");
    }
  }

  /** Wraps the backlog into records and hands them to the socket transport, until it pauses. */
  void doWrite() {
    try {
      while (!backlog.isEmpty() && !sslWritingPaused && transport != null) {
        SSLEngineResult r = ssl.wrap(backlog.toArray(new ByteBuffer[0]));
        queued -= r.bytesConsumed();
        while (!backlog.isEmpty() && !backlog.peek().hasRemaining()) {
          backlog.poll();
        }
        if (r.getStatus() == Status.BUFFER_OVERFLOW) {
          flushNetOut(false);
        } else if (r.getStatus() == Status.CLOSED) {
          throw new SSLException("the SSL engine is closed");
        } else if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
          ssl.runDelegatedTasks();
        } else if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
          break; // the engine waits for the peer (a renegotiation): reading brings us back
        }
      }
    } catch (SSLException e) {
      fatalError(e, "Fatal error on SSL protocol");
      return;
    }
    processOutgoing();
  }

  /** asyncio's {@code _process_outgoing}: hands the records to the socket unless it is paused. */
  void processOutgoing() {
    flushNetOut(false);
    controlAppWriting();
  }

  /** Hands {@code netOut} to the socket transport; returns whether it did. */
  boolean flushNetOut(boolean evenIfPaused) {
    if ((sslWritingPaused && !evenIfPaused) || transport == null) {
      return false;
    }
    ByteBuffer out = ssl.netOut;
    if (out.position() > 0) {
      out.flip();
      transport.write(out);
      out.clear();
    }
    return true;
  }

  int getWriteBufferSize() {
    return queued + ssl.netOut.position();
  }

  void controlAppWriting() {
    int size = getWriteBufferSize();
    if (size >= writeHigh && !appWritingPaused) {
      appWritingPaused = true;
      callFlowControl(true);
    } else if (size <= writeLow && appWritingPaused) {
      appWritingPaused = false;
      callFlowControl(false);
    }
  }

  private void callFlowControl(boolean pause) {
    try {
      if (pause) {
        app.pauseWriting();
      } else {
        app.resumeWriting();
      }
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      loop.callExceptionHandler(
          new ExceptionContext(
              "protocol." + (pause ? "pauseWriting" : "resumeWriting") + "() failed", t));
    }
  }

  /** Gives the plaintext in {@code appIn} to the app protocol. */
  void deliver() {
    ByteBuffer in = ssl.appIn;
    if (in.position() == 0) {
      return;
    }
    in.flip();
    delivering = true;
    try {
      if (app instanceof BufferedProtocol buffered) {
        while (in.hasRemaining()) {
          ByteBuffer dst = buffered.getBuffer(in.remaining());
          if (dst == null || !dst.hasRemaining()) {
            throw new IllegalStateException("getBuffer() returned an empty buffer");
          }
          int n = Math.min(dst.remaining(), in.remaining());
          dst.put(in.slice().limit(n));
          in.position(in.position() + n);
          buffered.bufferUpdated(n);
        }
      } else {
        ((Protocol) app).dataReceived(in.asReadOnlyBuffer());
      }
    } finally {
      delivering = false;
      in.clear();
    }
  }

  void callEofReceived() {
    if (appState != AppState.CON_MADE) {
      return;
    }
    appState = AppState.EOF;
    try {
      boolean keepOpen =
          app instanceof BufferedProtocol b ? b.eofReceived() : ((Protocol) app).eofReceived();
      if (keepOpen) {
        LOG.log(
            System.Logger.Level.WARNING,
            "returning true from eofReceived() has no effect when using ssl");
      }
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      fatalError(t, "Error calling eofReceived()");
    }
  }

  /** asyncio's {@code _control_ssl_reading}: the socket stops reading while netIn is full. */
  void controlSslReading() {
    int size = ssl.pendingIn();
    if (size >= READ_HIGH && !sslReadingPaused && transport != null) {
      sslReadingPaused = true;
      transport.pauseReading();
    } else if (size <= READ_HIGH / 4 && sslReadingPaused && transport != null) {
      sslReadingPaused = false;
      transport.resumeReading();
    }
  }

  void fatalError(Throwable error, String message) {
    if (transport != null) {
      transport.forceClose(error);
    }
    if (!(error instanceof IOException)) {
      loop.callExceptionHandler(new ExceptionContext(message, error));
    }
  }

  /** asyncio's {@code _start_shutdown}: close_notify after what is queued. */
  abstract void startShutdown();

  /** asyncio's {@code _do_read}: unwraps and delivers what came, then writes what waits. */
  void doRead() {
    if ((state != State.WRAPPED && state != State.FLUSHING) || delivering) {
      return;
    }
    try {
      if (!appReadingPaused) {
        boolean closeNotify = readAndDeliver();
        if (!backlog.isEmpty()) {
          doWrite();
        } else {
          processOutgoing();
        }
        if (closeNotify) {
          callEofReceived();
          startShutdown();
        }
      }
      controlSslReading();
    } catch (SSLException | RuntimeException e) {
      fatalError(e, "Fatal error on SSL protocol");
    }
  }

  /** Unwraps every whole record that came and delivers the plaintext; true on close_notify. */
  private boolean readAndDeliver() throws SSLException {
    for (; ; ) {
      if (appReadingPaused || (state != State.WRAPPED && state != State.FLUSHING)) {
        deliver();
        return false;
      }
      SSLEngineResult r = ssl.unwrap(false);
      switch (r.getStatus()) {
        case CLOSED:
          deliver();
          return true;
        case BUFFER_UNDERFLOW:
          deliver();
          return false;
        case BUFFER_OVERFLOW:
          deliver();
          break;
        default:
          HandshakeStatus hs = r.getHandshakeStatus();
          while (hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP) {
            // a post-handshake message (a key update, a ticket) that wants an answer
            if (hs == HandshakeStatus.NEED_TASK) {
              ssl.runDelegatedTasks();
            } else if (ssl.wrap(SslEngineBuffers.NOTHING).getStatus() == Status.BUFFER_OVERFLOW) {
              flushNetOut(true);
            }
            hs = ssl.engine.getHandshakeStatus();
          }
      }
    }
  }
}
