package dev.eventual.examples;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.Server;
import dev.eventual.loop.StreamPair;
import dev.eventual.loop.StreamReader;
import dev.eventual.loop.StreamWriter;
import dev.eventual.loop.Task;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;

/**
 * The asyncio documentation's "TCP echo server using streams" and "TCP echo client using streams",
 * line by line, in one program: the server serves forever in a task on a free port of 127.0.0.1,
 * the client sends "Hello World!" and reads the echo, then the server's task is cancelled.
 */
public final class EchoStreams {
  private EchoStreams() {}

  /** {@code async def handle_echo(reader, writer)}. */
  static void handleEcho(StreamReader reader, StreamWriter writer, PrintStream out)
      throws IOException {
    byte[] data = reader.read(100);
    String message = new String(data, StandardCharsets.UTF_8);
    InetSocketAddress addr = (InetSocketAddress) writer.getExtraInfo("peername");
    out.println("Received '" + message + "' from " + addr.getAddress().getHostAddress());
    out.println("Send: '" + message + "'");
    writer.write(data);
    writer.drain();
    out.println("Close the connection");
    writer.close();
    writer.waitClosed();
  }

  /** {@code async def tcp_echo_client(message)}. */
  static void tcpEchoClient(String message, int port, PrintStream out) throws IOException {
    StreamPair s = Asyncio.openConnection("127.0.0.1", port);
    out.println("Send: '" + message + "'");
    s.writer().write(message.getBytes(StandardCharsets.UTF_8));
    s.writer().drain();
    byte[] data = s.reader().read(100);
    out.println("Received: '" + new String(data, StandardCharsets.UTF_8) + "'");
    out.println("Close the connection");
    s.writer().close();
    s.writer().waitClosed();
  }

  /**
   * Runs server and client, printing to {@code out}.
   *
   * @param out where to print
   */
  public static void run(PrintStream out) {
    Asyncio.run(
        () -> {
          Server server = Asyncio.startServer((r, w) -> handleEcho(r, w, out), "127.0.0.1", 0);
          InetSocketAddress address = (InetSocketAddress) server.sockets().get(0).getLocalAddress();
          out.println("Serving on " + address.getAddress().getHostAddress());
          Task<Void> serving =
              EventLoop.getRunningLoop()
                  .createTask(
                      () -> {
                        try (server) { // async with server: await server.serve_forever()
                          server.serveForever();
                        }
                        return null;
                      });
          tcpEchoClient("Hello World!", address.getPort(), out);
          serving.cancel();
          try {
            dev.eventual.loop.Await.await(serving);
          } catch (CancellationException expected) {
            out.println("Server stopped");
          }
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
