package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop's low-level socket operations ({@link SocketOps}), on 127.0.0.1 only. Ports the cases of
 * CPython's {@code test_sock_lowlevel.py} that apply; the server side is a plain blocking {@link
 * ServerSocket} thread, as CPython's {@code run_test_server} is.
 */
@Timeout(20)
class SocketOpsTest extends LoopTaskFixture {
  private static final InetAddress LOCALHOST = InetAddress.getLoopbackAddress();
  private static final String REQUEST = "GET / HTTP/1.0\r\n\r\n";
  private Thread serverThread;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (serverThread != null) {
      serverThread.interrupt();
      serverThread.join(5_000);
    }
  }

  /** A one-connection server: reads a request up to a blank line, answers, closes. */
  private InetSocketAddress httpServer(byte[] body) throws IOException {
    ServerSocket server = new ServerSocket(0, 1, LOCALHOST);
    serverThread =
        new Thread(
            () -> {
              try (server;
                  Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                  int b = in.read();
                  if (b < 0) {
                    return;
                  }
                  head.write(b);
                }
                OutputStream out = s.getOutputStream();
                out.write(
                    ("HTTP/1.0 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
              } catch (IOException e) {
                // the test sees what it missed
              }
            },
            "test-http-server");
    serverThread.setDaemon(true);
    serverThread.start();
    return new InetSocketAddress(LOCALHOST, server.getLocalPort());
  }

  private static SocketChannel nonBlockingSocket() throws IOException {
    SocketChannel ch = SocketChannel.open();
    ch.configureBlocking(false);
    return ch;
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Reads until end of stream with sockRecv. */
  private String recvAll(SocketChannel ch) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    while (true) {
      byte[] b = await(loop.sockRecv(ch, 1024));
      if (b.length == 0) {
        return all.toString(StandardCharsets.ISO_8859_1);
      }
      all.writeBytes(b);
    }
  }

  // test_sock_lowlevel.py: test_sock_client_ops (_basetest_sock_client_ops)
  @Test
  void connectSendallAndRecvTalkToAServer() throws Exception {
    InetSocketAddress address = httpServer("hello".getBytes(StandardCharsets.ISO_8859_1));
    try (SocketChannel sock = nonBlockingSocket()) {
      String reply =
          run(
              () -> {
                await(loop.sockConnect(sock, address));
                await(loop.sockSendall(sock, ascii(REQUEST)));
                return recvAll(sock);
              });
      assertThat(reply).startsWith("HTTP/1.0 200 OK").endsWith("\r\n\r\nhello");
    }
  }

  // test_sock_lowlevel.py: test_sock_client_ops (_basetest_sock_client_ops, the blocking part:
  // CPython raises ValueError in debug mode; here always, since a selector needs non-blocking)
  @Test
  void everyOperationRefusesABlockingChannel() throws Exception {
    try (SocketChannel sock = SocketChannel.open();
        ServerSocketChannel server = ServerSocketChannel.open()) {
      InetSocketAddress address = new InetSocketAddress(LOCALHOST, 9);
      assertThatThrownBy(() -> loop.sockConnect(sock, address))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("channel must be non-blocking");
      assertThatThrownBy(() -> loop.sockSendall(sock, ascii(REQUEST)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> loop.sockRecv(sock, 1024))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> loop.sockRecvInto(sock, ByteBuffer.allocate(1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> loop.sockAccept(server))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(loop.io().isOpen()).isFalse();
    }
  }

  // test_sock_lowlevel.py: test_sock_client_ops (_basetest_sock_recv_into)
  @Test
  void recvIntoFillsTheBufferAndSaysZeroAtEndOfStream() throws Exception {
    InetSocketAddress address = httpServer("into".getBytes(StandardCharsets.ISO_8859_1));
    try (SocketChannel sock = nonBlockingSocket()) {
      ByteBuffer buf = ByteBuffer.allocate(1024);
      int last =
          run(
              () -> {
                await(loop.sockConnect(sock, address));
                await(loop.sockSendall(sock, ascii(REQUEST)));
                int n;
                do {
                  n = await(loop.sockRecvInto(sock, buf));
                } while (n > 0);
                return n;
              });
      assertThat(last).isZero();
      String got = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
      assertThat(got).startsWith("HTTP/1.0 200 OK").endsWith("into");
    }
  }

  // test_sock_lowlevel.py: test_sock_client_racing (_basetest_sock_recv_racing)
  @Test
  void aCancelledRecvLeavesTheChannelToTheNextRecv() throws Exception {
    InetSocketAddress address = httpServer("raced".getBytes(StandardCharsets.ISO_8859_1));
    try (SocketChannel sock = nonBlockingSocket()) {
      String reply =
          run(
              () -> {
                await(loop.sockConnect(sock, address));
                Task<byte[]> first = loop.createTask(() -> await(loop.sockRecv(sock, 1024)));
                yieldOnce();
                first.cancel();
                yieldOnce();
                assertThat(first.isCancelled()).isTrue();
                assertThat(loop.io().registered(sock, true)).isNull();
                loop.createTask(() -> await(loop.sockSendall(sock, ascii(REQUEST))));
                return recvAll(sock);
              });
      assertThat(reply).startsWith("HTTP/1.0 200 OK").endsWith("raced");
    }
  }

  // test_sock_lowlevel.py: test_sock_client_racing (_basetest_sock_send_racing)
  @Test
  void aCancelledSendallLeavesTheChannelToTheNextSendall() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open();
        SocketChannel sock = nonBlockingSocket()) {
      listener.bind(new InetSocketAddress(LOCALHOST, 0), 1);
      sock.setOption(StandardSocketOptions.SO_SNDBUF, 1024);
      String received =
          run(
              () -> {
                Task<Void> connect =
                    loop.createTask(
                        () -> await(loop.sockConnect(sock, listener.getLocalAddress())));
                yieldOnce();
                try (SocketChannel server = listener.accept()) {
                  server.configureBlocking(false);
                  await(connect);
                  // fill the send buffer until even 4 more bytes would block
                  for (int size = 8192; size >= 4; size /= 2) {
                    while (sock.write(ByteBuffer.wrap(spaces(size))) > 0) {
                      // keep filling
                    }
                  }
                  Task<Void> blocked =
                      loop.createTask(() -> await(loop.sockSendall(sock, ascii("hello"))));
                  yieldOnce();
                  blocked.cancel();
                  Task<String> reader =
                      loop.createTask(
                          () -> {
                            StringBuilder rv = new StringBuilder();
                            while (true) {
                              byte[] b = await(loop.sockRecv(server, 8192));
                              if (b.length == 0) {
                                return rv.toString();
                              }
                              rv.append(new String(b, StandardCharsets.ISO_8859_1).strip());
                            }
                          });
                  await(loop.sockSendall(sock, ascii("world")));
                  sock.shutdownOutput();
                  return await(reader);
                }
              });
      // a send cancelled half-way may have delivered a part of "hello", as in CPython
      assertThat(received).endsWith("world");
    }
  }

  private static byte[] spaces(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) ' ');
    return b;
  }

  // test_sock_lowlevel.py: test_sock_client_connect_racing (_basetest_sock_connect_racing)
  @Test
  void aConnectToAPortWithNoListenerFailsAndALaterOneSucceeds() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(LOCALHOST, 0), 1);
      InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
      listener.close();
      Throwable refused =
          run(
              () -> {
                try (SocketChannel sock = nonBlockingSocket()) {
                  await(loop.sockConnect(sock, address));
                  return null;
                } catch (CompletionException e) {
                  return e.getCause();
                }
              });
      assertThat(refused).isInstanceOf(ConnectException.class);
      try (ServerSocketChannel again = ServerSocketChannel.open()) {
        again.bind(address, 1);
        try (SocketChannel sock = nonBlockingSocket()) {
          run(() -> await(loop.sockConnect(sock, address)));
          assertThat(sock.isConnected()).isTrue();
        }
      }
    }
  }

  // test_sock_lowlevel.py: test_huge_content
  @Test
  void aMegabyteGoesBothWaysWhileTheOtherSideReads() throws Exception {
    int size = 1_000_000;
    byte[] chunk = new byte[size];
    for (int i = 0; i < size; i++) {
      chunk[i] = (byte) ('0' + i % 10);
    }
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.configureBlocking(false);
      listener.bind(new InetSocketAddress(LOCALHOST, 0), 1);
      byte[] echoed =
          run(
              () -> {
                SocketChannel sock = nonBlockingSocket();
                try (sock) {
                  Task<Void> connect =
                      loop.createTask(
                          () -> await(loop.sockConnect(sock, listener.getLocalAddress())));
                  try (SocketChannel server = await(loop.sockAccept(listener))) {
                    await(connect);
                    Task<Void> send =
                        loop.createTask(
                            () -> await(loop.sockSendall(sock, ByteBuffer.wrap(chunk))));
                    ByteBuffer got = ByteBuffer.allocate(size);
                    while (got.hasRemaining()) {
                      assertThat(await(loop.sockRecvInto(server, got))).isPositive();
                    }
                    await(send);
                    return got.array();
                  }
                }
              });
      assertThat(echoed).isEqualTo(chunk);
    }
  }

  // test_base_events.py / test_selector_events.py: sock_accept gives a non-blocking channel
  @Test
  void acceptGivesANonBlockingChannelConnectedToThePeer() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open();
        SocketChannel client = nonBlockingSocket()) {
      listener.configureBlocking(false);
      listener.bind(new InetSocketAddress(LOCALHOST, 0), 1);
      SocketChannel accepted =
          run(
              () -> {
                Task<SocketChannel> accept =
                    loop.createTask(() -> await(loop.sockAccept(listener)));
                yieldOnce();
                assertThat(accept.isDone()).isFalse();
                await(loop.sockConnect(client, listener.getLocalAddress()));
                return await(accept);
              });
      try (accepted) {
        assertThat(accepted.isBlocking()).isFalse();
        assertThat(accepted.getRemoteAddress()).isEqualTo(client.getLocalAddress());
      }
    }
  }

  @Test
  void aSecondRecvWhileOneWaitsIsRefusedAndTheFirstStillGetsTheData() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open();
        SocketChannel client = nonBlockingSocket()) {
      listener.bind(new InetSocketAddress(LOCALHOST, 0), 1);
      byte[] got =
          run(
              () -> {
                Task<Void> connect =
                    loop.createTask(
                        () -> await(loop.sockConnect(client, listener.getLocalAddress())));
                yieldOnce();
                try (SocketChannel server = listener.accept()) {
                  await(connect);
                  LoopFuture<byte[]> first = loop.sockRecv(client, 10);
                  assertThatThrownBy(() -> loop.sockRecv(client, 10))
                      .isInstanceOf(IllegalStateException.class)
                      .hasMessageContaining(
                          "sockRecv: another operation already waits to read this channel");
                  assertThatThrownBy(() -> loop.sockRecvInto(client, ByteBuffer.allocate(4)))
                      .isInstanceOf(IllegalStateException.class);
                  server.write(ascii("data"));
                  return await(first);
                }
              });
      assertThat(new String(got, StandardCharsets.ISO_8859_1)).isEqualTo("data");
      assertThat(loop.io().registered(client, true)).isNull();
    }
  }

  @Test
  void badArgumentsNameTheParameterAndRegisterNothing() throws Exception {
    try (SocketChannel sock = nonBlockingSocket()) {
      assertThatThrownBy(() -> loop.sockRecv(sock, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("n must not be negative");
      assertThatThrownBy(() -> loop.sockRecv(null, 1))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("channel");
      assertThatThrownBy(() -> loop.sockRecvInto(sock, ByteBuffer.allocate(1).asReadOnlyBuffer()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("buffer must be writable");
      assertThatThrownBy(() -> loop.sockSendall(sock, null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("data");
      assertThatThrownBy(() -> loop.sockConnect(sock, null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("address");
      assertThatThrownBy(() -> loop.getaddrinfo("localhost", 70_000))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("port must be in 0..65535");
      assertThat(loop.io().registered(sock, true)).isNull();
    }
  }

  @Test
  void everyOperationRefusesAClosedLoop() throws Exception {
    try (SocketChannel sock = nonBlockingSocket()) {
      loop.close();
      assertThatThrownBy(() -> loop.sockRecv(sock, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Event loop is closed");
    }
  }

  // test_base_events.py: test_getaddrinfo (through the default executor)
  @Test
  void getaddrinfoResolvesInTheDefaultExecutor() {
    List<InetSocketAddress> all = run(() -> await(loop.getaddrinfo("127.0.0.1", 8080)));
    assertThat(all).containsExactly(new InetSocketAddress(LOCALHOST, 8080));
    LoopFuture<List<InetSocketAddress>> bad = loop.getaddrinfo("no-such-host.invalid", 1);
    assertThatThrownBy(() -> loop.runUntilComplete(bad))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("getaddrinfo(no-such-host.invalid, 1) failed");
  }
}
