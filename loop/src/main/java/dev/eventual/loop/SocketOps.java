package dev.eventual.loop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The loop's low-level socket operations, asyncio's {@code sock_recv}, {@code sock_recv_into},
 * {@code sock_sendall}, {@code sock_connect}, {@code sock_accept} and {@code getaddrinfo} ({@code
 * BaseSelectorEventLoop}), which {@link EventLoop} exposes. Each tries the operation at once; if
 * the channel is not ready it registers a reader or writer on the loop's selector ({@link
 * IoSelector}) that tries again each time the channel is ready, and a done-callback that removes
 * that reader or writer however the future ends (a result, an error, or a cancel).
 *
 * <p>One operation waits on a channel at a time per direction: where CPython's second {@code
 * sock_recv} replaces the first one's reader and leaves the first future pending for ever, these
 * refuse the second with an {@link IllegalStateException} and leave the first as it was. An
 * operation that has ended (cancelled, say) but whose reader is not yet removed is replaced, as in
 * CPython; so is a reader or writer added with {@code addReader}/{@code addWriter}.
 */
final class SocketOps {
  private SocketOps() {}

  static LoopFuture<byte[]> recv(EventLoop loop, SocketChannel channel, int n) {
    check(loop, channel, "sockRecv", true);
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    ByteBuffer buf = ByteBuffer.allocate(n);
    return operate(
        loop,
        channel,
        true,
        fut -> {
          int got = channel.read(buf);
          if (got == 0 && n > 0) {
            return; // not ready: try again when readable
          }
          byte[] data = new byte[buf.position()];
          buf.flip().get(data);
          fut.setResult(data);
        });
  }

  static LoopFuture<Integer> recvInto(EventLoop loop, SocketChannel channel, ByteBuffer buffer) {
    check(loop, channel, "sockRecvInto", true);
    Objects.requireNonNull(buffer, "buffer must not be null");
    if (buffer.isReadOnly()) {
      throw new IllegalArgumentException("buffer must be writable");
    }
    return operate(
        loop,
        channel,
        true,
        fut -> {
          int got = channel.read(buffer);
          if (got != 0 || !buffer.hasRemaining()) {
            fut.setResult(Math.max(got, 0));
          }
        });
  }

  static LoopFuture<Void> sendall(EventLoop loop, SocketChannel channel, ByteBuffer data) {
    check(loop, channel, "sockSendall", false);
    Objects.requireNonNull(data, "data must not be null");
    return operate(
        loop,
        channel,
        false,
        fut -> {
          while (data.hasRemaining()) {
            if (channel.write(data) == 0) {
              return; // the send buffer is full: go on when writable
            }
          }
          fut.setResult(null);
        });
  }

  static LoopFuture<Void> connect(EventLoop loop, SocketChannel channel, SocketAddress address) {
    check(loop, channel, "sockConnect", false);
    Objects.requireNonNull(address, "address must not be null");
    LoopFuture<Void> fut = loop.createFuture();
    if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
      // CPython resolves first (_ensure_resolved), through the default executor
      then(
          getaddrinfo(loop, inet.getHostString(), inet.getPort()),
          fut,
          all -> startConnect(loop, channel, all.get(0), fut));
    } else {
      startConnect(loop, channel, address, fut);
    }
    return fut;
  }

  private static void startConnect(
      EventLoop loop, SocketChannel channel, SocketAddress address, LoopFuture<Void> fut) {
    boolean[] started = {false};
    operate(
        loop,
        channel,
        false,
        fut,
        f -> {
          // the first attempt starts the connect; the later ones (when writable) finish it
          boolean connected = started[0] ? channel.finishConnect() : channel.connect(address);
          started[0] = true;
          if (connected) {
            f.setResult(null);
          }
        });
  }

  static LoopFuture<SocketChannel> accept(EventLoop loop, ServerSocketChannel channel) {
    check(loop, channel, "sockAccept", true);
    return operate(
        loop,
        channel,
        true,
        fut -> {
          SocketChannel conn = channel.accept();
          if (conn == null) {
            return;
          }
          try {
            conn.configureBlocking(false);
          } catch (IOException | RuntimeException e) {
            closeQuietly(conn, e);
            throw e;
          }
          fut.setResult(conn);
        });
  }

  static LoopFuture<List<InetSocketAddress>> getaddrinfo(EventLoop loop, String host, int port) {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port must be in 0..65535: " + port);
    }
    return loop.runInExecutor(
        () -> {
          InetAddress[] all;
          try {
            all = InetAddress.getAllByName(host);
          } catch (UnknownHostException e) {
            throw new UnknownHostException("getaddrinfo(" + host + ", " + port + ") failed: " + e);
          }
          List<InetSocketAddress> out = new ArrayList<>(all.length);
          for (InetAddress a : all) {
            out.add(new InetSocketAddress(a, port));
          }
          return List.copyOf(out);
        });
  }

  /**
   * The checks before an operation touches the channel: not closed, the loop's thread, a
   * non-blocking channel, and no reader (or writer) already waiting on it.
   */
  private static void check(
      EventLoop loop, SelectableChannel channel, String method, boolean reader) {
    Objects.requireNonNull(channel, "channel must not be null");
    loop.checkClosed();
    loop.checkThread(method);
    if (channel.isBlocking()) {
      throw new IllegalArgumentException("channel must be non-blocking: " + channel);
    }
    if (loop.io().operationWaits(channel, reader)) {
      throw new IllegalStateException(
          method
              + ": another operation already waits to "
              + (reader ? "read" : "write")
              + " this channel: "
              + channel);
    }
  }

  /**
   * When {@code first} succeeds, hands its result to {@code next}, which goes on towards {@code
   * result}; when it fails or is cancelled, so does {@code result}. Cancelling {@code result}
   * cancels {@code first}.
   */
  static <S, T> void then(LoopFuture<S> first, LoopFuture<T> result, Consumer<S> next) {
    first.addDoneCallback(
        f -> {
          if (result.isDone()) {
            return;
          }
          if (f.isCancelled()) {
            result.cancel();
          } else if (f.exception() != null) {
            result.setException(f.exception());
          } else {
            next.accept(f.result());
          }
        });
    result.addDoneCallback(
        r -> {
          if (r.isCancelled()) {
            first.cancel();
          }
        });
  }

  /** One try of an operation: sets the future's result when the operation is complete. */
  @FunctionalInterface
  private interface Step<T> {
    void tryOnce(LoopFuture<T> fut) throws IOException;
  }

  /** {@link #operate(EventLoop, SelectableChannel, boolean, LoopFuture, Step)} on a new future. */
  private static <T> LoopFuture<T> operate(
      EventLoop loop, SelectableChannel channel, boolean reader, Step<T> step) {
    LoopFuture<T> fut = loop.createFuture();
    operate(loop, channel, reader, fut, step);
    return fut;
  }

  /**
   * Tries {@code step} at once and, while {@code fut} is not done, each time the channel is ready
   * (as its reader or writer); an error of a try fails the future.
   */
  private static <T> void operate(
      EventLoop loop, SelectableChannel channel, boolean reader, LoopFuture<T> fut, Step<T> step) {
    Runnable attempt =
        () -> {
          if (fut.isDone()) {
            return; // a cancel can come between the readiness and this turn
          }
          try {
            step.tryOnce(fut);
          } catch (IOException | RuntimeException e) {
            fut.setException(e);
          }
        };
    attempt.run();
    if (!fut.isDone()) {
      waitFor(loop, channel, fut, attempt, reader);
    }
  }

  /** Registers {@code attempt} as the channel's reader or writer until {@code fut} is done. */
  private static void waitFor(
      EventLoop loop,
      SelectableChannel channel,
      LoopFuture<?> fut,
      Runnable attempt,
      boolean reader) {
    Handle handle = new Handle(loop, attempt, loop.scheduler.copyCurrentContext());
    loop.io().add(channel, handle, reader, fut);
    fut.addDoneCallback(
        f -> {
          if (!handle.isCancelled()) {
            loop.io().remove(channel, reader);
          }
        });
  }

  private static void closeQuietly(SocketChannel conn, Exception failure) {
    if (conn != null) {
      try {
        conn.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }
}
