package dev.eventual.loop;

import static dev.eventual.loop.SslTransportTest.CLIENT_CTX;
import static dev.eventual.loop.SslTransportTest.SERVER_CTX;
import static dev.eventual.loop.StreamReaderTest.bytes;
import static dev.eventual.loop.StreamReaderTest.text;
import static dev.eventual.loop.StreamsTest.HOST;
import static dev.eventual.loop.StreamsTest.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StreamWriter#startTls}: a stream connection upgraded to TLS in place, on the client side
 * and in a stream server's callback. Ports of the {@code start_tls} cases of CPython 3.11's {@code
 * test_streams.py} and {@code test_sslproto.py}, with the certificates of {@link TestCerts}.
 */
@Timeout(30)
class StreamsTlsTest extends LoopTaskFixture {
  /** The certificates are made before the tests, outside their timeouts (keytool takes seconds). */
  @BeforeAll
  static void makeCertificates() {
    assertThat(SERVER_CTX).isNotNull();
    assertThat(TestCerts.OTHER_NAME).isNotNull();
  }

  /**
   * test_streams.py's MyServer.handle_client: a line back in plain text, then TLS, then a line back
   * over TLS.
   */
  private static void upgradingEcho(StreamReader reader, StreamWriter writer) throws IOException {
    byte[] first = reader.readline();
    writer.write(first);
    writer.drain();
    assertThat(writer.getExtraInfo("sslcontext")).isNull();
    writer.startTls(SERVER_CTX);
    assertThat(writer.getExtraInfo("sslcontext")).isSameAs(SERVER_CTX);
    byte[] second = reader.readline();
    writer.write(second);
    writer.drain();
    writer.close();
    writer.waitClosed();
  }

  // test_streams.py: test_start_tls (client and server upgrade the same connection)
  @Test
  void aClientAndAServersCallbackUpgradeTheirStreamsToTls() {
    List<String> got =
        run(
            () -> {
              Server server = Asyncio.startServer(StreamsTlsTest::upgradingEcho, HOST, 0);
              StreamPair s = Asyncio.openConnection(HOST, port(server));
              StreamWriter w = s.writer();
              Transport plain = w.transport();
              w.write(bytes("hello world 1!\n"));
              w.drain();
              String back1 = text(s.reader().readline());
              assertThat(w.getExtraInfo("sslcontext")).isNull();
              w.startTls(CLIENT_CTX, HOST);
              assertThat(w.getExtraInfo("sslcontext")).isSameAs(CLIENT_CTX);
              assertThat(((SSLSession) w.getExtraInfo("ssl_object")).getProtocol())
                  .isEqualTo("TLSv1.3");
              assertThat(w.transport()).isNotSameAs(plain);
              assertThat(w.getExtraInfo("peername")).isEqualTo(plain.getExtraInfo("peername"));
              w.write(bytes("hello world 2!\n"));
              w.drain();
              String back2 = text(s.reader().readline());
              byte[] rest = s.reader().read();
              w.close();
              w.waitClosed();
              server.close();
              Await.await(server.waitClosed());
              assertThat(plain.isClosing()).isTrue();
              return List.of(back1, back2, rest.length + "|" + s.reader().atEof());
            });
    assertThat(got).containsExactly("hello world 1!\n", "hello world 2!\n", "0|true");
  }

  // test_streams.py: test_start_tls (bytes that came before the upgrade stay in the reader)
  @Test
  void bytesReadBeforeTheUpgradeStayInTheReader() {
    String got =
        run(
            () -> {
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        r.readline();
                        w.write(bytes("ready\nearly bytes\n"));
                        w.drain();
                        w.startTls(SERVER_CTX);
                        w.write(bytes("secret\n"));
                        w.close();
                        w.waitClosed();
                      },
                      HOST,
                      0);
              StreamPair s = Asyncio.openConnection(HOST, port(server));
              s.writer().write(bytes("STARTTLS\n"));
              String ready = text(s.reader().readline());
              while (s.reader().size() < "early bytes\n".length()) {
                Asyncio.sleep(Duration.ofMillis(1)); // the plain bytes are in before the upgrade
              }
              s.writer().startTls(CLIENT_CTX, HOST);
              String early = text(s.reader().readline());
              String secret = text(s.reader().readline());
              s.writer().close();
              s.writer().waitClosed();
              server.close();
              return ready + early + secret;
            });
    assertThat(got).isEqualTo("ready\nearly bytes\nsecret\n");
  }

  // test_sslproto.py: test_handshake_failure (the client does not trust the server's certificate:
  // the handshake fails, the caller gets the error, and the connection is closed on both sides)
  @Test
  void aFailedHandshakeThrowsAndClosesTheConnection() {
    List<Throwable> serverSide = new ArrayList<>();
    Throwable clientSide =
        run(
            () -> {
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        r.readline();
                        w.write(bytes("go\n"));
                        try {
                          w.startTls(TestCerts.server(TestCerts.OTHER_NAME));
                        } catch (IOException e) {
                          serverSide.add(e);
                        }
                      },
                      HOST,
                      0);
              StreamPair s = Asyncio.openConnection(HOST, port(server));
              s.writer().write(bytes("STARTTLS\n"));
              s.reader().readline();
              Throwable thrown = null;
              try {
                s.writer().startTls(CLIENT_CTX, HOST);
              } catch (IOException e) {
                thrown = e;
              }
              assertThat(s.writer().isClosing()).isTrue();
              while (serverSide.isEmpty()) {
                Asyncio.sleep(Duration.ofMillis(1));
              }
              server.close();
              return thrown;
            });
    assertThat(clientSide).isInstanceOf(SSLHandshakeException.class);
    assertThat(serverSide.get(0)).isInstanceOf(IOException.class);
  }

  // test_sslproto.py: test_start_tls_wrong_args; and what the bad-input table asks of every call:
  // the error names the parameter, and the writer goes on as it was (plain text still flows)
  @Test
  void badInputIsRefusedBeforeAnythingChanges() {
    String got =
        run(
            () -> {
              Server server = Asyncio.startServer(StreamsTest::echoLine, HOST, 0);
              StreamPair s = Asyncio.openConnection(HOST, port(server));
              StreamWriter w = s.writer();
              Transport plain = w.transport();
              assertThatThrownBy(() -> w.startTls(null, HOST))
                  .isInstanceOf(NullPointerException.class)
                  .hasMessage("sslContext must not be null");
              assertThatThrownBy(() -> w.startTls(CLIENT_CTX, HOST, Duration.ofSeconds(-1)))
                  .isInstanceOf(IllegalArgumentException.class)
                  .hasMessage("sslHandshakeTimeout must be positive: PT-1S");
              assertThatThrownBy(() -> w.startTls(CLIENT_CTX, HOST, Duration.ZERO))
                  .isInstanceOf(IllegalArgumentException.class)
                  .hasMessage("sslHandshakeTimeout must be positive: PT0S");
              assertThatThrownBy(() -> w.startTls(CLIENT_CTX))
                  .isInstanceOf(IllegalArgumentException.class)
                  .hasMessageStartingWith("serverHostname must be given for a client");
              assertThat(w.transport()).isSameAs(plain);
              assertThat(plain.isReading()).isTrue();
              w.write(bytes("still plain\n"));
              String line = text(s.reader().readline());
              w.close();
              assertThatThrownBy(() -> w.startTls(CLIENT_CTX, HOST))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageStartingWith("startTls() on a closing writer");
              w.waitClosed();
              server.close();
              return line;
            });
    assertThat(got).isEqualTo("still plain\n");
  }

  // test_streams.py: start_tls twice (the second call finds a TLS transport: CPython's TypeError
  // from loop.start_tls; here refused before anything is sent); a server's writer takes no name
  @Test
  void aSecondStartTlsAndAServerNameOnAServersWriterAreRefused() {
    List<String> serverErrors = new ArrayList<>();
    String got =
        run(
            () -> {
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        r.readline();
                        try {
                          w.startTls(SERVER_CTX, "localhost");
                        } catch (IllegalArgumentException e) {
                          serverErrors.add(e.getMessage());
                        }
                        w.write(bytes("go\n"));
                        w.startTls(SERVER_CTX);
                        try {
                          w.startTls(SERVER_CTX);
                        } catch (IllegalStateException e) {
                          serverErrors.add(e.getMessage());
                        }
                        w.write(r.readline());
                        w.close();
                        w.waitClosed();
                      },
                      HOST,
                      0);
              StreamPair s = Asyncio.openConnection(HOST, port(server));
              s.writer().write(bytes("STARTTLS\n"));
              s.reader().readline();
              s.writer().startTls(CLIENT_CTX, HOST);
              Transport tls = s.writer().transport();
              assertThatThrownBy(() -> s.writer().startTls(CLIENT_CTX, HOST))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessage("startTls() was already called on this writer");
              assertThat(s.writer().transport()).isSameAs(tls);
              s.writer().write(bytes("over tls\n"));
              String line = text(s.reader().readline());
              s.writer().close();
              s.writer().waitClosed();
              server.close();
              return line;
            });
    assertThat(got).isEqualTo("over tls\n");
    assertThat(serverErrors)
        .containsExactly(
            "serverHostname must be null on a server's connection: localhost",
            "startTls() was already called on this writer");
  }
}
