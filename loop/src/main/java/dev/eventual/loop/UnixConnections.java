package dev.eventual.loop;

import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@link EventLoop#createUnixConnection} and {@link EventLoop#createUnixServer}: asyncio's {@code
 * create_unix_connection} and {@code create_unix_server} of {@code _UnixSelectorEventLoop}, on JDK
 * 16+'s Unix domain socket channels and the same {@link SocketTransport} and {@link Server} as TCP.
 */
final class UnixConnections {
  /** {@code S_IFMT} and {@code S_IFSOCK} of {@code stat(2)}'s mode. */
  private static final int S_IFMT = 0170000;

  private static final int S_IFSOCK = 0140000;

  private UnixConnections() {}

  static <P extends BaseProtocol> LoopFuture<Connection<P>> connect(
      EventLoop loop, Supplier<P> protocolFactory, Path path) {
    Objects.requireNonNull(protocolFactory, "protocolFactory must not be null");
    Objects.requireNonNull(path, "path must not be null");
    loop.checkClosed();
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
    LoopFuture<Connection<P>> result = loop.createFuture();
    SocketChannel channel;
    LoopFuture<Void> connecting;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException e) {
      result.setException(e);
      return result;
    }
    try {
      channel.configureBlocking(false);
      connecting = loop.sockConnect(channel, address);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      result.setException(e);
      return result;
    }
    result.addDoneCallback(
        f -> {
          if (f.isCancelled()) {
            connecting.cancel();
          }
        });
    connecting.addDoneCallback(
        c -> {
          if (c.isCancelled() || c.exception() != null || result.isDone()) {
            closeQuietly(channel);
            if (!c.isCancelled() && c.exception() != null && !result.isDone()) {
              result.setException(c.exception());
            }
            return;
          }
          wire(loop, channel, protocolFactory, result);
        });
    return result;
  }

  /** Makes the protocol and its transport over a connected channel; done after connectionMade. */
  private static <P extends BaseProtocol> void wire(
      EventLoop loop,
      SocketChannel channel,
      Supplier<P> protocolFactory,
      LoopFuture<Connection<P>> result) {
    P protocol;
    Transport transport;
    LoopFuture<Void> waiter = loop.createFuture();
    try {
      protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
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
  }

  static LoopFuture<Server> serve(
      EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory, Path path, int backlog) {
    Objects.requireNonNull(protocolFactory, "protocolFactory must not be null");
    Objects.requireNonNull(path, "path must not be null");
    if (backlog <= 0) {
      throw new IllegalArgumentException("backlog must be positive: " + backlog);
    }
    loop.checkClosed();
    LoopFuture<Server> result = loop.createFuture();
    ServerSocketChannel listener = null;
    Object fileKey;
    try {
      removeStaleSocket(path);
      listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      listener.configureBlocking(false);
      try {
        listener.bind(UnixDomainSocketAddress.of(path), backlog);
      } catch (BindException e) {
        throw new BindException("Address " + path + " is already in use: " + e.getMessage());
      }
      fileKey = fileKey(path);
    } catch (IOException | RuntimeException e) {
      if (listener != null) {
        closeQuietly(listener);
      }
      result.setException(e);
      return result;
    }
    List<ServerSocketChannel> sockets = new ArrayList<>(List.of(listener));
    Server server = new Server(loop, sockets, protocolFactory, backlog);
    server.afterClose(() -> removeIfSame(path, fileKey));
    server.startServing();
    result.setResult(server);
    return result;
  }

  /** CPython removes a stale socket file (not any other kind of file) before binding. */
  private static void removeStaleSocket(Path path) throws IOException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return; // no unix view: let bind report the file in the way
    }
    if ((mode & S_IFMT) == S_IFSOCK) {
      Files.deleteIfExists(path);
    }
  }

  private static Object fileKey(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /** 3.13's cleanup_socket: removes the file on close unless another socket took its place. */
  private static void removeIfSame(Path path, Object fileKey) {
    Object now = fileKey(path);
    if (now != null && Objects.equals(now, fileKey)) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // the file stays; as CPython, closing the server does not fail for it
      }
    }
  }

  private static void closeQuietly(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // the error being reported matters more
    }
  }
}
