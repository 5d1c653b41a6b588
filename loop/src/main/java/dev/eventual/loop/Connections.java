package dev.eventual.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@link EventLoop#createConnection} and {@link EventLoop#createServer}: asyncio's {@code
 * create_connection} and {@code create_server} of {@code BaseEventLoop}, on {@link SocketOps} and
 * {@link SocketTransport}. Both resolve the host first through {@link EventLoop#getaddrinfo}.
 */
final class Connections {
  private Connections() {}

  static <P extends BaseProtocol> LoopFuture<Connection<P>> connect(
      EventLoop loop, Supplier<P> protocolFactory, String host, int port) {
    Objects.requireNonNull(protocolFactory, "protocolFactory must not be null");
    Objects.requireNonNull(host, "host must not be null");
    loop.checkClosed();
    LoopFuture<Connection<P>> result = loop.createFuture();
    SocketOps.then(
        loop.getaddrinfo(host, port),
        result,
        all -> tryNext(loop, protocolFactory, all, 0, new ArrayList<>(), result));
    return result;
  }

  /** Tries the addresses in order, as CPython does without happy eyeballs; keeps every error. */
  private static <P extends BaseProtocol> void tryNext(
      EventLoop loop,
      Supplier<P> protocolFactory,
      List<InetSocketAddress> addresses,
      int i,
      List<Throwable> errors,
      LoopFuture<Connection<P>> result) {
    if (result.isDone()) {
      return;
    }
    if (i == addresses.size()) {
      Throwable first = errors.get(0);
      for (Throwable e : errors.subList(1, errors.size())) {
        first.addSuppressed(e);
      }
      result.setException(first);
      return;
    }
    SocketChannel channel;
    LoopFuture<Void> connecting;
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      connecting = loop.sockConnect(channel, addresses.get(i));
    } catch (IOException | RuntimeException e) {
      errors.add(e);
      tryNext(loop, protocolFactory, addresses, i + 1, errors, result);
      return;
    }
    result.addDoneCallback(
        f -> {
          if (f.isCancelled()) {
            connecting.cancel();
          }
        });
    connecting.addDoneCallback(
        c -> {
          if (c.isCancelled() || c.exception() != null) {
            closeQuietly(channel);
            if (!c.isCancelled()) {
              errors.add(c.exception());
              tryNext(loop, protocolFactory, addresses, i + 1, errors, result);
            }
            return;
          }
          if (result.isDone()) {
            closeQuietly(channel);
            return;
          }
          P protocol;
          try {
            protocol =
                Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
          } catch (RuntimeException e) {
            closeQuietly(channel);
            result.setException(e);
            return;
          }
          LoopFuture<Void> waiter = loop.createFuture();
          Transport transport;
          try {
            transport = new SocketTransport(loop, channel, protocol, waiter, null);
          } catch (RuntimeException e) {
            closeQuietly(channel);
            result.setException(e);
            return;
          }
          waiter.addDoneCallback(
              w -> {
                if (!result.isDone()) {
                  result.setResult(new Connection<>(transport, protocol));
                } else {
                  transport.abort();
                }
              });
        });
  }

  static LoopFuture<Server> serve(
      EventLoop loop,
      Supplier<? extends BaseProtocol> protocolFactory,
      String host,
      int port,
      int backlog) {
    Objects.requireNonNull(protocolFactory, "protocolFactory must not be null");
    if (backlog <= 0) {
      throw new IllegalArgumentException("backlog must be positive: " + backlog);
    }
    loop.checkClosed();
    LoopFuture<Server> result = loop.createFuture();
    LoopFuture<List<InetSocketAddress>> resolved =
        host == null ? bindAll(loop, port) : loop.getaddrinfo(host, port);
    SocketOps.then(
        resolved,
        result,
        all -> {
          List<ServerSocketChannel> sockets = new ArrayList<>();
          try {
            for (InetSocketAddress address : all) {
              ServerSocketChannel s = ServerSocketChannel.open();
              sockets.add(s);
              s.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as asyncio on POSIX
              s.configureBlocking(false);
              try {
                s.bind(address, backlog);
              } catch (IOException e) {
                throw new IOException(
                    "error while attempting to bind on address " + address + ": " + e.getMessage(),
                    e);
              }
            }
          } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel s : sockets) {
              closeQuietly(s);
            }
            result.setException(e);
            return;
          }
          Server server = new Server(loop, sockets, protocolFactory, backlog);
          server.startServing();
          result.setResult(server);
        });
    return result;
  }

  /** Python's host None: every interface (the wildcard address). */
  private static LoopFuture<List<InetSocketAddress>> bindAll(EventLoop loop, int port) {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port must be in 0..65535: " + port);
    }
    LoopFuture<List<InetSocketAddress>> f = loop.createFuture();
    f.setResult(List.of(new InetSocketAddress(port)));
    return f;
  }

  private static void closeQuietly(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // the error being reported matters more
    }
  }
}
