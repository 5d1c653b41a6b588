package dev.eventual.loop;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS between a {@link SocketTransport} and the app's protocol: CPython 3.11's {@code
 * asyncio.sslproto.SSLProtocol}, state for state, on an {@link SSLEngine}. It is the socket
 * transport's (buffered) protocol, and gives the app an {@link SslTransport}.
 *
 * <pre>
 *   field            changes                                          meaning
 *   state            UNWRAPPED -> DO_HANDSHAKE (connectionMade)       where the TLS session is
 *                    -> WRAPPED (handshake done) -> FLUSHING (close,
 *                    close_notify or EOF) -> SHUTDOWN; any -> UNWRAPPED
 *                    (handshake failed, abort, connection lost)
 *   appState         INIT -> CON_MADE -> [EOF] -> CON_LOST            which app calls were made
 *   backlog, queued  app writes not yet wrapped                       getWriteBufferSize
 *   sslWritingPaused the socket transport's pause/resumeWriting       no wrapping while true
 *   appReadingPaused the app transport's pause/resumeReading          no delivery while true
 *   sslReadingPaused netIn over/under the read marks                  the socket transport reads
 *   appWritingPaused write buffer over high / at low                  the app's pause/resumeWriting
 *   eofReceived      false -> true (the socket's end of stream)       shutdown waits for no reply
 *   waiter           set until the handshake ends                     createConnection / startTls
 * </pre>
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>A handshake that times out fails with {@link SocketTimeoutException} (CPython's {@code
 *       ConnectionAbortedError}, which Java has not); a shutdown that times out too. End of stream
 *       during the handshake is {@link SocketException} "Connection reset" ({@code
 *       ConnectionResetError}).
 *   <li>Closing flushes every queued write before close_notify, even while the socket transport is
 *       paused (CPython drops the backlog when reading is paused).
 *   <li>A connection lost before the handshake ends fails the waiter even without an error (CPython
 *       sets its result to None), and an app protocol already connected (that of {@code startTls})
 *       gets {@code connectionLost} whatever the state.
 * </ul>
 */
final class SslProtocol implements BufferedProtocol {
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

  private static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");

  /** asyncio's {@code SSL_HANDSHAKE_TIMEOUT}. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

  /** asyncio's {@code SSL_SHUTDOWN_TIMEOUT}. */
  static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  /** asyncio's {@code FLOW_CONTROL_HIGH_WATER_SSL_WRITE}: 512 KiB. */
  private static final int WRITE_HIGH = 512 * 1024;

  /** asyncio's {@code FLOW_CONTROL_HIGH_WATER_SSL_READ}: 256 KiB. */
  private static final int READ_HIGH = 256 * 1024;

  private final EventLoop loop;
  private final SslEngineBuffers ssl;
  private final Duration handshakeTimeout;
  private final Duration shutdownTimeout;
  private final Map<String, Object> extra = new HashMap<>();
  final SslTransport appTransport;
  BaseProtocol app;
  private LoopFuture<Void> waiter;
  private SocketTransport transport;
  private State state = State.UNWRAPPED;
  private AppState appState;
  private int connLost;
  private TimerHandle handshakeTimer;
  private TimerHandle shutdownTimer;
  private final ArrayDeque<ByteBuffer> backlog = new ArrayDeque<>();
  private int queued;
  private boolean sslWritingPaused;
  boolean appReadingPaused;
  private boolean sslReadingPaused;
  private boolean appWritingPaused;
  private boolean eofReceived;
  private boolean outboundClosed;
  private boolean delivering;
  int writeHigh = WRITE_HIGH;
  int writeLow = WRITE_HIGH / 4;

  SslProtocol(
      EventLoop loop,
      BaseProtocol app,
      SSLContext context,
      SSLEngine engine,
      LoopFuture<Void> waiter,
      boolean callConnectionMade,
      Duration handshakeTimeout,
      Duration shutdownTimeout) {
    this.loop = loop;
    this.app = SslTransport.checkKind(app);
    this.ssl = new SslEngineBuffers(engine);
    this.waiter = waiter;
    this.appState = callConnectionMade ? AppState.INIT : AppState.CON_MADE;
    this.handshakeTimeout = handshakeTimeout;
    this.shutdownTimeout = shutdownTimeout;
    extra.put("sslcontext", context);
    this.appTransport = new SslTransport(this);
  }

  // ------------------------------------------------------------------ the socket transport's calls

  @Override
  public void connectionMade(Transport t) {
    transport = (SocketTransport) t;
    state = State.DO_HANDSHAKE;
    handshakeTimer = loop.callLater(handshakeTimeout, this::checkHandshakeTimeout);
    try {
      ssl.engine.beginHandshake();
    } catch (SSLException | RuntimeException e) {
      onHandshakeComplete(e);
      return;
    }
    doHandshake();
  }

  @Override
  public void connectionLost(Throwable exception) {
    backlog.clear();
    queued = 0;
    ssl.netOut.clear();
    connLost++;
    appTransport.closed = true;
    if (appState == AppState.CON_MADE || appState == AppState.EOF) {
      appState = AppState.CON_LOST;
      BaseProtocol p = app;
      loop.callSoon(() -> p.connectionLost(exception));
    }
    state = State.UNWRAPPED;
    transport = null;
    wakeupWaiter(
        exception != null
            ? exception
            : new SocketException("Connection lost before the SSL handshake completed"));
    cancelTimers();
  }

  @Override
  public ByteBuffer getBuffer(int sizeHint) {
    return ssl.readBuffer();
  }

  @Override
  public void bufferUpdated(int nbytes) {
    switch (state) {
      case DO_HANDSHAKE -> doHandshake();
      case WRAPPED -> doRead();
      case FLUSHING -> doFlush();
      case SHUTDOWN -> doShutdown();
      case UNWRAPPED -> ssl.netIn.clear();
    }
  }

  @Override
  public boolean eofReceived() {
    eofReceived = true;
    switch (state) {
      case DO_HANDSHAKE ->
          onHandshakeComplete(
              new SocketException("Connection reset: end of stream during the SSL handshake"));
      case WRAPPED -> {
        state = State.FLUSHING;
        if (appReadingPaused) {
          return true;
        }
        doFlush();
      }
      case FLUSHING -> {
        doWrite();
        state = State.SHUTDOWN;
        doShutdown();
      }
      case SHUTDOWN -> doShutdown();
      case UNWRAPPED -> {}
    }
    return false;
  }

  @Override
  public void pauseWriting() {
    sslWritingPaused = true;
  }

  @Override
  public void resumeWriting() {
    if (!sslWritingPaused) {
      return;
    }
    sslWritingPaused = false;
    switch (state) {
      case WRAPPED, FLUSHING -> doWrite();
      case SHUTDOWN -> doShutdown();
      default -> processOutgoing();
    }
  }

  // ------------------------------------------------------------------ handshake

  private void checkHandshakeTimeout() {
    if (state == State.DO_HANDSHAKE) {
      fatalError(
          new SocketTimeoutException(
              "SSL handshake is taking longer than "
                  + seconds(handshakeTimeout)
                  + " seconds: aborting the connection"),
          "SSL handshake timed out");
    }
  }

  private static String seconds(Duration d) {
    return String.valueOf(d.toMillis() / 1000.0);
  }

  private void doHandshake() {
    try {
      for (; ; ) {
        SSLEngineResult r;
        switch (ssl.engine.getHandshakeStatus()) {
          case NEED_WRAP:
            r = ssl.wrap(SslEngineBuffers.NOTHING);
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
              flushNetOut(true);
            } else if (r.getStatus() == Status.CLOSED && r.bytesProduced() == 0) {
              throw new SSLHandshakeException("the SSL engine closed during the handshake");
            }
            break;
          case NEED_UNWRAP:
          case NEED_UNWRAP_AGAIN:
            r = ssl.unwrap(false);
            if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
              processOutgoing();
              return;
            }
            if (r.getStatus() == Status.CLOSED) {
              throw new SSLHandshakeException(
                  "the peer closed the SSL session during the handshake");
            }
            break;
          case NEED_TASK:
            ssl.runDelegatedTasks();
            continue;
          default: // FINISHED, NOT_HANDSHAKING
            processOutgoing();
            onHandshakeComplete(null);
            return;
        }
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
          processOutgoing();
          onHandshakeComplete(null);
          return;
        }
      }
    } catch (SSLException | RuntimeException e) {
      flushAlert();
      onHandshakeComplete(e);
    }
  }

  /** Sends the alert a failed engine has to say, if the socket takes it now. */
  private void flushAlert() {
    try {
      ssl.wrap(SslEngineBuffers.NOTHING);
    } catch (SSLException | RuntimeException e) {
      // the handshake's error is the one reported
    }
    flushNetOut(true);
  }

  private void onHandshakeComplete(Throwable error) {
    cancelHandshakeTimer();
    if (error != null) {
      state = State.UNWRAPPED;
      fatalError(error, "SSL handshake failed");
      wakeupWaiter(error);
      return;
    }
    state = State.WRAPPED;
    SSLSession session = ssl.engine.getSession();
    Object peercert = null;
    try {
      Certificate[] chain = session.getPeerCertificates();
      peercert = chain.length > 0 ? chain[0] : null;
    } catch (SSLPeerUnverifiedException e) {
      // a peer that sent no certificate (a client without client auth): Python's {} / None
    }
    extra.put("peercert", peercert);
    extra.put("cipher", session.getCipherSuite());
    extra.put("compression", null);
    extra.put("ssl_object", session);
    if (appState == AppState.INIT) {
      appState = AppState.CON_MADE;
      try {
        app.connectionMade(appTransport);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        fatalError(t, "Fatal error: protocol.connectionMade() call failed.");
        wakeupWaiter(t);
        return;
      }
    }
    wakeupWaiter(null);
    doRead();
  }

  private void wakeupWaiter(Throwable error) {
    LoopFuture<Void> w = waiter;
    waiter = null;
    if (w == null || w.isDone()) {
      return;
    }
    if (error != null) {
      w.setException(error);
    } else {
      w.setResult(null);
    }
  }

  // ------------------------------------------------------------------ shutdown

  void startShutdown() {
    if (state == State.FLUSHING || state == State.SHUTDOWN || state == State.UNWRAPPED) {
      return;
    }
    appTransport.closed = true;
    if (state == State.DO_HANDSHAKE) {
      abort(null);
      return;
    }
    state = State.FLUSHING;
    shutdownTimer = loop.callLater(shutdownTimeout, this::checkShutdownTimeout);
    doFlush();
  }

  private void checkShutdownTimeout() {
    if ((state == State.FLUSHING || state == State.SHUTDOWN) && transport != null) {
      transport.forceClose(new SocketTimeoutException("SSL shutdown timed out"));
    }
  }

  private void doFlush() {
    doRead();
    if (state == State.FLUSHING) {
      state = State.SHUTDOWN;
      doShutdown();
    }
  }

  /**
   * Writes what is queued, then close_notify, then waits for the peer's (CPython's {@code
   * sslobj.unwrap()}); plaintext arriving meanwhile is dropped, as OpenSSL drops it.
   */
  private void doShutdown() {
    if (state != State.SHUTDOWN || transport == null) {
      return;
    }
    try {
      if (!eofReceived) {
        if (!backlog.isEmpty()) {
          doWrite();
          if (!backlog.isEmpty()) {
            return; // resumeWriting comes back here
          }
        }
        if (!outboundClosed) {
          outboundClosed = true;
          ssl.engine.closeOutbound();
        }
        while (!ssl.engine.isOutboundDone()) {
          SSLEngineResult r = ssl.wrap(SslEngineBuffers.NOTHING);
          if (r.getStatus() == Status.BUFFER_OVERFLOW && !flushNetOut(false)) {
            return;
          }
          if (r.bytesProduced() == 0 && r.getStatus() != Status.BUFFER_OVERFLOW) {
            break;
          }
        }
        while (!ssl.engine.isInboundDone()) {
          SSLEngineResult r = ssl.unwrap(true);
          if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            ssl.runDelegatedTasks();
          }
          if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
            processOutgoing();
            return;
          }
        }
      }
    } catch (SSLException e) {
      onShutdownComplete(e);
      return;
    }
    processOutgoing();
    callEofReceived();
    onShutdownComplete(null);
  }

  private void onShutdownComplete(Throwable error) {
    if (shutdownTimer != null) {
      shutdownTimer.cancel();
      shutdownTimer = null;
    }
    if (error != null) {
      fatalError(error, "SSL shutdown failed");
    } else if (transport != null) {
      SocketTransport t = transport;
      loop.callSoon(t::close);
    }
  }

  void abort(Throwable error) {
    state = State.UNWRAPPED;
    if (transport != null) {
      transport.forceClose(error);
    }
  }

  // ------------------------------------------------------------------ writing

  /** asyncio's {@code _write_appdata}: one buffer, or with {@code more} several in one go. */
  void writeAppData(ByteBuffer data, Iterable<ByteBuffer> more) {
    if (state == State.FLUSHING || state == State.SHUTDOWN || state == State.UNWRAPPED) {
      if (connLost >= 5) { // LOG_THRESHOLD_FOR_CONNLOST_WRITES
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
  private void doWrite() {
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
        }
      }
    } catch (SSLException e) {
      fatalError(e, "Fatal error on SSL protocol");
      return;
    }
    processOutgoing();
  }

  /** asyncio's {@code _process_outgoing}: hands the records to the socket unless it is paused. */
  private void processOutgoing() {
    flushNetOut(false);
    controlAppWriting();
  }

  /** Hands {@code netOut} to the socket transport; returns whether it did. */
  private boolean flushNetOut(boolean evenIfPaused) {
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

  // ------------------------------------------------------------------ reading

  /** asyncio's {@code _do_read}: unwraps and delivers what came, then writes what waits. */
  private void doRead() {
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

  /** Gives the plaintext in {@code appIn} to the app protocol. */
  private void deliver() {
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

  private void callEofReceived() {
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

  void pauseReading() {
    appReadingPaused = true;
  }

  void resumeReading() {
    if (!appReadingPaused) {
      return;
    }
    appReadingPaused = false;
    loop.callSoon(
        () -> {
          switch (state) {
            case WRAPPED -> doRead();
            case FLUSHING -> doFlush();
            case SHUTDOWN -> doShutdown();
            default -> {}
          }
        });
  }

  /** asyncio's {@code _control_ssl_reading}: the socket stops reading while netIn is full. */
  private void controlSslReading() {
    int size = ssl.pendingIn();
    if (size >= READ_HIGH && !sslReadingPaused && transport != null) {
      sslReadingPaused = true;
      transport.pauseReading();
    } else if (size <= READ_HIGH / 4 && sslReadingPaused && transport != null) {
      sslReadingPaused = false;
      transport.resumeReading();
    }
  }

  // ------------------------------------------------------------------ the rest

  private void fatalError(Throwable error, String message) {
    if (transport != null) {
      transport.forceClose(error);
    }
    if (!(error instanceof IOException)) {
      loop.callExceptionHandler(new ExceptionContext(message, error));
    }
  }

  private void cancelHandshakeTimer() {
    if (handshakeTimer != null) {
      handshakeTimer.cancel();
      handshakeTimer = null;
    }
  }

  private void cancelTimers() {
    cancelHandshakeTimer();
    if (shutdownTimer != null) {
      shutdownTimer.cancel();
      shutdownTimer = null;
    }
  }

  Object getExtraInfo(String name, Object defaultValue) {
    if (extra.containsKey(name)) {
      return extra.get(name);
    }
    return transport != null ? transport.getExtraInfo(name, defaultValue) : defaultValue;
  }

  SocketTransport socketTransport() {
    return transport;
  }

  State state() {
    return state;
  }

  @Override
  public String toString() {
    return "SslProtocol["
        + state
        + ", "
        + (ssl.engine.getUseClientMode() ? "client" : "server")
        + "]";
  }
}
