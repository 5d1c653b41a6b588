package dev.eventual.examples;

import com.sun.net.httpserver.HttpServer;
import dev.eventual.loop.Asyncio;
import dev.eventual.loop.StreamPair;
import dev.eventual.loop.StreamReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A small HTTP/1.1 GET written with streams, as the asyncio documentation's "Get HTTP headers"
 * example, against a local server (the JDK's {@code com.sun.net.httpserver.HttpServer} on
 * 127.0.0.1, a free port): the client sends the request line and headers, then reads the status
 * line, the headers up to the empty line, and a body of {@code Content-Length} bytes with {@code
 * readexactly}.
 */
public final class HttpGet {
  private HttpGet() {}

  /** What the local server answers to {@code GET /hello}. */
  static final String BODY = "Hello from the JDK's HttpServer, read with eventual's streams\n";

  /**
   * Fetches {@code path} from 127.0.0.1:{@code port} and prints the status, two headers and the
   * body.
   */
  static void get(int port, String path, PrintStream out) throws IOException {
    StreamPair s = Asyncio.openConnection("127.0.0.1", port);
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Connection: close\r\n"
            + "\r\n";
    s.writer().write(request.getBytes(StandardCharsets.US_ASCII));
    s.writer().drain();
    StreamReader reader = s.reader();
    out.println("HTTP status line: " + line(reader));
    int contentLength = -1;
    while (true) {
      String header = line(reader);
      if (header.isEmpty()) {
        break;
      }
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        contentLength = Integer.parseInt(value);
        out.println("HTTP header> Content-Length: " + value);
      } else if (name.equals("content-type")) {
        out.println("HTTP header> Content-Type: " + value);
      }
    }
    byte[] body = reader.readexactly(contentLength);
    out.print("Body: " + new String(body, StandardCharsets.UTF_8));
    s.writer().close();
    s.writer().waitClosed();
  }

  /** One header line without its CRLF. */
  private static String line(StreamReader reader) throws IOException {
    String l =
        new String(
            reader.readuntil("\r\n".getBytes(StandardCharsets.US_ASCII)),
            StandardCharsets.ISO_8859_1);
    return l.substring(0, l.length() - 2);
  }

  /**
   * Starts the local server, runs the GET in a task, stops the server; prints to {@code out}.
   *
   * @param out where to print
   * @throws UncheckedIOException if the local server cannot start
   */
  public static void run(PrintStream out) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/hello",
        exchange -> {
          byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream o = exchange.getResponseBody()) {
            o.write(body);
          }
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      Asyncio.run(
          () -> {
            get(port, "/hello", out);
            return null;
          });
    } finally {
      server.stop(0);
    }
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
