package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eventual.loop.SocketTransportTest.Recorder;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults on the loop's sockets (issue #18, item 5), each followed by a count of the process's open
 * socket descriptors ({@code /proc/self/fd}, so Linux only): a peer that resets the connection, a
 * connect to a closed port, a server address in use, and many connections opened and closed. Each
 * gives asyncio's error or callback, the loop keeps running, and no descriptor is left open.
 */
@Timeout(30)
class IoFaultsTest extends LoopTaskFixture {
  private static final String HOST = SocketTransportTest.HOST;
  private final List<Recorder> served = new ArrayList<>();
  private Server server;
  private int port;

  /**
   * The process's open sockets, once the loop has run a few turns: a channel closed while it is
   * registered with a selector keeps its descriptor until the selector's next select.
   */
  private int openDescriptors() {
    run(
        () -> {
          for (int i = 0; i < 3; i++) {
            yieldOnce();
          }
          return null;
        });
    return OpenDescriptors.count("socket:");
  }

  /** A server, its selector and the default executor (for getaddrinfo) made before any count. */
  @BeforeEach
  void startServer() throws Exception {
    assumeTrue(new File("/proc/self/fd").isDirectory(), "counts descriptors in /proc/self/fd");
    server =
        loop.runUntilComplete(
            loop.createServer(
                () -> {
                  Recorder r = new Recorder(loop);
                  served.add(r);
                  return r;
                },
                HOST,
                0));
    port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
    cycle(1);
  }

  /**
   * Opens {@code n} connections, writes through each, closes it, waits until both ends are lost.
   */
  private void cycle(int n) {
    run(
        () -> {
          for (int i = 0; i < n; i++) {
            int before = served.size();
            Connection<Recorder> c =
                await(loop.createConnection(() -> new Recorder(loop), HOST, port));
            c.transport().write(new byte[100]);
            c.transport().close();
            await(c.protocol().closed);
            while (served.size() == before) {
              yieldOnce();
            }
            await(served.get(served.size() - 1).closed);
          }
          return null;
        });
  }

  @Test
  void manyConnectionsOpenedAndClosedLeaveNoDescriptor() {
    int before = openDescriptors();
    cycle(50);
    assertThat(openDescriptors()).isLessThanOrEqualTo(before);
  }

  // test_sock_lowlevel.py / test_selector_events.py: a reset peer ends the transport with the error
  @Test
  void aPeerThatResetsEndsTheTransportWithTheErrorAndClosesIt() throws Exception {
    int before = openDescriptors();
    Recorder serverSide =
        run(
            () -> {
              SocketChannel peer = SocketChannel.open(new InetSocketAddress(HOST, port));
              while (served.size() < 2 || served.get(1).transport == null) {
                yieldOnce();
              }
              peer.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST
              peer.close();
              Recorder r = served.get(1);
              await(r.closed);
              return r;
            });
    assertThat(serverSide.lost).isInstanceOf(IOException.class);
    assertThat(serverSide.calls).endsWith("lost");
    assertThat(openDescriptors()).isLessThanOrEqualTo(before);
    cycle(1); // the loop and the server keep serving
  }

  // test_events.py: test_create_connection_refused, repeated: nothing leaks
  @Test
  void refusedConnectsLeaveNoDescriptor() throws Exception {
    Server closed = loop.runUntilComplete(loop.createServer(() -> new Recorder(loop), HOST, 0));
    int closedPort = ((InetSocketAddress) closed.sockets().get(0).getLocalAddress()).getPort();
    closed.close();
    int before = openDescriptors();
    for (int i = 0; i < 20; i++) {
      LoopFuture<Connection<Recorder>> f =
          loop.createConnection(() -> new Recorder(loop), HOST, closedPort);
      assertThatThrownBy(() -> loop.runUntilComplete(f))
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(java.net.ConnectException.class);
    }
    assertThat(openDescriptors()).isLessThanOrEqualTo(before);
  }

  // test_events.py: test_create_server_addr_in_use, repeated: nothing leaks
  @Test
  void aServerAddressInUseLeavesNoDescriptor() {
    int before = openDescriptors();
    for (int i = 0; i < 20; i++) {
      LoopFuture<Server> second = loop.createServer(() -> new Recorder(loop), HOST, port);
      assertThatThrownBy(() -> loop.runUntilComplete(second))
          .isInstanceOf(CompletionException.class)
          .cause()
          .hasMessageContaining("error while attempting to bind on address");
    }
    assertThat(openDescriptors()).isLessThanOrEqualTo(before);
  }

  @Test
  void socketCallsCancelledWhileWaitingLeaveTheChannelUsableAndNothingOpen() throws Exception {
    int before = openDescriptors();
    run(
        () -> {
          try (SocketChannel ch = SocketChannel.open(new InetSocketAddress(HOST, port))) {
            ch.configureBlocking(false);
            for (int i = 0; i < 20; i++) {
              LoopFuture<byte[]> pending = loop.sockRecv(ch, 10);
              pending.cancel();
              yieldOnce();
            }
            assertThat(loop.io().registered(ch, true)).isNull();
            await(loop.sockSendall(ch, ByteBuffer.wrap(new byte[] {1, 2, 3})));
          }
          while (served.size() < 2 || !served.get(1).closed.isDone()) {
            yieldOnce();
          }
          return null;
        });
    assertThat(served.get(1).data.toByteArray()).containsExactly(1, 2, 3);
    assertThat(openDescriptors()).isLessThanOrEqualTo(before);
  }
}
