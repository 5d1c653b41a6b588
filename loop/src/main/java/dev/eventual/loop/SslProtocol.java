package dev.eventual.loop;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.time.Duration;
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
final class SslProtocol extends SslFlow implements BufferedProtocol {
  /** asyncio's {@code SSL_HANDSHAKE_TIMEOUT}. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

  /** asyncio's {@code SSL_SHUTDOWN_TIMEOUT}. */
  static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  private final Duration handshakeTimeout;
  private final Duration shutdownTimeout;
  private final Map<String, Object> extra = new HashMap<>();
  final SslTransport appTransport;
  private LoopFuture<Void> waiter;
  private TimerHandle handshakeTimer;
  private TimerHandle shutdownTimer;
  private boolean eofReceived;
  private boolean outboundClosed;

  SslProtocol(
      EventLoop loop,
      BaseProtocol app,
      SSLContext context,
      SSLEngine engine,
      LoopFuture<Void> waiter,
      boolean callConnectionMade,
      Duration handshakeTimeout,
      Duration shutdownTimeout) {
    super(loop, app, new SslEngineBuffers(engine));
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

  @Override
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
          if (r.getStatus() == Status.CLOSED || r.bytesConsumed() == 0) {
            break; // the peer's close_notify came, or the engine takes nothing more
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

  // ------------------------------------------------------------------ reading

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

  // ------------------------------------------------------------------ the rest

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

  @Override
  public String toString() {
    return "SslProtocol["
        + state
        + ", "
        + (ssl.engine.getUseClientMode() ? "client" : "server")
        + "]";
  }
}
