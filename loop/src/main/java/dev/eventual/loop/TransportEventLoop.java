package dev.eventual.loop;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The part of {@link EventLoop} that makes transports and servers on the selector of {@link
 * SelectorEventLoop}: CPython's {@code create_connection}, {@code create_server}, {@code start_tls}
 * and {@code create_datagram_endpoint} ({@code base_events.BaseEventLoop}, over the {@code
 * _make_*_transport} calls of {@code selector_events}), and {@code create_unix_connection} and
 * {@code create_unix_server} ({@code unix_events}). Each public method checks its arguments and
 * hands the work to a package-private class ({@link Connections}, {@link SslConnections}, {@link
 * DatagramEndpoints}, {@link UnixConnections}). It is a class of its own only to keep each file
 * readable; its only subclass is {@link EventLoop}, the class to use.
 */
public abstract sealed class TransportEventLoop extends SelectorEventLoop permits EventLoop {
  TransportEventLoop(LongSupplier nanoClock) {
    super(nanoClock);
  }

  /**
   * Opens a TCP connection to {@code host}:{@code port} and wires a new protocol to it: asyncio's
   * {@code create_connection(protocol_factory, host, port)}. The addresses {@link #getaddrinfo}
   * gives are tried in order; the future is done once the protocol's {@code connectionMade} ran.
   *
   * @param protocolFactory makes the protocol (a {@link Protocol} or {@link BufferedProtocol})
   * @param host the host name or address
   * @param port the port, 0..65535
   * @param <P> the protocol's type
   * @return a future of the transport and protocol; it fails with the first connect error (the
   *     others suppressed), or the factory's
   * @throws NullPointerException if {@code protocolFactory} or {@code host} is null
   * @throws IllegalArgumentException if {@code port} is out of range
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends BaseProtocol> LoopFuture<Connection<P>> createConnection(
      Supplier<P> protocolFactory, String host, int port) {
    return Connections.connect(self(), protocolFactory, host, port);
  }

  /**
   * {@link #createServer(Supplier, String, int, int)} with asyncio's default backlog of 100.
   *
   * @param protocolFactory makes a protocol per accepted connection
   * @param host the host to bind; null for every interface
   * @param port the port, 0..65535; 0 picks a free one per address
   * @return a future of the serving server
   * @throws NullPointerException if {@code protocolFactory} is null
   * @throws IllegalArgumentException if {@code port} is out of range
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<Server> createServer(
      Supplier<? extends BaseProtocol> protocolFactory, String host, int port) {
    return createServer(protocolFactory, host, port, 100);
  }

  /**
   * Listens on every address of {@code host} and serves each accepted connection with a new
   * protocol: asyncio's {@code create_server(protocol_factory, host, port, backlog=backlog)}. The
   * server already serves when the future is done.
   *
   * @param protocolFactory makes a protocol per accepted connection
   * @param host the host to bind; null for every interface
   * @param port the port, 0..65535; 0 picks a free one per address
   * @param backlog the listen backlog, also how many connections one turn accepts at most
   * @return a future of the serving server; it fails with the bind's error (for example an address
   *     in use)
   * @throws NullPointerException if {@code protocolFactory} is null
   * @throws IllegalArgumentException if {@code port} is out of range or {@code backlog} is not
   *     positive
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<Server> createServer(
      Supplier<? extends BaseProtocol> protocolFactory, String host, int port, int backlog) {
    return Connections.serve(self(), protocolFactory, host, port, backlog);
  }

  // ---------------------------------------------------------------- TLS (asyncio's sslproto)

  /**
   * Opens a TLS connection to {@code host}:{@code port}: asyncio's {@code
   * create_connection(protocol_factory, host, port, ssl=ssl, server_hostname=server_hostname)},
   * with the default timeouts (a 60 s handshake, a 30 s shutdown). See {@link
   * #createConnection(Supplier, String, int, SSLContext, String, Duration, Duration)}.
   *
   * @param protocolFactory makes the protocol (a {@link Protocol} or {@link BufferedProtocol})
   * @param host the host name or address
   * @param port the port, 0..65535
   * @param ssl the context the connection's {@link javax.net.ssl.SSLEngine} comes from; null for
   *     plain TCP
   * @param serverHostname the name the server's certificate must match and SNI sends; null for
   *     {@code host}; "" checks no name
   * @param <P> the protocol's type
   * @return a future of the TLS transport and the protocol, done after the handshake
   * @throws NullPointerException if {@code protocolFactory} or {@code host} is null
   * @throws IllegalArgumentException if {@code port} is out of range, {@code ssl} is not
   *     initialized, or {@code serverHostname} is given without {@code ssl}
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends BaseProtocol> LoopFuture<Connection<P>> createConnection(
      Supplier<P> protocolFactory, String host, int port, SSLContext ssl, String serverHostname) {
    return createConnection(protocolFactory, host, port, ssl, serverHostname, null, null);
  }

  /**
   * Opens a TCP connection to {@code host}:{@code port} and runs a TLS client handshake on it
   * before the protocol hears of it: asyncio's {@code create_connection(..., ssl=ssl,
   * server_hostname=..., ssl_handshake_timeout=..., ssl_shutdown_timeout=...)}. The server's
   * certificate must match {@code serverHostname} (HTTPS endpoint identification: DNS names, or IP
   * addresses for an address literal), which is also sent as SNI. The protocol's {@code
   * connectionMade} gets the TLS transport once the handshake is done; writes are encrypted, reads
   * decrypted, and {@code close()} sends close_notify.
   *
   * <p>Differences from Python: {@code ssl=True} (a default context) is {@link
   * SSLContext#getDefault()}; {@code server_hostname=''} with Python's {@code check_hostname} off
   * is "" here. A handshake that times out fails with {@link java.net.SocketTimeoutException}.
   *
   * @param protocolFactory makes the protocol (a {@link Protocol} or {@link BufferedProtocol})
   * @param host the host name or address
   * @param port the port, 0..65535
   * @param ssl the context; null for plain TCP (then the other TLS arguments must be null)
   * @param serverHostname the name to check and send; null for {@code host}; "" for no check
   * @param sslHandshakeTimeout how long the handshake may take; null for 60 s
   * @param sslShutdownTimeout how long close may wait for the peer's close_notify; null for 30 s
   * @param <P> the protocol's type
   * @return a future of the TLS transport and the protocol; it fails with the connect's error, the
   *     handshake's ({@link javax.net.ssl.SSLHandshakeException} for a certificate that is not
   *     trusted or does not match) or the factory's
   * @throws NullPointerException if {@code protocolFactory} or {@code host} is null
   * @throws IllegalArgumentException if {@code port} is out of range, {@code ssl} is not
   *     initialized, a timeout is not positive, or a TLS argument is given without {@code ssl}
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends BaseProtocol> LoopFuture<Connection<P>> createConnection(
      Supplier<P> protocolFactory,
      String host,
      int port,
      SSLContext ssl,
      String serverHostname,
      Duration sslHandshakeTimeout,
      Duration sslShutdownTimeout) {
    if (ssl == null) {
      noTlsArguments(serverHostname, sslHandshakeTimeout, sslShutdownTimeout);
      return createConnection(protocolFactory, host, port);
    }
    return SslConnections.connect(
        self(),
        protocolFactory,
        host,
        port,
        ssl,
        serverHostname,
        sslHandshakeTimeout,
        sslShutdownTimeout);
  }

  /**
   * A TLS server with asyncio's default backlog (100) and timeouts: see {@link
   * #createServer(Supplier, String, int, int, SSLContext, Duration, Duration)}.
   *
   * @param protocolFactory makes a protocol per accepted connection
   * @param host the host to bind; null for every interface
   * @param port the port, 0..65535; 0 picks a free one per address
   * @param ssl the server's context (its key managers hold the certificate); null for plain TCP
   * @return a future of the serving server
   * @throws NullPointerException if {@code protocolFactory} is null
   * @throws IllegalArgumentException if {@code port} is out of range or {@code ssl} is not
   *     initialized
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<Server> createServer(
      Supplier<? extends BaseProtocol> protocolFactory, String host, int port, SSLContext ssl) {
    return createServer(protocolFactory, host, port, 100, ssl, null, null);
  }

  /**
   * Listens on every address of {@code host} and runs a TLS server handshake on each accepted
   * connection before its protocol hears of it: asyncio's {@code create_server(..., ssl=ssl,
   * ssl_handshake_timeout=..., ssl_shutdown_timeout=...)}. A connection whose handshake fails is
   * closed; its protocol (already made, as in CPython) never gets {@code connectionMade}, and the
   * error is reported to the exception handler in debug mode only.
   *
   * @param protocolFactory makes a protocol per accepted connection
   * @param host the host to bind; null for every interface
   * @param port the port, 0..65535; 0 picks a free one per address
   * @param backlog the listen backlog, positive
   * @param ssl the server's context; null for plain TCP (then the timeouts must be null)
   * @param sslHandshakeTimeout how long a handshake may take; null for 60 s
   * @param sslShutdownTimeout how long a close may wait for the peer's close_notify; null for 30 s
   * @return a future of the serving server; it fails with the bind's error
   * @throws NullPointerException if {@code protocolFactory} is null
   * @throws IllegalArgumentException if {@code port} is out of range, {@code backlog} is not
   *     positive, {@code ssl} is not initialized, or a timeout is not positive or given without
   *     {@code ssl}
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<Server> createServer(
      Supplier<? extends BaseProtocol> protocolFactory,
      String host,
      int port,
      int backlog,
      SSLContext ssl,
      Duration sslHandshakeTimeout,
      Duration sslShutdownTimeout) {
    if (ssl == null) {
      noTlsArguments(null, sslHandshakeTimeout, sslShutdownTimeout);
      return createServer(protocolFactory, host, port, backlog);
    }
    return SslConnections.serve(
        self(), protocolFactory, host, port, backlog, ssl, sslHandshakeTimeout, sslShutdownTimeout);
  }

  /**
   * {@link #startTls(Transport, BaseProtocol, SSLContext, boolean, String, Duration, Duration)}
   * with the default timeouts (60 s, 30 s).
   *
   * @param transport a TCP transport of this loop
   * @param protocol the protocol that will talk to the TLS transport
   * @param sslContext the context
   * @param serverSide whether this end is the TLS server
   * @param serverHostname for a client, the name to check and send ("" for no check); null for a
   *     server
   * @return a future of the TLS transport
   * @throws NullPointerException if {@code transport}, {@code protocol} or {@code sslContext} is
   *     null
   * @throws IllegalArgumentException if {@code transport} is not a TCP transport or is closing,
   *     {@code protocol} is neither kind, {@code sslContext} is not initialized, or {@code
   *     serverHostname} is null for a client or given for a server
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<Transport> startTls(
      Transport transport,
      BaseProtocol protocol,
      SSLContext sslContext,
      boolean serverSide,
      String serverHostname) {
    return startTls(transport, protocol, sslContext, serverSide, serverHostname, null, null);
  }

  /**
   * Upgrades a plain TCP connection to TLS (STARTTLS): asyncio's {@code start_tls(transport,
   * protocol, sslcontext, server_side=..., server_hostname=..., ssl_handshake_timeout=...,
   * ssl_shutdown_timeout=...)}. The transport stops reading, its protocol becomes the TLS layer,
   * and the handshake starts in the next turn. {@code protocol} already had {@code connectionMade}
   * (from the plain transport) and does not get it again; it gets the plain transport's data no
   * more, and {@code connectionLost} once, from the TLS layer. If the handshake fails, the
   * transport is closed.
   *
   * <p>Differences from Python: a client needs {@code serverHostname} ("" to check no name), where
   * Python raises only if the context checks host names.
   *
   * @param transport a TCP transport of this loop (from {@code createConnection} or a server)
   * @param protocol the protocol that will talk to the TLS transport
   * @param sslContext the context
   * @param serverSide whether this end is the TLS server
   * @param serverHostname for a client, the name to check and send ("" for no check); null for a
   *     server
   * @param sslHandshakeTimeout how long the handshake may take; null for 60 s
   * @param sslShutdownTimeout how long close may wait for the peer's close_notify; null for 30 s
   * @return a future of the TLS transport, done after the handshake; it fails with the handshake's
   *     error
   * @throws NullPointerException if {@code transport}, {@code protocol} or {@code sslContext} is
   *     null
   * @throws IllegalArgumentException if {@code transport} is not a TCP transport or is closing,
   *     {@code protocol} is neither kind, {@code sslContext} is not initialized, {@code
   *     serverHostname} is null for a client or given for a server, or a timeout is not positive
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<Transport> startTls(
      Transport transport,
      BaseProtocol protocol,
      SSLContext sslContext,
      boolean serverSide,
      String serverHostname,
      Duration sslHandshakeTimeout,
      Duration sslShutdownTimeout) {
    return SslConnections.startTls(
        self(),
        transport,
        protocol,
        sslContext,
        serverSide,
        serverHostname,
        sslHandshakeTimeout,
        sslShutdownTimeout);
  }

  private static void noTlsArguments(String serverHostname, Duration handshake, Duration shutdown) {
    if (serverHostname != null) {
      throw new IllegalArgumentException("serverHostname is only meaningful with ssl");
    }
    if (handshake != null) {
      throw new IllegalArgumentException("sslHandshakeTimeout is only meaningful with ssl");
    }
    if (shutdown != null) {
      throw new IllegalArgumentException("sslShutdownTimeout is only meaningful with ssl");
    }
  }

  // ---------------------------------------------------------------- datagram endpoints (UDP)

  /**
   * {@link #createDatagramEndpoint(Supplier, InetSocketAddress, InetSocketAddress,
   * java.net.ProtocolFamily, boolean, boolean)} with the family from the addresses, no {@code
   * SO_REUSEPORT} and no broadcast.
   *
   * @param protocolFactory makes the endpoint's protocol
   * @param localAddr the address to bind, or null
   * @param remoteAddr the address to connect to, or null
   * @param <P> the protocol's type
   * @return a future of the transport and protocol
   * @throws NullPointerException if {@code protocolFactory} is null
   * @throws IllegalArgumentException if both addresses are null
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends DatagramProtocol> LoopFuture<DatagramEndpoint<P>> createDatagramEndpoint(
      Supplier<P> protocolFactory, InetSocketAddress localAddr, InetSocketAddress remoteAddr) {
    return createDatagramEndpoint(protocolFactory, localAddr, remoteAddr, null, false, false);
  }

  /**
   * Opens a UDP socket and wires a new protocol to it: asyncio's {@code
   * create_datagram_endpoint(protocol_factory, local_addr, remote_addr, family=, reuse_port=,
   * allow_broadcast=)}. An unresolved address is resolved with {@link #getaddrinfo}; the local and
   * remote addresses are paired by family and the pairs tried in turn. The socket is bound to
   * {@code localAddr} when given, and connected to {@code remoteAddr} when given (unless broadcast
   * is allowed: then {@code remoteAddr} is only the default target, as in CPython). The future is
   * done once the protocol's {@code connectionMade} ran.
   *
   * <p>Differences from Python: there is no {@code sock=} (wrap a channel of your own with its
   * loop's readers), no {@code proto}/{@code flags}, and no Unix datagram sockets. {@code
   * reuse_address} is gone in 3.13 and is not offered.
   *
   * @param protocolFactory makes the endpoint's protocol
   * @param localAddr the address to bind, or null (then the socket binds on its first send)
   * @param remoteAddr the address to connect to, or null
   * @param family {@link java.net.StandardProtocolFamily#INET} or {@code INET6} to keep only
   *     addresses of that family, or null for the addresses' own; needed when both addresses are
   *     null
   * @param reusePort sets {@code SO_REUSEPORT}, so other endpoints may bind the same address
   * @param allowBroadcast sets {@code SO_BROADCAST}, and leaves the socket unconnected
   * @param <P> the protocol's type
   * @return a future of the transport and protocol; it fails with the first socket error (the
   *     others suppressed), the factory's, {@link java.net.UnknownHostException}, or {@link
   *     IllegalArgumentException} when no family has both addresses ("can not get address
   *     information")
   * @throws NullPointerException if {@code protocolFactory} is null
   * @throws IllegalArgumentException if both addresses and {@code family} are null, or {@code
   *     family} is not INET or INET6
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends DatagramProtocol> LoopFuture<DatagramEndpoint<P>> createDatagramEndpoint(
      Supplier<P> protocolFactory,
      InetSocketAddress localAddr,
      InetSocketAddress remoteAddr,
      java.net.ProtocolFamily family,
      boolean reusePort,
      boolean allowBroadcast) {
    return DatagramEndpoints.create(
        self(), protocolFactory, localAddr, remoteAddr, family, reusePort, allowBroadcast);
  }

  // ---------------------------------------------------------------- Unix domain sockets

  /**
   * Connects to the Unix domain socket at {@code path} and wires a new protocol to it: asyncio's
   * {@code create_unix_connection(protocol_factory, path)}. The future is done once the protocol's
   * {@code connectionMade} ran. The transport's {@code "peername"} is the server's {@link
   * java.net.UnixDomainSocketAddress}, its {@code "sockname"} an unnamed one (an empty path).
   *
   * @param protocolFactory makes the protocol (a {@link Protocol} or {@link BufferedProtocol})
   * @param path the socket file
   * @param <P> the protocol's type
   * @return a future of the transport and protocol; it fails with the connect's error (for example
   *     {@link java.net.SocketException} when no server listens there)
   * @throws NullPointerException if {@code protocolFactory} or {@code path} is null
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends BaseProtocol> LoopFuture<Connection<P>> createUnixConnection(
      Supplier<P> protocolFactory, java.nio.file.Path path) {
    return UnixConnections.connect(self(), protocolFactory, path);
  }

  /**
   * {@link #createUnixServer(Supplier, java.nio.file.Path, int)} with asyncio's default backlog of
   * 100.
   *
   * @param protocolFactory makes a protocol per accepted connection
   * @param path the socket file to create
   * @return a future of the serving server
   * @throws NullPointerException if {@code protocolFactory} or {@code path} is null
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<Server> createUnixServer(
      Supplier<? extends BaseProtocol> protocolFactory, java.nio.file.Path path) {
    return createUnixServer(protocolFactory, path, 100);
  }

  /**
   * Listens on a Unix domain socket at {@code path} and serves each accepted connection with a new
   * protocol: asyncio's {@code create_unix_server(protocol_factory, path, backlog=backlog)}. As in
   * CPython, a stale socket file at {@code path} is removed first (any other file is left and the
   * bind fails), and closing the server removes the socket file if it is still the one it made
   * (3.13's {@code cleanup_socket=True}).
   *
   * @param protocolFactory makes a protocol per accepted connection
   * @param path the socket file to create
   * @param backlog the listen backlog, also how many connections one turn accepts at most
   * @return a future of the serving server; it fails with the bind's error ({@link
   *     java.net.BindException} "Address ... is already in use")
   * @throws NullPointerException if {@code protocolFactory} or {@code path} is null
   * @throws IllegalArgumentException if {@code backlog} is not positive
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<Server> createUnixServer(
      Supplier<? extends BaseProtocol> protocolFactory, java.nio.file.Path path, int backlog) {
    return UnixConnections.serve(self(), protocolFactory, path, backlog);
  }
}
