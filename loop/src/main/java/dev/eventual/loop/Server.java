package dev.eventual.loop;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * A listening server made by {@link EventLoop#createServer}: asyncio's {@code Server}. Each
 * accepted connection gets a new protocol from the factory and a {@link Transport}.
 *
 * <pre>
 *   field      changes                                    meaning
 *   sockets    list -> null (close)                       null: closed, accepts no more
 *   serving    false -> true (startServing),              the sockets have readers
 *              -> false (close)
 *   clients    attach adds, detach removes                the connections still open
 *   waiters    list -> null once closed and no client     null: waitClosed is done at once
 *              is left (wakeup)
 * </pre>
 *
 * <p>All methods belong to the loop's thread (or a task's code).
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code async with server:} is {@code try (server) { ... }} in a task, followed by {@code
 *       Await.await(server.waitClosed())} where Python's exit awaits it.
 *   <li>{@code sockets} are the {@link ServerSocketChannel}s themselves.
 * </ul>
 */
public final class Server implements AutoCloseable {
  private final EventLoop loop;
  private List<ServerSocketChannel> sockets;
  private final Supplier<? extends BaseProtocol> protocolFactory;
  private final int backlog;
  private boolean serving;
  private final Set<SelectorTransport<?, ?, ?>> clients = new LinkedHashSet<>();
  private List<LoopFuture<Void>> waiters = new ArrayList<>();
  private LoopFuture<Void> servingForever;
  private Runnable afterClose; // a Unix server's socket file clean-up

  Server(
      EventLoop loop,
      List<ServerSocketChannel> sockets,
      Supplier<? extends BaseProtocol> protocolFactory,
      int backlog) {
    this.loop = loop;
    this.sockets = sockets;
    this.protocolFactory = protocolFactory;
    this.backlog = backlog;
  }

  /** Runs {@code cleanUp} once the listening sockets are closed (a Unix server's file). */
  void afterClose(Runnable cleanUp) {
    afterClose = cleanUp;
  }

  void attach(SelectorTransport<?, ?, ?> transport) {
    clients.add(transport);
  }

  void detach(SelectorTransport<?, ?, ?> transport) {
    clients.remove(transport);
    if (clients.isEmpty() && sockets == null) {
      wakeup();
    }
  }

  private void wakeup() {
    List<LoopFuture<Void>> w = waiters;
    waiters = null;
    if (w != null) {
      for (LoopFuture<Void> f : w) {
        if (!f.isDone()) {
          f.setResult(null);
        }
      }
    }
  }

  /**
   * The loop the server runs on: asyncio's {@code get_loop()}.
   *
   * @return the loop
   */
  public EventLoop getLoop() {
    return loop;
  }

  /**
   * The listening sockets: asyncio's {@code sockets}.
   *
   * @return the channels; empty once closed
   */
  public List<ServerSocketChannel> sockets() {
    return sockets == null ? List.of() : List.copyOf(sockets);
  }

  /**
   * Whether the server accepts connections: asyncio's {@code is_serving()}.
   *
   * @return true between {@link #startServing()} and {@link #close()}
   */
  public boolean isServing() {
    return serving;
  }

  /**
   * Starts accepting connections (the server made by {@code createServer} already does): asyncio's
   * {@code start_serving()}. Does nothing when serving or closed.
   */
  public void startServing() {
    if (serving || sockets == null) {
      return;
    }
    serving = true;
    for (ServerSocketChannel s : sockets) {
      loop.addReader(s, () -> acceptConnections(s));
    }
  }

  private void acceptConnections(ServerSocketChannel listener) {
    for (int i = 0; i < backlog; i++) {
      SocketChannel conn;
      try {
        conn = listener.accept();
        if (conn == null) {
          return;
        }
        conn.configureBlocking(false);
      } catch (IOException e) {
        loop.callExceptionHandler(
            new ExceptionContext("socket.accept() out of system resource", e, null, null));
        return;
      }
      BaseProtocol protocol;
      try {
        protocol = protocolFactory.get();
        new SocketTransport(loop, conn, protocol, null, this);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        try {
          conn.close();
        } catch (IOException closeFailed) {
          t.addSuppressed(closeFailed);
        }
        loop.callExceptionHandler(
            new ExceptionContext(
                "Error on transport creation for incoming connection", t, null, null));
      }
    }
  }

  /**
   * Stops listening and closes the listening sockets; open connections stay open: asyncio's {@code
   * close()}. Closing again does nothing.
   */
  @Override
  public void close() {
    List<ServerSocketChannel> s = sockets;
    if (s == null) {
      return;
    }
    sockets = null;
    for (ServerSocketChannel listener : s) {
      if (!loop.isClosed()) {
        loop.removeReader(listener);
      }
      try {
        listener.close();
      } catch (IOException e) {
        loop.callExceptionHandler(new ExceptionContext("closing " + listener + " failed", e));
      }
    }
    serving = false;
    if (afterClose != null) {
      afterClose.run();
    }
    if (servingForever != null && !servingForever.isDone()) {
      servingForever.cancel();
      servingForever = null;
    }
    if (clients.isEmpty()) {
      wakeup();
    }
  }

  /**
   * Closes every open connection (each after its queued writes): asyncio's {@code close_clients()}
   * (3.13).
   */
  public void closeClients() {
    for (SelectorTransport<?, ?, ?> t : List.copyOf(clients)) {
      t.close();
    }
  }

  /**
   * Closes every open connection now, dropping queued writes: asyncio's {@code abort_clients()}.
   */
  public void abortClients() {
    for (SelectorTransport<?, ?, ?> t : List.copyOf(clients)) {
      t.abort();
    }
  }

  /**
   * A future that is done once the server is closed and its last connection is gone: asyncio's
   * {@code wait_closed()} (3.12.1 semantics: it waits for the close, too).
   *
   * @return the future; done already when that happened before
   */
  public LoopFuture<Void> waitClosed() {
    LoopFuture<Void> f = loop.createFuture();
    if (waiters == null) {
      f.setResult(null);
    } else {
      waiters.add(f);
    }
    return f;
  }

  /**
   * Serves until the calling task is cancelled, then closes the server and waits until it is
   * closed: asyncio's {@code serve_forever()}. Call it from a task's code.
   *
   * @throws IllegalStateException if the server is closed, another task already serves forever, or
   *     it is called outside a task
   * @throws CancellationException when the task is cancelled (after the close)
   */
  public void serveForever() {
    if (servingForever != null) {
      throw new IllegalStateException(
          "server " + this + " is already being awaited on serveForever()");
    }
    if (sockets == null) {
      throw new IllegalStateException("server " + this + " is closed");
    }
    Task.require("serveForever()");
    startServing();
    LoopFuture<Void> forever = loop.createFuture();
    servingForever = forever;
    try {
      Await.await(forever);
    } catch (CancellationException e) {
      close();
      try {
        Await.await(waitClosed());
      } catch (CancellationException again) {
        e.addSuppressed(again);
      }
      throw e;
    } finally {
      if (servingForever == forever) {
        servingForever = null;
      }
    }
  }

  @Override
  public String toString() {
    return "Server[" + (sockets == null ? "closed" : "sockets=" + sockets) + "]";
  }
}
