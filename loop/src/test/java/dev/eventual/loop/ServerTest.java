package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.loop.SocketTransportTest.Recorder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Server}: the cases of CPython's {@code test_server.py} ({@code BaseStartServer}, the 3.12
 * {@code wait_closed} and 3.13 {@code close_clients}/{@code abort_clients} cases) that apply, on
 * 127.0.0.1.
 */
@Timeout(20)
class ServerTest extends LoopTaskFixture {
  private static final String HOST = SocketTransportTest.HOST;
  private final List<Recorder> served = new ArrayList<>();

  private Server server() {
    return loop.runUntilComplete(
        loop.createServer(
            () -> {
              Recorder r = new Recorder(loop);
              served.add(r);
              return r;
            },
            HOST,
            0));
  }

  private static int port(Server s) throws Exception {
    return ((InetSocketAddress) s.sockets().get(0).getLocalAddress()).getPort();
  }

  private Connection<Recorder> connect(Server s) throws Exception {
    Connection<Recorder> c = await(loop.createConnection(() -> new Recorder(loop), HOST, port(s)));
    while (served.size() < 1 || served.get(served.size() - 1).transport == null) {
      yieldOnce();
    }
    return c;
  }

  // test_server.py: test_start_server_1 (is_serving, sockets, close)
  @Test
  void aServerServesUntilClosedAndThenHasNoSockets() throws Exception {
    Server s = server();
    assertThat(s.isServing()).isTrue();
    assertThat(s.sockets()).hasSize(1);
    assertThat(s.getLoop()).isSameAs(loop);
    s.close();
    assertThat(s.isServing()).isFalse();
    assertThat(s.sockets()).isEmpty();
    s.close(); // again: nothing
    assertThat(loop.runUntilComplete(s.waitClosed())).isNull();
  }

  // test_server.py: test_wait_closed_basic (3.12: wait_closed waits for the connections)
  @Test
  void waitClosedWaitsForTheLastConnectionAfterTheClose() throws Exception {
    Server s = server();
    run(
        () -> {
          Connection<Recorder> c = connect(s);
          LoopFuture<Void> closed = s.waitClosed();
          s.close();
          yieldOnce();
          assertThat(closed.isDone()).isFalse(); // a connection is still open
          c.transport().close();
          await(closed);
          assertThat(served.get(0).calls).endsWith("lost");
          return null;
        });
  }

  // test_server.py: test_close_clients, test_abort_clients (3.13)
  @Test
  void closeClientsAndAbortClientsEndEveryConnection() throws Exception {
    Server s = server();
    run(
        () -> {
          Connection<Recorder> a = connect(s);
          Connection<Recorder> b = connect(s);
          s.close();
          s.closeClients();
          await(a.protocol().closed);
          await(b.protocol().closed);
          await(s.waitClosed());
          return null;
        });
    Server s2 = server();
    run(
        () -> {
          Connection<Recorder> c = connect(s2);
          served.get(served.size() - 1).transport.write(new byte[1 << 20]); // queued, then dropped
          s2.abortClients();
          await(c.protocol().closed);
          s2.close();
          await(s2.waitClosed());
          return null;
        });
    assertThat(served).allMatch(r -> r.calls.contains("lost") && r.lost == null);
  }

  // test_server.py: test_serve_forever (cancelling serve_forever closes the server)
  @Test
  void cancellingServeForeverClosesTheServer() throws Exception {
    Server s = server();
    Task<Void> serving =
        loop.createTask(
            () -> {
              s.serveForever();
              return null;
            });
    run(
        () -> {
          yieldOnce();
          assertThatThrownBy(s::serveForever)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("is already being awaited on serveForever()");
          serving.cancel();
          try {
            await(serving);
          } catch (CancellationException expected) {
            // the task ends cancelled
          }
          return null;
        });
    assertThat(serving.isCancelled()).isTrue();
    assertThat(s.isServing()).isFalse();
    assertThat(s.sockets()).isEmpty();
    assertThatThrownBy(
            () ->
                run(
                    () -> {
                      s.serveForever();
                      return null;
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  // test_events.py: test_create_server_addr_in_use
  @Test
  void aSecondServerOnAPortInUseFailsWithTheAddress() throws Exception {
    Server s = server();
    int port = port(s);
    // the first server listens on the port: a second listener is refused everywhere
    LoopFuture<Server> second = loop.createServer(() -> new Recorder(loop), HOST, port);
    assertThatThrownBy(() -> loop.runUntilComplete(second))
        .isInstanceOf(CompletionException.class)
        .cause()
        .hasMessageContaining("error while attempting to bind on address");
    s.close();
  }

  @Test
  void aProtocolFactoryThatThrowsReachesTheHandlerAndTheServerKeepsServing() throws Exception {
    List<ExceptionContext> reported = new ArrayList<>();
    loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
    int[] made = {0};
    Server s =
        loop.runUntilComplete(
            loop.createServer(
                () -> {
                  if (made[0]++ == 0) {
                    throw new IllegalStateException("factory failed");
                  }
                  Recorder r = new Recorder(loop);
                  served.add(r);
                  return r;
                },
                HOST,
                0));
    run(
        () -> {
          Connection<Recorder> first =
              await(loop.createConnection(() -> new Recorder(loop), HOST, port(s)));
          await(first.protocol().closed); // the server closed it
          connect(s);
          return null;
        });
    assertThat(reported).hasSize(1);
    assertThat(reported.get(0).message())
        .isEqualTo("Error on transport creation for incoming connection");
    assertThat(served).hasSize(1);
    s.abortClients();
    s.close();
  }
}
