package dev.eventual.loop;

import static dev.eventual.loop.StreamReaderTest.bytes;
import static dev.eventual.loop.StreamReaderTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Asyncio#openConnection} and {@link Asyncio#startServer} over TCP on 127.0.0.1: the socket
 * cases of CPython's {@code test_streams.py}.
 */
@Timeout(20)
class StreamsTest extends LoopTaskFixture {
  static final String HOST = "127.0.0.1";

  static int port(Server s) throws IOException {
    return ((InetSocketAddress) s.sockets().get(0).getLocalAddress()).getPort();
  }

  /** The asyncio docs' echo handler: one line back, then close. */
  static void echoLine(StreamReader reader, StreamWriter writer) throws IOException {
    byte[] line = reader.readline();
    writer.write(line);
    writer.drain();
    writer.close();
    writer.waitClosed();
  }

  // test_streams.py: test_open_connection, test_start_server
  @Test
  void aClientAndAServerExchangeALineThroughStreams() {
    String got =
        run(
            () -> {
              Server server = Asyncio.startServer(StreamsTest::echoLine, HOST, 0);
              StreamPair s = Asyncio.openConnection(HOST, port(server));
              s.writer().write(bytes("hello world!\n"));
              s.writer().drain();
              String line = text(s.reader().readline());
              byte[] rest = s.reader().read();
              s.writer().close();
              s.writer().waitClosed();
              server.close();
              Await.await(server.waitClosed());
              return line + "|" + rest.length + "|" + s.reader().atEof();
            });
    assertThat(got).isEqualTo("hello world!\n|0|true");
  }

  // test_streams.py: test_open_connection_error (nothing listens: ConnectionRefusedError)
  @Test
  void openConnectionToAClosedPortThrowsConnectException() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
      closedPort = s.getLocalPort();
    }
    Throwable thrown =
        run(
            () -> {
              try {
                Asyncio.openConnection(HOST, closedPort);
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    assertThat(thrown).isInstanceOf(ConnectException.class);
  }

  // test_streams.py: test_drain_raises (the server closes; writing and draining ends in an error)
  @Test
  void writingToAClosedPeerEndsInAnErrorFromDrain() {
    Throwable thrown =
        run(
            () -> {
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        w.close();
                        w.waitClosed();
                      },
                      HOST,
                      0);
              StreamPair s = Asyncio.openConnection(HOST, port(server));
              byte[] chunk = new byte[64 * 1024];
              try {
                for (int i = 0; i < 10_000; i++) {
                  s.writer().write(chunk);
                  s.writer().drain();
                  Asyncio.sleep(Duration.ofMillis(1));
                }
                return null;
              } catch (IOException e) {
                return e;
              } finally {
                server.close();
              }
            });
    assertThat(thrown).isInstanceOf(IOException.class);
  }

  // test_streams.py: test_wait_closed_on_close, test_eof_feed_when_closing_writer
  @Test
  void closingTheWriterEndsTheReaderWithEof() {
    List<Object> seen =
        run(
            () -> {
              Server server = Asyncio.startServer((r, w) -> w.write(bytes("hi\n")), HOST, 0);
              StreamPair s = Asyncio.openConnection(HOST, port(server));
              List<Object> out = new ArrayList<>();
              out.add(text(s.reader().readline()));
              s.writer().close();
              out.add(s.writer().isClosing());
              s.writer().waitClosed();
              out.add(s.reader().atEof());
              server.close();
              return out;
            });
    assertThat(seen).containsExactly("hi\n", true, true);
  }

  // test_streams.py: test_get_extra_info / test_open_connection's writer.get_extra_info
  @Test
  void theWriterKnowsThePeerAndSocketNames() {
    List<Object> names =
        run(
            () -> {
              LoopFuture<Object> serverSaw = loop.createFuture();
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        serverSaw.setResult(w.getExtraInfo("peername"));
                        w.close();
                      },
                      HOST,
                      0);
              int port = port(server);
              StreamPair s = Asyncio.openConnection(HOST, port);
              Object peer = s.writer().getExtraInfo("peername");
              Object sock = s.writer().getExtraInfo("sockname");
              Object seenByServer = Await.await(serverSaw);
              s.writer().close();
              server.close();
              return List.of(((InetSocketAddress) peer).getPort() == port, sock, seenByServer);
            });
    assertThat(names.get(0)).isEqualTo(true);
    assertThat(names.get(1)).isEqualTo(names.get(2));
  }

  // test_streams.py: test_unhandled_exceptions (3.12.1+: client_connected_cb's exception goes to
  // the loop's exception handler and the connection is closed)
  @Test
  void anExceptionOfTheClientCallbackIsReportedAndClosesTheConnection() {
    List<ExceptionContext> reported = new ArrayList<>();
    loop.setExceptionHandler((l, c) -> reported.add(c));
    byte[] got =
        run(
            () -> {
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        throw new IllegalStateException("handler failed");
                      },
                      HOST,
                      0);
              StreamPair s = Asyncio.openConnection(HOST, port(server));
              byte[] all = s.reader().read();
              s.writer().close();
              server.close();
              Await.await(server.waitClosed());
              return all;
            });
    assertThat(got).isEmpty();
    assertThat(reported).hasSize(1);
    assertThat(reported.get(0).message()).isEqualTo("Unhandled exception in client_connected_cb");
    assertThat(reported.get(0).exception()).hasMessage("handler failed");
  }

  // test_streams.py: test_start_server with many clients (each connection its own task)
  @Test
  void aServerServesManyClientsEachInItsOwnTask() {
    List<String> lines =
        run(
            () -> {
              Server server = Asyncio.startServer(StreamsTest::echoLine, HOST, 0);
              List<Task<String>> clients = new ArrayList<>();
              for (int i = 0; i < 20; i++) {
                String msg = "client " + i + "\n";
                clients.add(
                    loop.createTask(
                        () -> {
                          StreamPair s = Asyncio.openConnection(HOST, port(server));
                          s.writer().write(bytes(msg));
                          String back = text(s.reader().readline());
                          s.writer().close();
                          return back;
                        }));
              }
              List<String> out = new ArrayList<>();
              for (Task<String> t : clients) {
                out.add(Await.await(t));
              }
              server.close();
              Await.await(server.waitClosed());
              return out;
            });
    assertThat(lines).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(lines.get(i)).isEqualTo("client " + i + "\n");
    }
  }
}
