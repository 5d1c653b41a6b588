package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static dev.eventual.loop.StreamReaderTest.bytes;
import static dev.eventual.loop.StreamReaderTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix domain sockets ({@link EventLoop#createUnixConnection}, {@link EventLoop#createUnixServer},
 * {@link Asyncio#openUnixConnection}, {@link Asyncio#startUnixServer}), with the socket files in a
 * temporary directory JUnit deletes: the cases of CPython's {@code test_unix_events.py}, {@code
 * test_server.py} ({@code UnixServerCleanupTests}) and {@code test_streams.py}.
 */
@Timeout(20)
class UnixConnectionsTest extends LoopTaskFixture {
  @TempDir Path dir;

  // test_unix_events.py: test_create_unix_connection / test_create_unix_server (an echo with a
  // half-close through the protocol layer)
  @Test
  void aProtocolClientAndServerEchoOverAUnixSocket() throws Exception {
    Path path = dir.resolve("echo.sock");
    Server server =
        loop.runUntilComplete(
            loop.createUnixServer(() -> new SocketTransportTest.Echo(loop), path));
    assertThat(Files.exists(path)).isTrue();
    SocketTransportTest.Recorder client =
        run(
            () -> {
              Connection<SocketTransportTest.Recorder> c =
                  await(
                      loop.createUnixConnection(
                          () -> new SocketTransportTest.Recorder(loop), path));
              c.transport().write(bytes("hello unix"));
              c.transport().writeEof();
              await(c.protocol().closed);
              return c.protocol();
            });
    assertThat(client.text()).isEqualTo("hello unixbye");
    assertThat(client.calls).containsExactly("made", "data", "eof", "lost");
    server.close();
  }

  // test_streams.py: test_open_unix_connection, test_start_unix_server
  @Test
  void streamsOverAUnixSocketExchangeALine() {
    Path path = dir.resolve("streams.sock");
    List<Object> got =
        run(
            () -> {
              Server server = Asyncio.startUnixServer(StreamsTest::echoLine, path);
              StreamPair s = Asyncio.openUnixConnection(path);
              s.writer().write(bytes("over unix\n"));
              s.writer().drain();
              String line = text(s.reader().readline());
              Object peer = s.writer().getExtraInfo("peername");
              Object sock = s.writer().getExtraInfo("sockname");
              s.writer().close();
              s.writer().waitClosed();
              server.close();
              await(server.waitClosed());
              return List.of(line, peer, sock);
            });
    assertThat(got.get(0)).isEqualTo("over unix\n");
    assertThat(got.get(1)).isEqualTo(UnixDomainSocketAddress.of(path));
    assertThat(((UnixDomainSocketAddress) got.get(2)).getPath().toString()).isEmpty();
  }

  // test_streams.py: test_open_unix_connection_error (no server at the path)
  @Test
  void openUnixConnectionWithoutAServerFails() {
    Path path = dir.resolve("nobody.sock");
    Throwable thrown =
        run(
            () -> {
              try {
                Asyncio.openUnixConnection(path);
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    assertThat(thrown).isInstanceOf(IOException.class);
  }

  // test_unix_events.py: test_create_unix_server_existing_path_sock (a stale socket is removed)
  @Test
  void aStaleSocketFileIsReplaced() throws Exception {
    Path path = dir.resolve("stale.sock");
    try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      old.bind(UnixDomainSocketAddress.of(path));
    }
    assertThat(Files.exists(path)).isTrue(); // closing a Unix server socket leaves its file
    Server server = loop.runUntilComplete(loop.createUnixServer(() -> new Protocol() {}, path));
    assertThat(server.isServing()).isTrue();
    server.close();
  }

  // test_unix_events.py: test_create_unix_server_existing_path_nonsock (any other file stays)
  @Test
  void aRegularFileInTheWayIsKeptAndTheBindFails() throws Exception {
    Path path = dir.resolve("file.sock");
    Files.writeString(path, "not a socket");
    LoopFuture<Server> f = loop.createUnixServer(() -> new Protocol() {}, path);
    assertThatThrownBy(() -> loop.runUntilComplete(f))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(BindException.class)
        .hasMessageContaining("is already in use");
    assertThat(Files.readString(path)).isEqualTo("not a socket");
  }

  // test_server.py: UnixServerCleanupTests.test_unix_server_addr_cleanup (3.13: close removes it)
  @Test
  void closingTheServerRemovesItsSocketFile() throws Exception {
    Path path = dir.resolve("cleanup.sock");
    Server server = loop.runUntilComplete(loop.createUnixServer(() -> new Protocol() {}, path));
    assertThat(Files.exists(path)).isTrue();
    server.close();
    assertThat(Files.exists(path)).isFalse();
  }

  // test_server.py: UnixServerCleanupTests.test_unix_server_cleanup_replaced (another file took
  // its place: it stays)
  @Test
  void closingTheServerKeepsAFileThatReplacedItsSocket() throws Exception {
    Path path = dir.resolve("replaced.sock");
    Server server = loop.runUntilComplete(loop.createUnixServer(() -> new Protocol() {}, path));
    Files.delete(path);
    Files.writeString(path, "someone else's");
    server.close();
    assertThat(Files.readString(path)).isEqualTo("someone else's");
  }

  // test_server.py: UnixServerCleanupTests.test_unix_server_cleanup_gone (already removed: fine)
  @Test
  void closingTheServerAfterItsFileWasRemovedIsFine() throws Exception {
    Path path = dir.resolve("gone.sock");
    Server server = loop.runUntilComplete(loop.createUnixServer(() -> new Protocol() {}, path));
    Files.delete(path);
    server.close();
    assertThat(Files.exists(path)).isFalse();
    assertThat(server.sockets()).isEmpty();
  }

  // bad input: the parameter is named and nothing is left open
  @Test
  void badArgumentsAreRefusedByName() {
    assertThatThrownBy(() -> loop.createUnixServer(() -> new Protocol() {}, dir.resolve("x"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backlog");
    assertThatThrownBy(() -> loop.createUnixConnection(() -> new Protocol() {}, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("path must not be null");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  // a BufferedProtocol works over a Unix socket too (the transport takes any SocketChannel)
  @Test
  void aBufferedProtocolReadsOverAUnixSocket() throws Exception {
    Path path = dir.resolve("buffered.sock");
    Server server =
        loop.runUntilComplete(
            loop.createUnixServer(() -> new SocketTransportTest.Echo(loop), path));
    ByteBuffer into = ByteBuffer.allocate(100_000 + 3);
    LoopFuture<Void> lost = loop.createFuture();
    run(
        () -> {
          Connection<BufferedProtocol> c =
              await(
                  loop.createUnixConnection(
                      () ->
                          new BufferedProtocol() {
                            @Override
                            public ByteBuffer getBuffer(int sizeHint) {
                              return into.slice(into.position(), into.remaining());
                            }

                            @Override
                            public void bufferUpdated(int nbytes) {
                              into.position(into.position() + nbytes);
                            }

                            @Override
                            public void connectionLost(Throwable e) {
                              lost.setResult(null);
                            }
                          },
                      path));
          c.transport().write(new byte[100_000]);
          c.transport().writeEof();
          await(lost);
          return null;
        });
    assertThat(into.position()).isEqualTo(100_003);
    server.close();
  }
}
