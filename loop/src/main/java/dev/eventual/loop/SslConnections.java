package dev.eventual.loop;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The TLS calls of {@link SelectorEventLoop}: {@code create_connection(ssl=...)}, {@code
 * create_server(ssl=...)} and {@code start_tls} of CPython's {@code base_events.py}. Each puts an
 * {@link SslProtocol} between a {@link SocketTransport} and the app's protocol; the plain TCP work
 * is {@link Connections}'.
 */
final class SslConnections {
  private SslConnections() {}

  static <P extends BaseProtocol> LoopFuture<Connection<P>> connect(
      EventLoop loop,
      Supplier<P> protocolFactory,
      String host,
      int port,
      SSLContext ssl,
      String serverHostname,
      Duration handshakeTimeout,
      Duration shutdownTimeout) {
    Objects.requireNonNull(protocolFactory, "protocolFactory must not be null");
    Objects.requireNonNull(host, "host must not be null");
    Duration hs = timeout(handshakeTimeout, SslProtocol.HANDSHAKE_TIMEOUT, "sslHandshakeTimeout");
    Duration sd = timeout(shutdownTimeout, SslProtocol.SHUTDOWN_TIMEOUT, "sslShutdownTimeout");
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port must be in 0..65535: " + port);
    }
    SSLEngine engine = clientEngine(ssl, serverHostname == null ? host : serverHostname, port);
    loop.checkClosed();
    LoopFuture<Void> waiter = loop.createFuture();
    Object[] made = new Object[2]; // the app protocol, its SslProtocol
    LoopFuture<Connection<SslProtocol>> plain =
        Connections.connect(
            loop,
            () -> {
              P app =
                  Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
              SslProtocol s = new SslProtocol(loop, app, ssl, engine, waiter, true, hs, sd);
              made[0] = app;
              made[1] = s;
              return s;
            },
            host,
            port);
    LoopFuture<Connection<P>> result = loop.createFuture();
    SocketOps.then(
        plain,
        result,
        c ->
            waiter.addDoneCallback(
                w -> {
                  if (result.isDone()) {
                    return;
                  }
                  if (w.exception() != null) {
                    c.transport().close();
                    result.setException(w.exception());
                    return;
                  }
                  @SuppressWarnings("unchecked")
                  P app = (P) made[0];
                  result.setResult(new Connection<>(((SslProtocol) made[1]).appTransport, app));
                }));
    result.addDoneCallback(
        r -> {
          if (r.isCancelled() && made[1] != null && !waiter.isDone()) {
            ((SslProtocol) made[1]).abort(null); // CPython closes the transport at the cancel
          }
        });
    return result;
  }

  static LoopFuture<Server> serve(
      EventLoop loop,
      Supplier<? extends BaseProtocol> protocolFactory,
      String host,
      int port,
      int backlog,
      SSLContext ssl,
      Duration handshakeTimeout,
      Duration shutdownTimeout) {
    Objects.requireNonNull(protocolFactory, "protocolFactory must not be null");
    Duration hs = timeout(handshakeTimeout, SslProtocol.HANDSHAKE_TIMEOUT, "sslHandshakeTimeout");
    Duration sd = timeout(shutdownTimeout, SslProtocol.SHUTDOWN_TIMEOUT, "sslShutdownTimeout");
    serverEngine(ssl); // an uninitialized context fails now, not at the first client
    return Connections.serve(
        loop,
        () -> {
          BaseProtocol app =
              Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
          LoopFuture<Void> waiter = loop.createFuture();
          waiter.addDoneCallback(
              w -> {
                if (w.exception() != null && loop.getDebug()) {
                  loop.callExceptionHandler(
                      new ExceptionContext(
                          "Error on transport creation for incoming connection", w.exception()));
                }
              });
          return new SslProtocol(loop, app, ssl, serverEngine(ssl), waiter, true, hs, sd);
        },
        host,
        port,
        backlog);
  }

  static LoopFuture<Transport> startTls(
      EventLoop loop,
      Transport transport,
      BaseProtocol protocol,
      SSLContext ssl,
      boolean serverSide,
      String serverHostname,
      Duration handshakeTimeout,
      Duration shutdownTimeout) {
    Objects.requireNonNull(transport, "transport must not be null");
    SocketTransport.checkKind(protocol);
    Objects.requireNonNull(ssl, "sslContext must not be null");
    if (!(transport instanceof SocketTransport socket)) {
      throw new IllegalArgumentException(
          "transport " + transport + " is not supported by startTls (a TCP transport is)");
    }
    if (transport.isClosing()) {
      throw new IllegalArgumentException("transport is closing: " + transport);
    }
    Duration hs = timeout(handshakeTimeout, SslProtocol.HANDSHAKE_TIMEOUT, "sslHandshakeTimeout");
    Duration sd = timeout(shutdownTimeout, SslProtocol.SHUTDOWN_TIMEOUT, "sslShutdownTimeout");
    SSLEngine engine;
    if (serverSide) {
      if (serverHostname != null) {
        throw new IllegalArgumentException(
            "serverHostname is only meaningful for a client (serverSide is true)");
      }
      engine = serverEngine(ssl);
    } else {
      if (serverHostname == null) {
        throw new IllegalArgumentException(
            "serverHostname must be given for a client (\"\" turns hostname verification off)");
      }
      engine = clientEngine(ssl, serverHostname, -1);
    }
    loop.checkClosed();
    LoopFuture<Void> waiter = loop.createFuture();
    SslProtocol s = new SslProtocol(loop, protocol, ssl, engine, waiter, false, hs, sd);
    transport.pauseReading();
    transport.setProtocol(s);
    Handle made = loop.callSoon(() -> s.connectionMade(socket));
    Handle resume = loop.callSoon(transport::resumeReading);
    LoopFuture<Transport> result = loop.createFuture();
    waiter.addDoneCallback(
        w -> {
          if (w.exception() != null) {
            transport.close();
            made.cancel();
            resume.cancel();
            if (!result.isDone()) {
              result.setException(w.exception());
            }
          } else if (!result.isDone()) {
            result.setResult(s.appTransport);
          }
        });
    result.addDoneCallback(
        r -> {
          if (r.isCancelled() && !waiter.isDone()) {
            made.cancel();
            resume.cancel();
            transport.close();
          }
        });
    return result;
  }

  private static Duration timeout(Duration given, Duration byDefault, String name) {
    if (given == null) {
      return byDefault;
    }
    if (given.isNegative() || given.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + given);
    }
    return given;
  }

  /**
   * A client engine that checks the server's name (HTTPS endpoint identification) and sends it as
   * SNI, unless it is "" (no check, as Python's {@code check_hostname = False}).
   */
  static SSLEngine clientEngine(SSLContext ssl, String serverHostname, int port) {
    Objects.requireNonNull(ssl, "ssl must not be null");
    boolean check = !serverHostname.isEmpty();
    SSLEngine engine = newEngine(ssl, check ? serverHostname : null, port);
    engine.setUseClientMode(true);
    if (check) {
      SSLParameters params = engine.getSSLParameters();
      if (params.getEndpointIdentificationAlgorithm() == null) {
        params.setEndpointIdentificationAlgorithm("HTTPS");
      }
      if (!isIpLiteral(serverHostname)) {
        try {
          params.setServerNames(List.of(new SNIHostName(serverHostname)));
        } catch (IllegalArgumentException notAHostName) {
          // no SNI for a name SNI cannot carry; the certificate check still applies
        }
      }
      engine.setSSLParameters(params);
    }
    return engine;
  }

  static SSLEngine serverEngine(SSLContext ssl) {
    Objects.requireNonNull(ssl, "ssl must not be null");
    SSLEngine engine = newEngine(ssl, null, -1);
    engine.setUseClientMode(false);
    return engine;
  }

  private static SSLEngine newEngine(SSLContext ssl, String host, int port) {
    try {
      return host == null ? ssl.createSSLEngine() : ssl.createSSLEngine(host, port);
    } catch (IllegalStateException notInitialized) {
      throw new IllegalArgumentException(
          "ssl must be an initialized SSLContext: " + notInitialized.getMessage(), notInitialized);
    }
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
  }
}
