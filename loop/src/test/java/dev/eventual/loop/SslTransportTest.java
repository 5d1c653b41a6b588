package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.loop.SocketTransportTest.Echo;
import dev.eventual.loop.SocketTransportTest.Recorder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TLS transport ({@link SslTransport} over {@link SslProtocol}), end to end on 127.0.0.1
 * between a client and a server of the same loop, with certificates {@link TestCerts} generates:
 * the cases of CPython 3.13's {@code test_sslproto.py} and the ssl cases of {@code test_events.py}
 * and {@code test_ssl.py} that apply.
 */
@Timeout(30)
class SslTransportTest extends LoopTaskFixture {
  static final String HOST = SocketTransportTest.HOST;
  static final SSLContext SERVER_CTX = TestCerts.server(TestCerts.SERVER);
  static final SSLContext CLIENT_CTX = TestCerts.client(TestCerts.SERVER);

  final List<Recorder> served = new ArrayList<>();

  /** The certificates are made before the tests, outside their timeouts (keytool takes seconds). */
  @BeforeAll
  static void makeCertificates() {
    assertThat(CLIENT_CTX).isNotNull();
  }

  Server tlsServer(Supplier<? extends BaseProtocol> factory) {
    return loop.runUntilComplete(loop.createServer(factory, HOST, 0, SERVER_CTX));
  }

  Server echoServer() {
    return tlsServer(
        () -> {
          Echo e = new Echo(loop);
          served.add(e);
          return e;
        });
  }

  static int port(Server s) throws Exception {
    return ((InetSocketAddress) s.sockets().get(0).getLocalAddress()).getPort();
  }

  static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Inside a task: lets the loop run until {@code condition} holds. */
  static void until(BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      Asyncio.sleep(Duration.ofMillis(1));
    }
  }

  static long count(List<String> calls, String call) {
    return calls.stream().filter(call::equals).count();
  }

  // test_events.py: test_create_ssl_connection, test_create_server_ssl (echo, extra info);
  // test_sslproto.py: test_close_during_handshake's sibling, the regular close with close_notify
  @Test
  void anEchoOverTlsGivesTheSessionInfoAndClosesWithCloseNotify() throws Exception {
    Server server = echoServer();
    Recorder client =
        run(
            () -> {
              Connection<Recorder> c =
                  await(
                      loop.createConnection(
                          () -> new Recorder(loop), HOST, port(server), CLIENT_CTX, null));
              Transport t = c.transport();
              assertThat(c.protocol().calls).containsExactly("made");
              assertThat(c.protocol().transport).isSameAs(t);
              t.write(ascii("hello "));
              t.writelines(List.of(ascii("wor"), ascii("ld")));
              until(() -> c.protocol().text().equals("hello world"));
              SSLSession session = (SSLSession) t.getExtraInfo("ssl_object");
              assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
              assertThat(t.getExtraInfo("cipher")).isEqualTo(session.getCipherSuite());
              assertThat(t.getExtraInfo("compression", "none")).isNull();
              assertThat(t.getExtraInfo("sslcontext")).isSameAs(CLIENT_CTX);
              X509Certificate peer = (X509Certificate) t.getExtraInfo("peercert");
              assertThat(peer.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
              assertThat(t.getExtraInfo("peername"))
                  .isEqualTo(server.sockets().get(0).getLocalAddress());
              assertThat(t.getExtraInfo("nothing", "dflt")).isEqualTo("dflt");
              assertThat(t.isClosing()).isFalse();
              t.close();
              assertThat(t.isClosing()).isTrue();
              t.write(ascii("dropped")); // CPython: written after close, counted and dropped
              await(c.protocol().closed);
              await(served.get(0).closed);
              return c.protocol();
            });
    // as CPython's _do_shutdown: the closing side hears eofReceived when the peer's close_notify
    // comes back; the other side hears close_notify as end of stream; each loses it once
    assertThat(client.calls).containsExactly("made", "data", "eof", "lost");
    assertThat(client.lost).isNull();
    assertThat(served.get(0).calls).containsExactly("made", "data", "eof", "lost");
    assertThat(served.get(0).text()).isEqualTo("hello world");
    assertThat(served.get(0).lost).isNull();
    server.close();
  }

  // test_ssl.py: ThreadedTests.test_protocol_tlsv1_2 (a TLS 1.2 client against a 1.3 server)
  @Test
  void aTls12ClientNegotiatesTls12() throws Exception {
    Server server = echoServer();
    String protocol =
        run(
            () -> {
              Connection<Recorder> c =
                  await(
                      loop.createConnection(
                          () -> new Recorder(loop),
                          HOST,
                          port(server),
                          TestCerts.client("TLSv1.2", TestCerts.SERVER),
                          "localhost"));
              c.transport().write(ascii("twelve"));
              until(() -> c.protocol().text().equals("twelve"));
              String p = ((SSLSession) c.transport().getExtraInfo("ssl_object")).getProtocol();
              c.transport().close();
              await(c.protocol().closed);
              await(served.get(0).closed);
              return p;
            });
    assertThat(protocol).isEqualTo("TLSv1.2");
    assertThat(served.get(0).calls).containsExactly("made", "data", "eof", "lost");
    server.close();
  }

  // test_events.py: test_create_server_ssl (the server closes first): close_notify the other way
  @Test
  void aServerThatClosesFirstSendsItsDataThenCloseNotify() throws Exception {
    Server server =
        tlsServer(
            () ->
                new Recorder(loop) {
                  @Override
                  public void connectionMade(Transport t) {
                    super.connectionMade(t);
                    t.write(ascii("bye"));
                    t.close();
                    served.add(this);
                  }
                });
    Recorder client =
        run(
            () -> {
              Connection<Recorder> c =
                  await(
                      loop.createConnection(
                          () -> new Recorder(loop), HOST, port(server), CLIENT_CTX, "localhost"));
              await(c.protocol().closed);
              await(served.get(0).closed);
              return c.protocol();
            });
    assertThat(client.text()).isEqualTo("bye");
    assertThat(client.calls).containsExactly("made", "data", "eof", "lost");
    assertThat(client.lost).isNull();
    assertThat(served.get(0).calls).containsExactly("made", "eof", "lost");
    server.close();
  }

  // test_sslproto.py: test_connection_lost / test_abort: abort drops the queue, no close_notify;
  // the peer sees a truncated stream (end of stream), and each side's connectionLost comes once
  @Test
  void abortClosesAtOnceAndEachSideLosesTheConnectionOnce() throws Exception {
    Server server = echoServer();
    Recorder client =
        run(
            () -> {
              Connection<Recorder> c =
                  await(
                      loop.createConnection(
                          () -> new Recorder(loop), HOST, port(server), CLIENT_CTX, null));
              c.transport().write(ascii("x"));
              until(() -> c.protocol().text().equals("x"));
              c.transport().abort();
              assertThat(c.transport().isClosing()).isTrue();
              c.transport().write(ascii("after abort")); // dropped, no error
              c.transport().close(); // nothing more
              await(c.protocol().closed);
              await(served.get(0).closed);
              for (int i = 0; i < 5; i++) {
                yieldOnce();
              }
              return c.protocol();
            });
    assertThat(client.calls).containsExactly("made", "data", "lost");
    assertThat(count(served.get(0).calls, "lost")).isEqualTo(1);
    assertThat(served.get(0).lost).isNull();
    server.close();
  }

  // test_sslproto.py: test_write_eof / can_write_eof: TLS has no half-close
  @Test
  void writeEofIsRefusedAndTheBufferLimitsFollowPython() throws Exception {
    Server server = echoServer();
    run(
        () -> {
          Connection<Recorder> c =
              await(
                  loop.createConnection(
                      () -> new Recorder(loop), HOST, port(server), CLIENT_CTX, null));
          Transport t = c.transport();
          assertThat(t.canWriteEof()).isFalse();
          assertThatThrownBy(t::writeEof)
              .isInstanceOf(UnsupportedOperationException.class)
              .hasMessageContaining("half-close");
          // FLOW_CONTROL_HIGH_WATER_SSL_WRITE: 512 KiB, low a quarter
          assertThat(t.getWriteBufferLimits())
              .isEqualTo(new Transport.WriteBufferLimits(128 * 1024, 512 * 1024));
          t.setWriteBufferLimits(-1, 1000);
          assertThat(t.getWriteBufferLimits())
              .isEqualTo(new Transport.WriteBufferLimits(1000, 4000));
          assertThatThrownBy(() -> t.setWriteBufferLimits(1, 2))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("high (1) must be >= low (2) must be >= 0");
          assertThat(t.getWriteBufferLimits())
              .isEqualTo(new Transport.WriteBufferLimits(1000, 4000));
          assertThat(t.getWriteBufferSize()).isZero();
          t.close();
          await(c.protocol().closed);
          return null;
        });
    server.close();
  }

  /** Counts and hashes what it receives, into its own buffer; replies with the digest. */
  static final class Digesting implements BufferedProtocol {
    final ByteBuffer buffer = ByteBuffer.allocate(8 * 1024);
    final MessageDigest sha;
    final int expected;
    int received;
    int updates;
    Transport transport;
    final LoopFuture<Void> lost;

    Digesting(EventLoop loop, int expected) throws Exception {
      this.sha = MessageDigest.getInstance("SHA-256");
      this.expected = expected;
      this.lost = loop.createFuture();
    }

    @Override
    public void connectionMade(Transport t) {
      transport = t;
    }

    @Override
    public ByteBuffer getBuffer(int sizeHint) {
      return buffer.clear();
    }

    @Override
    public void bufferUpdated(int nbytes) {
      updates++;
      sha.update(buffer.array(), 0, nbytes);
      received += nbytes;
      if (received == expected) {
        transport.write(sha.digest());
      }
    }

    @Override
    public void connectionLost(Throwable e) {
      lost.setResult(null);
    }
  }

  // test_events.py: test_create_server_ssl with a big payload; test_sslproto.py's flow control
  // (_control_app_writing: pause over the high-water mark, resume at the low one); a
  // BufferedProtocol on top of TLS
  @Test
  void aMegabyteGoesThroughWithFlowControlIntoABufferedProtocol() throws Exception {
    int size = 1024 * 1024;
    byte[] payload = new byte[size];
    new java.util.Random(18).nextBytes(payload);
    List<Digesting> servers = new ArrayList<>();
    Server server =
        tlsServer(
            () -> {
              try {
                Digesting d = new Digesting(loop, size);
                servers.add(d);
                return d;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Recorder client =
        run(
            () -> {
              Connection<Recorder> c =
                  await(
                      loop.createConnection(
                          () -> new Recorder(loop), HOST, port(server), CLIENT_CTX, null));
              // a small send buffer, so that the kernel cannot take the megabyte at once
              ((java.nio.channels.SocketChannel) c.transport().getExtraInfo("socket"))
                  .setOption(java.net.StandardSocketOptions.SO_SNDBUF, 128 * 1024);
              c.transport().setWriteBufferLimits(64 * 1024, 16 * 1024);
              c.transport().write(payload); // the loop cannot read on the other side meanwhile
              assertThat(c.protocol().calls).contains("pause");
              assertThat(c.transport().getWriteBufferSize()).isGreaterThanOrEqualTo(64 * 1024);
              until(() -> c.protocol().data.size() == 32);
              assertThat(c.transport().getWriteBufferSize()).isZero();
              c.transport().close();
              await(c.protocol().closed);
              await(servers.get(0).lost);
              return c.protocol();
            });
    assertThat(servers.get(0).received).isEqualTo(size);
    assertThat(client.data.toByteArray())
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
    assertThat(client.calls).containsSubsequence("made", "pause", "resume", "data", "lost");
    assertThat(count(client.calls, "pause")).isEqualTo(count(client.calls, "resume"));
    server.close();
  }

  // test_sslproto.py: test_pause_reading/resume_reading (_app_reading_paused): nothing is delivered
  // while paused, all of it after
  @Test
  void pausedReadingHoldsTheDataUntilResumed() throws Exception {
    List<Recorder> readers = new ArrayList<>();
    Server server =
        tlsServer(
            () -> {
              Recorder r =
                  new Recorder(loop) {
                    @Override
                    public void connectionMade(Transport t) {
                      super.connectionMade(t);
                      t.pauseReading();
                    }
                  };
              readers.add(r);
              return r;
            });
    byte[] payload = new byte[100_000];
    java.util.Arrays.fill(payload, (byte) 'p');
    run(
        () -> {
          Connection<Recorder> c =
              await(
                  loop.createConnection(
                      () -> new Recorder(loop), HOST, port(server), CLIENT_CTX, null));
          until(() -> !readers.isEmpty() && readers.get(0).transport != null);
          Recorder r = readers.get(0);
          assertThat(r.transport.isReading()).isFalse();
          c.transport().write(payload);
          Asyncio.sleep(Duration.ofMillis(100));
          assertThat(r.data.size()).isZero();
          r.transport.resumeReading();
          assertThat(r.transport.isReading()).isTrue();
          until(() -> r.data.size() == payload.length);
          c.transport().close();
          await(r.closed);
          await(c.protocol().closed);
          return null;
        });
    assertThat(readers.get(0).calls).containsExactly("made", "data", "eof", "lost");
    server.close();
  }
}
