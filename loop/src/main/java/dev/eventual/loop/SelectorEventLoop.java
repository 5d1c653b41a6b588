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

/**
 * The part of {@link EventLoop} that waits for I/O, as CPython's {@code
 * selector_events.BaseSelectorEventLoop}: readers and writers on a {@link
 * java.nio.channels.Selector}, the low-level socket calls ({@code sock_recv}, {@code sock_sendall},
 * ...) and {@code getaddrinfo}. Transports and servers built on them ({@code create_connection},
 * {@code create_server}, TLS, datagrams, Unix sockets) are {@link TransportEventLoop}'s. The
 * selector opens with the first reader or writer; a loop that never does I/O holds no descriptor.
 * It is a class of its own only to keep each file readable; {@link EventLoop} is the class to use.
 */
public abstract sealed class SelectorEventLoop extends BaseEventLoop permits TransportEventLoop {
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
}
