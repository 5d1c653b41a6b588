package dev.eventual.benchmarks.echo;

import dev.eventual.loop.BufferedProtocol;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.Protocol;
import dev.eventual.loop.StreamReader;
import dev.eventual.loop.StreamReaderProtocol;
import dev.eventual.loop.StreamWriter;
import dev.eventual.loop.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;

/**
 * One echo server of the echo benchmark, in a JVM of its own, on 127.0.0.1 and one thread where the
 * kind has a loop (as uvloop's and asyncio's servers have): prints {@code READY} once it listens,
 * then serves until killed.
 *
 * <p>Usage: {@code EchoServer kind port}, kind one of {@code eventual-protocol} (a {@link Protocol}
 * that writes back what {@code dataReceived} gets), {@code eventual-buffered} (a {@link
 * BufferedProtocol} with a buffer of its own), {@code eventual-streams} (a task per connection that
 * reads up to 64 KiB from a {@link StreamReader}, writes it and drains, as {@code echo_server.py}'s
 * streams twin), {@code netty-nio} (Netty's {@code NioEventLoop}, one thread, a handler that writes
 * back and flushes at the end of each read) and {@code vt-blocking} (JDK 21+: a virtual thread per
 * connection with blocking socket streams).
 */
public final class EchoServer {
  private EchoServer() {}

  /**
   * Runs the server.
   *
   * @param args kind port
   * @throws Exception if it cannot start
   */
  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int port = Integer.parseInt(args[1]);
    switch (kind) {
      case "eventual-protocol" -> eventual(port, false);
      case "eventual-buffered" -> eventual(port, true);
      case "eventual-streams" -> eventualStreams(port);
      case "netty-nio" -> netty(port);
      case "vt-blocking" -> virtualThreads(port);
      default -> throw new IllegalArgumentException("unknown kind: " + kind);
    }
  }

  private static void eventual(int port, boolean buffered) {
    EventLoop loop = new EventLoop();
    loop.runUntilComplete(
        loop.createServer(
            buffered ? BufferedEcho::new : ProtocolEcho::new, "127.0.0.1", port, 1024));
    System.out.println("READY");
    loop.runForever();
  }

  private static void eventualStreams(int port) {
    EventLoop loop = new EventLoop();
    loop.runUntilComplete(
        loop.createServer(
            () -> new StreamReaderProtocol(new StreamReader(), EchoServer::streamsEcho),
            "127.0.0.1",
            port,
            1024));
    System.out.println("READY");
    loop.runForever();
  }

  /** {@code echo_server.py}'s {@code handle(reader, writer)}. */
  static void streamsEcho(StreamReader reader, StreamWriter writer) throws IOException {
    try {
      while (true) {
        byte[] data = reader.read(65536);
        if (data.length == 0) {
          break;
        }
        writer.write(data);
        writer.drain();
      }
    } finally {
      writer.close();
    }
  }

  /** Writes back each read as it comes. */
  static final class ProtocolEcho implements Protocol {
    private Transport transport;

    @Override
    public void connectionMade(Transport t) {
      transport = t;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      transport.write(data);
    }
  }

  /** Reads into a buffer of its own and writes it back. */
  static final class BufferedEcho implements BufferedProtocol {
    private final ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
    private Transport transport;

    @Override
    public void connectionMade(Transport t) {
      transport = t;
    }

    @Override
    public ByteBuffer getBuffer(int sizeHint) {
      return buf.clear();
    }

    @Override
    public void bufferUpdated(int nbytes) {
      transport.write(buf.flip());
    }
  }

  private static void netty(int port) throws InterruptedException {
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new NettyEcho())
        .bind("127.0.0.1", port)
        .sync();
    System.out.println("READY");
  }

  /** Netty's echo handler, shared by every connection. */
  @ChannelHandler.Sharable
  static final class NettyEcho extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }

  private static void virtualThreads(int port) throws Exception {
    ExecutorService perTask =
        (ExecutorService)
            java.util.concurrent.Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
    ServerSocket server = new ServerSocket(port, 1024, InetAddress.getByName("127.0.0.1"));
    System.out.println("READY");
    while (true) {
      Socket s = server.accept();
      s.setTcpNoDelay(true);
      perTask.execute(() -> echoBlocking(s));
    }
  }

  private static void echoBlocking(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // the load generator closed the connection
    }
  }
}
