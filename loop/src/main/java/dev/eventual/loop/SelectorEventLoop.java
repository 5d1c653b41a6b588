package dev.eventual.loop;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The part of {@link EventLoop} that waits for I/O, as CPython's {@code
 * selector_events.BaseSelectorEventLoop}: readers and writers on a {@link
 * java.nio.channels.Selector}, the low-level socket calls ({@code sock_recv}, {@code sock_sendall},
 * ...), and transports and servers ({@code create_connection}, {@code create_server}). The selector
 * opens with the first reader or writer; a loop that never does I/O holds no descriptor. It is a
 * class of its own only to keep each file readable; its only subclass is {@link EventLoop}, the
 * class to use.
 */
public abstract sealed class SelectorEventLoop extends BaseEventLoop permits EventLoop {
  SelectorEventLoop(LongSupplier nanoClock) {
    super(nanoClock);
  }

  // ---------------------------------------------------------------- I/O (asyncio's selector loop)

  final IoSelector io() {
    return scheduler.io;
  }

  /**
   * Calls {@code callback} each time {@code channel} is readable (or, for a server socket, has a
   * connection to accept), until {@link #removeReader}: asyncio's {@code add_reader(fd, callback)}.
   * A reader already registered for the channel is replaced (its handle cancelled). The first
   * reader or writer of a loop opens its {@link java.nio.channels.Selector}; from then on the loop
   * waits in it.
   *
   * @param channel a non-blocking channel
   * @param callback what to call; it runs in the context current now
   * @throws NullPointerException if {@code channel} or {@code callback} is null
   * @throws IllegalArgumentException if {@code channel} is blocking or closed
   * @throws IllegalStateException if the loop is closed, or it runs in another thread than the
   *     caller's
   * @throws java.io.UncheckedIOException if the selector cannot be opened
   */
  public void addReader(SelectableChannel channel, Runnable callback) {
    addIo(channel, callback, true, "addReader");
  }

  /**
   * Stops calling the reader of {@code channel}: asyncio's {@code remove_reader(fd)}.
   *
   * @param channel the channel
   * @return whether it had a reader
   * @throws NullPointerException if {@code channel} is null
   * @throws IllegalStateException if the loop is closed, or it runs in another thread than the
   *     caller's
   */
  public boolean removeReader(SelectableChannel channel) {
    checkClosed();
    checkThread("removeReader");
    return scheduler.io.remove(channel, true);
  }

  /**
   * Calls {@code callback} each time {@code channel} is writable (or, for a socket whose connection
   * is pending, when the connection is made or fails), until {@link #removeWriter}: asyncio's
   * {@code add_writer(fd, callback)}. A writer already registered is replaced.
   *
   * @param channel a non-blocking channel
   * @param callback what to call; it runs in the context current now
   * @throws NullPointerException if {@code channel} or {@code callback} is null
   * @throws IllegalArgumentException if {@code channel} is blocking or closed
   * @throws IllegalStateException if the loop is closed, or it runs in another thread than the
   *     caller's
   * @throws java.io.UncheckedIOException if the selector cannot be opened
   */
  public void addWriter(SelectableChannel channel, Runnable callback) {
    addIo(channel, callback, false, "addWriter");
  }

  /**
   * Stops calling the writer of {@code channel}: asyncio's {@code remove_writer(fd)}.
   *
   * @param channel the channel
   * @return whether it had a writer
   * @throws NullPointerException if {@code channel} is null
   * @throws IllegalStateException if the loop is closed, or it runs in another thread than the
   *     caller's
   */
  public boolean removeWriter(SelectableChannel channel) {
    checkClosed();
    checkThread("removeWriter");
    return scheduler.io.remove(channel, false);
  }

  private void addIo(SelectableChannel channel, Runnable callback, boolean reader, String method) {
    Objects.requireNonNull(channel, "channel must not be null");
    Objects.requireNonNull(callback, "callback must not be null");
    checkClosed();
    checkThread(method);
    scheduler.io.add(
        channel, new Handle(self(), callback, scheduler.copyCurrentContext()), reader, null);
  }

  /**
   * Receives up to {@code n} bytes from {@code channel}: asyncio's {@code sock_recv(sock, n)}. The
   * future holds what one read returned, an empty array at end of stream; cancelling it stops
   * waiting.
   *
   * @param channel a connected non-blocking socket channel
   * @param n the most bytes to receive, zero or more
   * @return a future of the bytes received
   * @throws NullPointerException if {@code channel} is null
   * @throws IllegalArgumentException if {@code channel} is blocking or {@code n} is negative
   * @throws IllegalStateException if the loop is closed, runs in another thread than the caller's,
   *     or another socket operation already waits to read {@code channel} (CPython would leave that
   *     one pending for ever)
   */
  public LoopFuture<byte[]> sockRecv(SocketChannel channel, int n) {
    return SocketOps.recv(self(), channel, n);
  }

  /**
   * Receives into {@code buffer} (from its position up to its limit): asyncio's {@code
   * sock_recv_into(sock, buf)}.
   *
   * @param channel a connected non-blocking socket channel
   * @param buffer where the bytes go
   * @return a future of how many bytes were received: 0 at end of stream (as in Python, not -1)
   * @throws NullPointerException if {@code channel} or {@code buffer} is null
   * @throws IllegalArgumentException if {@code channel} is blocking or {@code buffer} read-only
   * @throws IllegalStateException if the loop is closed, runs in another thread than the caller's,
   *     or another operation already waits to read {@code channel}
   */
  public LoopFuture<Integer> sockRecvInto(SocketChannel channel, ByteBuffer buffer) {
    return SocketOps.recvInto(self(), channel, buffer);
  }

  /**
   * Sends every remaining byte of {@code data}, waiting while the socket's send buffer is full:
   * asyncio's {@code sock_sendall(sock, data)}. The buffer's position advances as bytes go; after a
   * cancel or an error it tells how far the send got.
   *
   * @param channel a connected non-blocking socket channel
   * @param data the bytes to send
   * @return a future that is done once every byte was handed to the socket
   * @throws NullPointerException if {@code channel} or {@code data} is null
   * @throws IllegalArgumentException if {@code channel} is blocking
   * @throws IllegalStateException if the loop is closed, runs in another thread than the caller's,
   *     or another operation already waits to write {@code channel}
   */
  public LoopFuture<Void> sockSendall(SocketChannel channel, ByteBuffer data) {
    return SocketOps.sendall(self(), channel, data);
  }

  /**
   * Connects {@code channel} to {@code address}: asyncio's {@code sock_connect(sock, address)}. An
   * unresolved address is resolved first with {@link #getaddrinfo}, as CPython does.
   *
   * @param channel an unconnected non-blocking socket channel
   * @param address where to connect
   * @return a future that is done once connected, or fails with the connect's error (for example
   *     {@link java.net.ConnectException} when nothing listens there)
   * @throws NullPointerException if {@code channel} or {@code address} is null
   * @throws IllegalArgumentException if {@code channel} is blocking
   * @throws IllegalStateException if the loop is closed, runs in another thread than the caller's,
   *     or another operation already waits to write {@code channel}
   */
  public LoopFuture<Void> sockConnect(SocketChannel channel, SocketAddress address) {
    return SocketOps.connect(self(), channel, address);
  }

  /**
   * Accepts a connection on {@code channel}: asyncio's {@code sock_accept(sock)}. The accepted
   * channel is non-blocking; its peer is {@link SocketChannel#getRemoteAddress()} (Python returns
   * the pair).
   *
   * @param channel a bound non-blocking server socket channel
   * @return a future of the accepted channel
   * @throws NullPointerException if {@code channel} is null
   * @throws IllegalArgumentException if {@code channel} is blocking
   * @throws IllegalStateException if the loop is closed, runs in another thread than the caller's,
   *     or another operation already waits to accept on {@code channel}
   */
  public LoopFuture<SocketChannel> sockAccept(ServerSocketChannel channel) {
    return SocketOps.accept(self(), channel);
  }

  /**
   * Resolves {@code host} in the default executor: asyncio's {@code getaddrinfo(host, port)}, which
   * also runs the blocking lookup in a thread. Python returns 5-tuples; this returns the socket
   * addresses, in the resolver's order.
   *
   * @param host a host name or address literal; null for the loopback address
   * @param port the port of every address, 0..65535
   * @return a future of the addresses, failing with {@link java.net.UnknownHostException}
   * @throws IllegalArgumentException if {@code port} is out of range
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<List<InetSocketAddress>> getaddrinfo(String host, int port) {
    return SocketOps.getaddrinfo(self(), host, port);
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
