package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static dev.eventual.loop.SslTransportTest.CLIENT_CTX;
import static dev.eventual.loop.SslTransportTest.HOST;
import static dev.eventual.loop.SslTransportTest.SERVER_CTX;
import static dev.eventual.loop.SslTransportTest.ascii;
import static dev.eventual.loop.SslTransportTest.port;
import static dev.eventual.loop.SslTransportTest.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eventual.loop.SocketTransportTest.Recorder;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TLS calls of the loop ({@link SslConnections}): handshake failures and timeouts, {@code
 * startTls}, and interop with the JDK's blocking {@link SSLSocket} on either side. Ports of CPython
 * 3.13's {@code test_sslproto.py} and the ssl cases of {@code test_events.py}; each failure case
 * counts the process's open sockets ({@code /proc/self/fd}) as {@link IoFaultsTest} does.
 */
@Timeout(30)
class SslConnectionsTest extends LoopTaskFixture {
  private final List<Recorder> served = new ArrayList<>();

  /** The certificates are made before the tests, outside their timeouts (keytool takes seconds). */
  @BeforeAll
  static void makeCertificates() {
    assertThat(SERVER_CTX).isNotNull();
    assertThat(TestCerts.OTHER_NAME).isNotNull();
  }

  /** Echoes what it gets (over whatever transport it has now); nothing at end of stream. */
  final class Echoing extends Recorder {
    Echoing() {
      super(loop);
    }

    @Override
    public void dataReceived(ByteBuffer d) {
      transport.write(d.duplicate());
      super.dataReceived(d);
    }
  }

  private Server server(SSLContext ssl, Duration handshakeTimeout) {
    return loop.runUntilComplete(
        loop.createServer(
            () -> {
              Recorder r = new Echoing();
              served.add(r);
              return r;
            },
            HOST,
            0,
            100,
            ssl,
            handshakeTimeout,
            null));
  }

  private Throwable failedConnect(int port, SSLContext ctx, String serverHostname) {
    return run(
        () -> {
          try {
            await(loop.createConnection(() -> new Recorder(loop), HOST, port, ctx, serverHostname));
          } catch (CompletionException e) {
            return e.getCause();
          }
          throw new AssertionError("the connection was made");
        });
  }

  /** The process's open sockets once the loop ran a few turns (see IoFaultsTest). */
  private int openSockets() {
    run(
        () -> {
          for (int i = 0; i < 3; i++) {
            yieldOnce();
          }
          return null;
        });
    return OpenDescriptors.count("socket:");
  }

  // test_ssl.py: test_connect_fail / test_events.py: test_create_server_ssl_verify_failed
  // (a certificate the client does not trust)
  @Test
  void anUntrustedCertificateFailsTheHandshakeAndLeaksNoSocket() throws Exception {
    assumeTrue(new File("/proc/self/fd").isDirectory(), "counts descriptors in /proc/self/fd");
    Server server = server(TestCerts.server(TestCerts.OTHER_NAME), null);
    assertThat(failedConnect(port(server), CLIENT_CTX, null))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("PKIX path");
    int before = openSockets();
    for (int i = 0; i < 5; i++) {
      assertThat(failedConnect(port(server), CLIENT_CTX, null))
          .isInstanceOf(SSLHandshakeException.class);
    }
    assertThat(openSockets()).isLessThanOrEqualTo(before);
    // the server made a protocol per connection (as CPython) but none heard connectionMade
    assertThat(served).hasSize(6).allMatch(r -> r.calls.isEmpty());
    server.close();
  }

  // test_events.py: test_create_server_ssl_match_failed (the name does not match); server_hostname
  // '' with check_hostname off connects
  @Test
  void aCertificateForAnotherNameFailsUnlessNameCheckingIsOff() throws Exception {
    assumeTrue(new File("/proc/self/fd").isDirectory(), "counts descriptors in /proc/self/fd");
    Server server = server(TestCerts.server(TestCerts.OTHER_NAME), null);
    SSLContext trusting = TestCerts.client(TestCerts.OTHER_NAME);
    assertThat(failedConnect(port(server), trusting, null))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("127.0.0.1");
    int before = openSockets();
    assertThat(failedConnect(port(server), trusting, "localhost"))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("localhost");
    assertThat(openSockets()).isLessThanOrEqualTo(before);
    String text =
        run(
            () -> {
              Connection<Recorder> c =
                  await(
                      loop.createConnection(
                          () -> new Recorder(loop), HOST, port(server), trusting, ""));
              c.transport().write(ascii("unchecked"));
              until(() -> c.protocol().text().equals("unchecked"));
              c.transport().close();
              await(c.protocol().closed);
              return c.protocol().text();
            });
    assertThat(text).isEqualTo("unchecked");
    server.close();
  }

  // test_sslproto.py: test_handshake_timeout; test_events.py: test_create_connection_ssl_timeout
  // (a peer that never speaks TLS)
  @Test
  void aPeerThatNeverSpeaksTlsTimesTheHandshakeOut() throws Exception {
    assumeTrue(new File("/proc/self/fd").isDirectory(), "counts descriptors in /proc/self/fd");
    // plain TCP: takes the ClientHello, answers nothing
    Server plain = loop.runUntilComplete(loop.createServer(() -> new Recorder(loop), HOST, 0));
    int before = openSockets();
    Throwable error =
        run(
            () -> {
              try {
                await(
                    loop.createConnection(
                        () -> new Recorder(loop),
                        HOST,
                        port(plain),
                        CLIENT_CTX,
                        null,
                        Duration.ofMillis(300),
                        null));
              } catch (CompletionException e) {
                return e.getCause();
              }
              throw new AssertionError("the handshake ended");
            });
    assertThat(error)
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("SSL handshake is taking longer than 0.3 seconds: aborting the connection");
    assertThat(openSockets()).isLessThanOrEqualTo(before);
    plain.close();
  }

  // test_sslproto.py: test_handshake_timeout, the server's side: a client that connects and says
  // nothing is closed after the server's handshake timeout
  @Test
  void aServerClosesAClientThatNeverStartsTheHandshake() throws Exception {
    Server server = server(SERVER_CTX, Duration.ofMillis(200));
    long started = System.nanoTime();
    byte[] got =
        run(
            () -> {
              try (SocketChannel raw = SocketChannel.open()) {
                raw.configureBlocking(false);
                await(loop.sockConnect(raw, new InetSocketAddress(HOST, port(server))));
                return await(loop.sockRecv(raw, 100)); // end of stream once the server gives up
              }
            });
    assertThat(got).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(150));
    assertThat(served).hasSize(1);
    assertThat(served.get(0).calls).isEmpty();
    server.close();
  }

  // test_events.py: test_start_tls_client_reg_proto / test_start_tls_server_1 (STARTTLS: a plain
  // connection upgraded on both sides; the protocol hears connectionMade and connectionLost once)
  @Test
  void startTlsUpgradesAPlainConnection() throws Exception {
    List<Recorder> upgraded = new ArrayList<>();
    Server server =
        loop.runUntilComplete(
            loop.createServer(
                () -> {
                  Recorder r =
                      new Recorder(loop) {
                        boolean tls;
                        Transport secure; // null until startTls's future is done
                        final StringBuilder early = new StringBuilder();

                        @Override
                        public void dataReceived(ByteBuffer d) {
                          byte[] b = new byte[d.remaining()];
                          d.duplicate().get(b);
                          super.dataReceived(d);
                          if (!tls && text().equals("STARTTLS\n")) {
                            tls = true;
                            transport.write(ascii("OK\n"));
                            loop.startTls(transport, this, SERVER_CTX, true, null)
                                .addDoneCallback(
                                    f -> {
                                      secure = f.result();
                                      reply("");
                                    });
                          } else if (tls) {
                            // as in CPython, data can come before the caller of startTls resumes
                            reply(new String(b, StandardCharsets.ISO_8859_1));
                          }
                        }

                        private void reply(String s) {
                          early.append(s);
                          if (secure != null && early.length() > 0) {
                            secure.write(ascii(early.toString().toUpperCase()));
                            early.setLength(0);
                          }
                        }
                      };
                  upgraded.add(r);
                  return r;
                },
                HOST,
                0));
    Recorder client =
        run(
            () -> {
              Connection<Recorder> c =
                  await(loop.createConnection(() -> new Recorder(loop), HOST, port(server)));
              c.transport().write(ascii("STARTTLS\n"));
              until(() -> c.protocol().text().equals("OK\n"));
              Transport tls =
                  await(loop.startTls(c.transport(), c.protocol(), CLIENT_CTX, false, HOST));
              assertThat(((SSLSession) tls.getExtraInfo("ssl_object")).getProtocol())
                  .isEqualTo("TLSv1.3");
              assertThat(tls.getExtraInfo("peername"))
                  .isEqualTo(c.transport().getExtraInfo("peername"));
              tls.write(ascii("secret"));
              until(() -> c.protocol().text().equals("OK\nSECRET"));
              tls.close();
              await(c.protocol().closed);
              await(upgraded.get(0).closed);
              assertThat(c.transport().isClosing()).isTrue();
              return c.protocol();
            });
    assertThat(client.calls).containsExactly("made", "data", "eof", "lost");
    assertThat(upgraded.get(0).calls).containsExactly("made", "data", "eof", "lost");
    assertThat(upgraded.get(0).text()).isEqualTo("STARTTLS\nsecret");
    server.close();
  }

  // test_sslproto.py: test_start_tls_wrong_args (a client needs a name; a server takes none)
  @Test
  void startTlsRefusesBadArgumentsAndLeavesTheTransportAsItWas() throws Exception {
    Server server = loop.runUntilComplete(loop.createServer(() -> new Recorder(loop), HOST, 0));
    run(
        () -> {
          Connection<Recorder> c =
              await(loop.createConnection(() -> new Recorder(loop), HOST, port(server)));
          Transport t = c.transport();
          assertThatThrownBy(() -> loop.startTls(t, c.protocol(), CLIENT_CTX, false, null))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("serverHostname");
          assertThatThrownBy(() -> loop.startTls(t, c.protocol(), SERVER_CTX, true, "x"))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("serverHostname");
          assertThatThrownBy(
                  () ->
                      loop.startTls(t, c.protocol(), CLIENT_CTX, false, HOST, Duration.ZERO, null))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("sslHandshakeTimeout must be positive: PT0S");
          assertThat(t.getProtocol()).isSameAs(c.protocol());
          assertThat(t.isReading()).isTrue();
          t.close();
          await(c.protocol().closed);
          return null;
        });
    server.close();
  }

  private static <T> CompletableFuture<T> onThread(Callable<T> body) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(body.call());
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            },
            "jdk-tls-peer");
    t.setDaemon(true);
    t.start();
    return f;
  }

  // test_ssl.py: ThreadedTests (an asyncio client against a blocking ssl server thread)
  @Test
  void anEventualClientTalksToAJdkSslServerSocket() throws Exception {
    SSLServerSocket listener =
        (SSLServerSocket)
            SERVER_CTX
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getByName(HOST));
    CompletableFuture<String> peer =
        onThread(
            () -> {
              try (listener;
                  SSLSocket s = (SSLSocket) listener.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] b = in.readNBytes(5);
                out.write(new String(b, StandardCharsets.ISO_8859_1).toUpperCase().getBytes());
                out.flush();
                int eof = in.read(); // -1 once the client's close_notify came
                return new String(b, StandardCharsets.ISO_8859_1) + eof;
              }
            });
    Recorder client =
        run(
            () -> {
              Connection<Recorder> c =
                  await(
                      loop.createConnection(
                          () -> new Recorder(loop),
                          HOST,
                          listener.getLocalPort(),
                          CLIENT_CTX,
                          null));
              c.transport().write(ascii("hello"));
              until(() -> c.protocol().text().equals("HELLO"));
              c.transport().close();
              await(c.protocol().closed);
              return c.protocol();
            });
    assertThat(peer.get()).isEqualTo("hello-1");
    assertThat(client.calls).containsExactly("made", "data", "eof", "lost");
    assertThat(client.lost).isNull();
  }

  // test_ssl.py: ThreadedTests (a blocking ssl client, hostname checked, against an asyncio server)
  @Test
  void aJdkSslSocketTalksToAnEventualServer() throws Exception {
    Server server = server(SERVER_CTX, null);
    int port = port(server);
    CompletableFuture<String> peer =
        onThread(
            () -> {
              try (SSLSocket s =
                  (SSLSocket) CLIENT_CTX.getSocketFactory().createSocket(HOST, port)) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("ping!".getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                byte[] echo = s.getInputStream().readNBytes(5);
                return new String(echo, StandardCharsets.ISO_8859_1)
                    + " "
                    + s.getSession().getProtocol();
              }
            });
    run(
        () -> {
          until(() -> !served.isEmpty());
          await(served.get(0).closed);
          return null;
        });
    assertThat(peer.get()).isEqualTo("ping! TLSv1.3");
    assertThat(served.get(0).calls).containsExactly("made", "data", "eof", "lost");
    assertThat(served.get(0).text()).isEqualTo("ping!");
    server.close();
  }

  // test_sslproto.py: test_shutdown_timeout (the peer never answers close_notify: close gives up
  // after the shutdown timeout and the protocol loses the connection with the timeout's error)
  @Test
  void aPeerThatNeverAnswersCloseNotifyTimesTheShutdownOut() throws Exception {
    SSLServerSocket listener =
        (SSLServerSocket)
            SERVER_CTX
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getByName(HOST));
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> peer =
        onThread(
            () -> {
              try (listener;
                  SSLSocket s = (SSLSocket) listener.accept()) {
                s.startHandshake();
                return release.await(10, TimeUnit.SECONDS); // reads nothing, answers nothing
              }
            });
    long[] took = {0};
    Recorder client =
        run(
            () -> {
              Connection<Recorder> c =
                  await(
                      loop.createConnection(
                          () -> new Recorder(loop),
                          HOST,
                          listener.getLocalPort(),
                          CLIENT_CTX,
                          null,
                          null,
                          Duration.ofMillis(300)));
              long started = System.nanoTime();
              c.transport().close();
              await(c.protocol().closed);
              took[0] = System.nanoTime() - started;
              return c.protocol();
            });
    release.countDown();
    assertThat(peer.get()).isTrue();
    assertThat(Duration.ofNanos(took[0])).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    assertThat(client.calls).containsExactly("made", "lost");
    assertThat(client.lost)
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("SSL shutdown timed out");
  }
}
