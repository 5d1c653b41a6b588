package dev.eventual.examples;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import dev.eventual.loop.Protocol;
import dev.eventual.loop.Server;
import dev.eventual.loop.Transport;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The asyncio documentation's "TCP Echo Server using protocols" and "TCP Echo Client protocol",
 * line by line, in one program: the server listens on a free port of 127.0.0.1, the client sends
 * "Hello World!", the server echoes it and closes the connection, the client sees the close.
 */
public final class EchoProtocols {
  private EchoProtocols() {}

  /** {@code class EchoServerProtocol(asyncio.Protocol)}. */
  static final class EchoServerProtocol implements Protocol {
    private final PrintStream out;
    private Transport transport;

    EchoServerProtocol(PrintStream out) {
      this.out = out;
    }

    @Override
    public void connectionMade(Transport transport) {
      InetSocketAddress peername = (InetSocketAddress) transport.getExtraInfo("peername");
      out.println("Connection from " + peername.getAddress().getHostAddress());
      this.transport = transport;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      String message = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
      out.println("Data received: " + message);
      out.println("Send: " + message);
      transport.write(data);
      out.println("Close the client socket");
      transport.close();
    }
  }

  /** {@code class EchoClientProtocol(asyncio.Protocol)}. */
  static final class EchoClientProtocol implements Protocol {
    private final String message;
    private final LoopFuture<Void> onConLost;
    private final PrintStream out;

    EchoClientProtocol(String message, LoopFuture<Void> onConLost, PrintStream out) {
      this.message = message;
      this.onConLost = onConLost;
      this.out = out;
    }

    @Override
    public void connectionMade(Transport transport) {
      transport.write(message.getBytes(StandardCharsets.UTF_8));
      out.println("Data sent: " + message);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      out.println("Data received: " + StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void connectionLost(Throwable exc) {
      out.println("The server closed the connection");
      onConLost.setResult(null);
    }
  }

  /**
   * Runs server and client, printing to {@code out}.
   *
   * @param out where to print
   */
  public static void run(PrintStream out) {
    Asyncio.run(
        () -> {
          EventLoop loop = EventLoop.getRunningLoop();
          Server server =
              await(loop.createServer(() -> new EchoServerProtocol(out), "127.0.0.1", 0));
          int port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
          try (server) {
            LoopFuture<Void> onConLost = loop.createFuture();
            String message = "Hello World!";
            var connection =
                await(
                    loop.createConnection(
                        () -> new EchoClientProtocol(message, onConLost, out), "127.0.0.1", port));
            // Wait until the protocol signals that the connection is lost and close the transport.
            try {
              await(onConLost);
            } finally {
              connection.transport().close();
            }
          }
          await(server.waitClosed());
          return null;
        });
  }

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }
}
