package dev.eventual.loop;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The module functions of asyncio's {@code streams.py} ({@code open_connection}, {@code
 * start_server} and their Unix variants), behind {@link Asyncio}'s. Each makes a {@link
 * StreamReader} and a {@link StreamReaderProtocol} per connection over the loop's transports.
 */
final class Streams {
  private Streams() {}

  static void checkLimit(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive (Limit cannot be <= 0): " + limit);
    }
  }

  /** The running loop of the calling task. */
  static EventLoop taskLoop(String what) {
    return Task.require(what).getLoop();
  }

  static StreamPair openConnection(String host, int port, int limit) throws IOException {
    Objects.requireNonNull(host, "host must not be null");
    checkLimit(limit);
    EventLoop loop = taskLoop("Asyncio.openConnection()");
    StreamReader reader = new StreamReader(limit);
    StreamReaderProtocol protocol = new StreamReaderProtocol(reader);
    Connection<StreamReaderProtocol> c =
        FlowControlProtocol.awaitIo(loop.createConnection(() -> protocol, host, port));
    return new StreamPair(reader, new StreamWriter(c.transport(), protocol, reader));
  }

  static Server startServer(ClientConnected clientConnected, String host, int port, int limit)
      throws IOException {
    Objects.requireNonNull(clientConnected, "clientConnected must not be null");
    checkLimit(limit);
    EventLoop loop = taskLoop("Asyncio.startServer()");
    return FlowControlProtocol.awaitIo(
        loop.createServer(serverProtocols(clientConnected, limit), host, port));
  }

  static StreamPair openUnixConnection(java.nio.file.Path path, int limit) throws IOException {
    Objects.requireNonNull(path, "path must not be null");
    checkLimit(limit);
    EventLoop loop = taskLoop("Asyncio.openUnixConnection()");
    StreamReader reader = new StreamReader(limit);
    StreamReaderProtocol protocol = new StreamReaderProtocol(reader);
    Connection<StreamReaderProtocol> c =
        FlowControlProtocol.awaitIo(loop.createUnixConnection(() -> protocol, path));
    return new StreamPair(reader, new StreamWriter(c.transport(), protocol, reader));
  }

  static Server startUnixServer(ClientConnected clientConnected, java.nio.file.Path path, int limit)
      throws IOException {
    Objects.requireNonNull(clientConnected, "clientConnected must not be null");
    Objects.requireNonNull(path, "path must not be null");
    checkLimit(limit);
    EventLoop loop = taskLoop("Asyncio.startUnixServer()");
    return FlowControlProtocol.awaitIo(
        loop.createUnixServer(serverProtocols(clientConnected, limit), path));
  }

  static Supplier<StreamReaderProtocol> serverProtocols(ClientConnected cb, int limit) {
    return () -> new StreamReaderProtocol(new StreamReader(limit), cb);
  }
}
