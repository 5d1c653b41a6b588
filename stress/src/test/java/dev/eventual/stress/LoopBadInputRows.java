package dev.eventual.stress;

import dev.eventual.ConcurrentFuture;
import dev.eventual.loop.Asyncio;
import dev.eventual.loop.Await;
import dev.eventual.loop.DatagramEndpoint;
import dev.eventual.loop.DatagramProtocol;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import dev.eventual.loop.Protocol;
import dev.eventual.loop.StreamReader;
import dev.eventual.loop.SubprocessConnection;
import dev.eventual.loop.SubprocessProtocol;
import dev.eventual.loop.SubprocessRedirect;
import dev.eventual.loop.TaskGroup;
import dev.eventual.loop.TimerHandle;
import java.net.InetSocketAddress;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The loop's rows of the bad-input table ({@link BadInputTableTest} runs and renders them): {@link
 * EventLoop}, {@link LoopFuture}, {@link Asyncio}, {@link Await} and {@link TaskGroup} called with
 * {@code null}, a negative delay, a closed loop, a pending or done future, or outside a task; and a
 * callback that blocks.
 */
final class LoopBadInputRows {
  private LoopBadInputRows() {}

  private static final Runnable NOOP = () -> {};

  private static Callable<Object> openLoop() {
    return EventLoop::new;
  }

  private static Callable<Object> closedLoop() {
    return () -> {
      EventLoop loop = new EventLoop();
      loop.close();
      return loop;
    };
  }

  /**
   * A loop with one reader on a pipe (so that its description counts the readers and writers a bad
   * call must leave as they were) and the non-blocking socket and blocking pipe the rows pass.
   */
  private static Callable<Object> ioLoop() {
    return () -> {
      EventLoop loop = new EventLoop();
      Pipe pipe = Pipe.open();
      pipe.source().configureBlocking(false);
      loop.addReader(pipe.source(), NOOP);
      return loop;
    };
  }

  private static SocketChannel nonBlockingSocket() throws Exception {
    SocketChannel ch = SocketChannel.open();
    ch.configureBlocking(false);
    return ch;
  }

  private static Callable<Object> pendingFuture() {
    return () -> new EventLoop().createFuture();
  }

  private static Callable<Object> finishedFuture() {
    return () -> {
      LoopFuture<Object> f = new EventLoop().createFuture();
      f.setResult(42);
      return f;
    };
  }

  private static EventLoop l(Object o) {
    return (EventLoop) o;
  }

  @SuppressWarnings("unchecked")
  private static LoopFuture<Object> f(Object o) {
    return (LoopFuture<Object>) o;
  }

  private static BadInputTableTest.Row row(
      String call,
      String input,
      String expected,
      Callable<Object> subject,
      BadInputTableTest.Action action) {
    return new BadInputTableTest.Row(call, input, expected, subject, action);
  }

  static List<BadInputTableTest.Row> rows() {
    String closed = "IllegalStateException: Event loop is closed";
    String npeCallback = "NullPointerException: callback must not be null";
    String outsideTask =
        " must be called inside a task (EventLoop.createTask, Asyncio.run): a plain thread or a"
            + " loop callback cannot suspend";
    List<BadInputTableTest.Row> r = new ArrayList<>();
    // EventLoop: scheduling
    r.add(row("loop.callSoon(fn)", "null", npeCallback, openLoop(), s -> l(s).callSoon(null)));
    r.add(row("loop.callSoon(fn)", "closed loop", closed, closedLoop(), s -> l(s).callSoon(NOOP)));
    r.add(
        row(
            "loop.callSoonThreadsafe(fn)",
            "null",
            npeCallback,
            openLoop(),
            s -> l(s).callSoonThreadsafe(null)));
    r.add(
        row(
            "loop.callSoonThreadsafe(fn)",
            "closed loop",
            closed,
            closedLoop(),
            s -> l(s).callSoonThreadsafe(NOOP)));
    r.add(
        row(
            "loop.callLater(delay, fn)",
            "delay null",
            "NullPointerException: delay must not be null",
            openLoop(),
            s -> l(s).callLater(null, NOOP)));
    r.add(
        row(
            "loop.callLater(delay, fn)",
            "fn null",
            npeCallback,
            openLoop(),
            s -> l(s).callLater(Duration.ofSeconds(1), null)));
    r.add(
        row(
            "loop.callLater(delay, fn)",
            "-1 s",
            "returns a timer due at once (as asyncio)",
            openLoop(),
            s -> {
              TimerHandle t = l(s).callLater(Duration.ofSeconds(-1), NOOP);
              return t.whenNanos() <= l(s).timeNanos() ? "a timer due at once (as asyncio)" : t;
            }));
    r.add(
        row(
            "loop.callLater(delay, fn)",
            "closed loop",
            closed,
            closedLoop(),
            s -> l(s).callLater(Duration.ofSeconds(1), NOOP)));
    r.add(
        row(
            "loop.callAt(when, fn)",
            "NaN",
            "IllegalArgumentException: when must not be NaN",
            openLoop(),
            s -> l(s).callAt(Double.NaN, NOOP)));
    r.add(
        row(
            "loop.callAt(when, fn)",
            "fn null",
            npeCallback,
            openLoop(),
            s -> l(s).callAt(1, null)));
    r.add(
        row(
            "loop.callAt(when, fn)",
            "-1 (in the past)",
            "returns a timer due at once (as asyncio)",
            openLoop(),
            s -> {
              TimerHandle t = l(s).callAt(-1, NOOP);
              return t.whenNanos() <= l(s).timeNanos() ? "a timer due at once (as asyncio)" : t;
            }));
    r.add(
        row(
            "loop.callAt(when, fn)",
            "closed loop",
            closed,
            closedLoop(),
            s -> l(s).callAt(1, NOOP)));
    // EventLoop: running and closing
    r.add(
        row(
            "loop.runForever()",
            "closed loop",
            closed,
            closedLoop(),
            s -> {
              l(s).runForever();
              return null;
            }));
    r.add(
        row(
            "loop.runUntilComplete(f)",
            "null",
            "NullPointerException: future must not be null",
            openLoop(),
            s -> l(s).runUntilComplete(null)));
    r.add(
        row(
            "loop.runUntilComplete(f)",
            "future of another loop",
            "IllegalArgumentException: The future belongs to a different loop than the one specified:"
                + " LoopFuture@hash[PENDING]",
            openLoop(),
            s -> {
              try (EventLoop other = new EventLoop()) {
                return l(s).runUntilComplete(other.createFuture());
              }
            }));
    r.add(
        row(
            "loop.close()",
            "closed loop",
            "returns (idempotent)",
            closedLoop(),
            s -> {
              l(s).close();
              return "(idempotent)";
            }));
    r.add(
        row(
            "loop.createTask(body)",
            "null",
            "NullPointerException: body must not be null",
            openLoop(),
            s -> l(s).createTask(null)));
    r.add(
        row(
            "loop.createTask(body)",
            "closed loop",
            closed,
            closedLoop(),
            s -> l(s).createTask(() -> 1)));
    r.add(
        row(
            "EventLoop.getRunningLoop()",
            "no loop running",
            "IllegalStateException: no running event loop",
            openLoop(),
            s -> EventLoop.getRunningLoop()));
    // LoopFuture
    r.add(
        row(
            "loopFuture.result()",
            "PENDING",
            "InvalidStateException: Result is not ready.",
            pendingFuture(),
            s -> f(s).result()));
    r.add(
        row(
            "loopFuture.exception()",
            "PENDING",
            "InvalidStateException: Exception is not set.",
            pendingFuture(),
            s -> f(s).exception()));
    r.add(
        row(
            "loopFuture.setResult(v)",
            "FINISHED",
            "InvalidStateException: FINISHED: LoopFuture@hash[FINISHED returned 42]",
            finishedFuture(),
            s -> {
              f(s).setResult(1);
              return null;
            }));
    r.add(
        row(
            "loopFuture.setException(e)",
            "null",
            "NullPointerException: exception must not be null",
            pendingFuture(),
            s -> {
              f(s).setException(null);
              return null;
            }));
    r.add(
        row(
            "loopFuture.setException(e)",
            "FINISHED",
            "InvalidStateException: FINISHED: LoopFuture@hash[FINISHED returned 42]",
            finishedFuture(),
            s -> {
              f(s).setException(new RuntimeException());
              return null;
            }));
    r.add(
        row(
            "loopFuture.cancel()",
            "FINISHED",
            "returns false",
            finishedFuture(),
            s -> f(s).cancel()));
    r.add(
        row(
            "loopFuture.addDoneCallback(fn)",
            "null",
            npeCallback,
            pendingFuture(),
            s -> {
              f(s).addDoneCallback(null);
              return null;
            }));
    r.add(
        row(
            "loopFuture.addDoneCallback(fn)",
            "FINISHED, closed loop",
            closed,
            () -> {
              LoopFuture<Object> fut = (LoopFuture<Object>) finishedFuture().call();
              fut.getLoop().close();
              return fut;
            },
            s -> {
              f(s).addDoneCallback(x -> {});
              return null;
            }));
    // outside a task
    r.add(
        row(
            "Asyncio.sleep(delay)",
            "outside a task",
            "IllegalStateException: Asyncio.sleep()" + outsideTask,
            openLoop(),
            s -> {
              Asyncio.sleep(Duration.ZERO);
              return null;
            }));
    r.add(
        row(
            "Asyncio.waitFor(f, timeout)",
            "outside a task",
            "IllegalStateException: Asyncio.waitFor()" + outsideTask,
            pendingFuture(),
            s -> Asyncio.waitFor(f(s), Duration.ofSeconds(1))));
    r.add(
        row(
            "TaskGroup.run(body)",
            "outside a task",
            "IllegalStateException: TaskGroup.run()" + outsideTask,
            openLoop(),
            s -> TaskGroup.run(g -> 1)));
    r.add(
        row(
            "Await.await(f)",
            "outside a task",
            "IllegalStateException: await()" + outsideTask,
            pendingFuture(),
            s -> Await.await(f(s))));
    r.add(
        row(
            "Asyncio.wrapFuture(f, loop)",
            "f null",
            "NullPointerException: future must not be null",
            openLoop(),
            s -> Asyncio.wrapFuture(null, l(s))));
    r.add(
        row(
            "Asyncio.wrapFuture(f, loop)",
            "loop null",
            "NullPointerException: loop must not be null",
            openLoop(),
            s -> Asyncio.wrapFuture(new ConcurrentFuture<>(), null)));
    r.add(
        row(
            "Asyncio.wrapFuture(f)",
            "no loop running",
            "IllegalStateException: no running event loop",
            openLoop(),
            s -> Asyncio.wrapFuture(new ConcurrentFuture<>())));
    // callbacks that block
    r.add(
        row(
            "future.addDoneCallback(fn)",
            "fn blocks, completed from another thread",
            "returns setResult returned once the blocking callback did; 3 of 3 callbacks ran",
            openLoop(),
            s -> blockingConcurrentCallback()));
    r.add(
        row(
            "loop callback calling future.result()",
            "on the loop's thread",
            "IllegalStateException: Blocking wait for ConcurrentFuture@hash[PENDING] on thread 'main' of"
                + " EventLoop@hash[running=true closed=false debug=false]: it would deadlock; wait without"
                + " blocking instead (a callback, or await in a task)",
            openLoop(),
            s -> blockingInLoop(l(s))));
    ioRows(r);
    tlsRows(r);
    datagramAndSubprocessRows(r, outsideTask);
    streamRows(r, outsideTask);
    streamTlsRows(r, outsideTask);
    return r;
  }

  /** The loop's I/O: readers, socket calls, connections and servers. */
  private static void ioRows(List<BadInputTableTest.Row> r) {
    r.add(
        row(
            "loop.addReader(channel, fn)",
            "channel null",
            "NullPointerException: channel must not be null",
            ioLoop(),
            s -> {
              l(s).addReader(null, NOOP);
              return null;
            }));
    r.add(
        row(
            "loop.addReader(channel, fn)",
            "blocking channel",
            "IllegalArgumentException: channel must be non-blocking",
            ioLoop(),
            s -> {
              try (SocketChannel blocking = SocketChannel.open()) {
                l(s).addReader(blocking, NOOP);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replaceAll(":.*", ""));
              }
              return null;
            }));
    r.add(
        row(
            "loop.addWriter(channel, fn)",
            "fn null",
            "NullPointerException: callback must not be null",
            ioLoop(),
            s -> {
              try (SocketChannel ch = nonBlockingSocket()) {
                l(s).addWriter(ch, null);
              }
              return null;
            }));
    r.add(
        row(
            "loop.sockRecv(channel, n)",
            "n = -1",
            "IllegalArgumentException: n must not be negative: -1",
            ioLoop(),
            s -> {
              try (SocketChannel ch = nonBlockingSocket()) {
                return l(s).sockRecv(ch, -1);
              }
            }));
    r.add(
        row(
            "loop.sockConnect(channel, address)",
            "address null",
            "NullPointerException: address must not be null",
            ioLoop(),
            s -> {
              try (SocketChannel ch = nonBlockingSocket()) {
                return l(s).sockConnect(ch, null);
              }
            }));
    r.add(
        row(
            "loop.getaddrinfo(host, port)",
            "port 70000",
            "IllegalArgumentException: port must be in 0..65535: 70000",
            ioLoop(),
            s -> l(s).getaddrinfo("127.0.0.1", 70_000)));
    r.add(
        row(
            "loop.createConnection(factory, host, port)",
            "factory null",
            "NullPointerException: protocolFactory must not be null",
            ioLoop(),
            s -> l(s).createConnection(null, "127.0.0.1", 1)));
    r.add(
        row(
            "loop.createServer(factory, host, port, backlog)",
            "backlog 0",
            "IllegalArgumentException: backlog must be positive: 0",
            ioLoop(),
            s -> l(s).createServer(() -> new Protocol() {}, "127.0.0.1", 0, 0)));
    r.add(
        row(
            "loop.sockRecv(channel, n)",
            "closed loop",
            closedIo(),
            closedLoop(),
            s -> {
              try (SocketChannel ch = nonBlockingSocket()) {
                return l(s).sockRecv(ch, 1);
              }
            }));
  }

  /**
   * Datagram endpoints and subprocesses (#18): each row cleans up what it opened before it ends.
   */
  private static void datagramAndSubprocessRows(List<BadInputTableTest.Row> r, String outsideTask) {
    r.add(
        row(
            "loop.createDatagramEndpoint(factory, localAddr, remoteAddr)",
            "both addresses null",
            "IllegalArgumentException: unexpected address family: localAddr and remoteAddr are both"
                + " null and no family given",
            ioLoop(),
            s -> l(s).createDatagramEndpoint(() -> new DatagramProtocol() {}, null, null)));
    r.add(
        row(
            "loop.createDatagramEndpoint(factory, localAddr, remoteAddr)",
            "factory null",
            "NullPointerException: protocolFactory must not be null",
            ioLoop(),
            s -> l(s).createDatagramEndpoint(null, new InetSocketAddress("127.0.0.1", 0), null)));
    r.add(
        row(
            "datagramTransport.sendto(data, addr)",
            "another address than the connected one",
            "IllegalArgumentException: Invalid address: must be null or /127.0.0.1:9, not"
                + " /127.0.0.1:10",
            ioLoop(),
            s -> {
              EventLoop loop = l(s);
              LoopFuture<Void> closed = loop.createFuture();
              DatagramEndpoint<DatagramProtocol> e =
                  loop.runUntilComplete(
                      loop.createDatagramEndpoint(
                          () ->
                              new DatagramProtocol() {
                                @Override
                                public void connectionLost(Throwable exc) {
                                  closed.setResult(null);
                                }
                              },
                          null,
                          new InetSocketAddress("127.0.0.1", 9)));
              try {
                e.transport().sendto(new byte[1], new InetSocketAddress("127.0.0.1", 10));
                return null;
              } finally {
                e.transport().close();
                loop.runUntilComplete(closed);
              }
            }));
    r.add(
        row(
            "loop.subprocessExec(factory, args)",
            "args empty",
            "IllegalArgumentException: args must name a program",
            ioLoop(),
            s -> l(s).subprocessExec(() -> new SubprocessProtocol() {}, List.of())));
    r.add(
        row(
            "loop.subprocessExec(factory, args, stdin, stdout, stderr)",
            "stdin STDOUT",
            "IllegalArgumentException: stdin cannot be STDOUT",
            ioLoop(),
            s ->
                l(s).subprocessExec(
                        () -> new SubprocessProtocol() {},
                        List.of("cat"),
                        SubprocessRedirect.STDOUT,
                        SubprocessRedirect.PIPE,
                        SubprocessRedirect.PIPE)));
    r.add(
        row(
            "subprocessTransport.sendSignal(signal)",
            "SIGINT (2)",
            "IllegalArgumentException: signal must be 15 (SIGTERM) or 9 (SIGKILL), the only ones"
                + " the JDK sends: 2",
            ioLoop(),
            s -> {
              EventLoop loop = l(s);
              LoopFuture<Void> finished = loop.createFuture();
              SubprocessConnection<SubprocessProtocol> c =
                  loop.runUntilComplete(
                      loop.subprocessExec(
                          () ->
                              new SubprocessProtocol() {
                                @Override
                                public void connectionLost(Throwable exc) {
                                  finished.setResult(null);
                                }
                              },
                          List.of("cat")));
              try {
                c.transport().sendSignal(2);
                return null;
              } finally {
                c.transport().close();
                loop.runUntilComplete(finished);
              }
            }));
    r.add(
        row(
            "Asyncio.createSubprocessExec(args, stdin, stdout, stderr)",
            "outside a task",
            "IllegalStateException: Asyncio.createSubprocessExec()" + outsideTask,
            openLoop(),
            s ->
                Asyncio.createSubprocessExec(
                    List.of("cat"),
                    SubprocessRedirect.PIPE,
                    SubprocessRedirect.PIPE,
                    SubprocessRedirect.PIPE)));
  }

  // ---------------------------------------------------------------- streams and Unix sockets

  /** A reader holding three bytes: its description shows what a bad call must leave as it was. */
  private static Callable<Object> readerWithBytes() {
    return () -> {
      StreamReader reader = new StreamReader();
      reader.feedData(new byte[] {'a', 'b', 'c'});
      return reader;
    };
  }

  private static StreamReader reader(Object o) {
    return (StreamReader) o;
  }

  /** Streams ({@code StreamReader}, {@code Asyncio.openConnection}...) and Unix domain sockets. */
  private static void streamRows(List<BadInputTableTest.Row> r, String outsideTask) {
    r.add(
        row(
            "new StreamReader(limit)",
            "limit 0",
            "IllegalArgumentException: Limit cannot be <= 0: limit 0",
            readerWithBytes(),
            s -> new StreamReader(0)));
    r.add(
        row(
            "reader.readexactly(n)",
            "n = -1",
            "IllegalArgumentException: readexactly size can not be less than zero: n -1",
            readerWithBytes(),
            s -> reader(s).readexactly(-1)));
    r.add(
        row(
            "reader.readuntil(separators)",
            "an empty separator",
            "IllegalArgumentException: Separator should be at least one-byte string",
            readerWithBytes(),
            s -> reader(s).readuntil(new byte[0])));
    r.add(
        row(
            "reader.readline()",
            "no line buffered, outside a task",
            "IllegalStateException: StreamReader.readline()" + outsideTask,
            readerWithBytes(),
            s -> reader(s).readline()));
    r.add(
        row(
            "reader.feedData(bytes)",
            "after feedEof",
            "IllegalStateException: feed_data after feed_eof",
            () -> {
              StreamReader reader = new StreamReader();
              reader.feedEof();
              return reader;
            },
            s -> {
              reader(s).feedData(new byte[] {1});
              return null;
            }));
    r.add(
        row(
            "Asyncio.openConnection(host, port)",
            "outside a task",
            "IllegalStateException: Asyncio.openConnection()" + outsideTask,
            ioLoop(),
            s -> Asyncio.openConnection("127.0.0.1", 1)));
    r.add(
        row(
            "Asyncio.openConnection(host, port, limit)",
            "limit 0",
            "IllegalArgumentException: limit must be positive (Limit cannot be <= 0): 0",
            ioLoop(),
            s -> Asyncio.openConnection("127.0.0.1", 1, 0)));
    r.add(
        row(
            "Asyncio.startServer(clientConnected, host, port)",
            "clientConnected null",
            "NullPointerException: clientConnected must not be null",
            ioLoop(),
            s -> Asyncio.startServer(null, "127.0.0.1", 0)));
    r.add(
        row(
            "loop.createUnixServer(factory, path, backlog)",
            "backlog 0",
            "IllegalArgumentException: backlog must be positive: 0",
            ioLoop(),
            s ->
                l(s).createUnixServer(
                        () -> new Protocol() {}, java.nio.file.Path.of("never-made.sock"), 0)));
    r.add(
        row(
            "loop.createUnixConnection(factory, path)",
            "path null",
            "NullPointerException: path must not be null",
            ioLoop(),
            s -> l(s).createUnixConnection(() -> new Protocol() {}, null)));
  }

  private static String closedIo() {
    return "IllegalStateException: Event loop is closed";
  }

  /**
   * Three callbacks on a thread-safe future, the first blocking until released: the completing
   * thread stays inside {@code setResult} meanwhile, and the other two still run after it.
   */
  private static String blockingConcurrentCallback() throws Exception {
    ConcurrentFuture<Integer> fut = new ConcurrentFuture<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    fut.addDoneCallback(
        x -> {
          entered.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ran.incrementAndGet();
        });
    fut.addDoneCallback(x -> ran.incrementAndGet());
    fut.addDoneCallback(x -> ran.incrementAndGet());
    Thread completer = new Thread(() -> fut.setResult(1), "completer");
    completer.start();
    if (!entered.await(10, TimeUnit.SECONDS)) {
      return "the blocking callback never ran";
    }
    completer.join(50);
    boolean delayed = completer.isAlive() && ran.get() == 0;
    release.countDown();
    completer.join(10_000);
    return (delayed ? "setResult returned once the blocking callback did" : "not delayed")
        + "; "
        + ran.get()
        + " of 3 callbacks ran";
  }

  /**
   * A loop callback that calls a blocking method of a pending thread-safe future: refused at once
   * (it would block the loop, and every other callback and task with it).
   */
  private static Object blockingInLoop(EventLoop loop) {
    ConcurrentFuture<Integer> pending = new ConcurrentFuture<>();
    AtomicReference<Object> got = new AtomicReference<>();
    loop.callSoon(
        () -> {
          try {
            got.set(pending.result(Duration.ofMillis(100)));
          } catch (RuntimeException e) {
            got.set(e);
          }
        });
    loop.callSoon(loop::stop);
    loop.runForever();
    if (got.get() instanceof RuntimeException) {
      throw (RuntimeException) got.get(); // what the callback got, for the table
    }
    return got.get();
  }

  // ---------------------------------------------------------------- TLS (#18)

  /** A context made but never initialized: SSLContext.init was not called. */
  private static javax.net.ssl.SSLContext uninitializedContext() {
    try {
      return javax.net.ssl.SSLContext.getInstance("TLS");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A transport that is not the loop's TCP transport (what startTls cannot upgrade). */
  private static dev.eventual.loop.Transport foreignTransport() {
    return (dev.eventual.loop.Transport)
        java.lang.reflect.Proxy.newProxyInstance(
            LoopBadInputRows.class.getClassLoader(),
            new Class<?>[] {dev.eventual.loop.Transport.class},
            (proxy, method, args) ->
                method.getName().equals("toString") ? "ForeignTransport" : null);
  }

  /**
   * A stream writer over a transport that only answers {@code isClosing} (and its name): a client's
   * writer, or a stream server's ({@code serverSide}).
   */
  private static Callable<Object> writer(boolean closing, boolean serverSide) {
    return () -> {
      dev.eventual.loop.Transport t =
          (dev.eventual.loop.Transport)
              java.lang.reflect.Proxy.newProxyInstance(
                  LoopBadInputRows.class.getClassLoader(),
                  new Class<?>[] {dev.eventual.loop.Transport.class},
                  (proxy, method, args) ->
                      switch (method.getName()) {
                        case "toString" -> closing ? "ClosingTransport" : "PlainTransport";
                        case "isClosing" -> closing;
                        default -> null;
                      });
      StreamReader reader = new StreamReader();
      dev.eventual.loop.StreamReaderProtocol protocol =
          serverSide
              ? new dev.eventual.loop.StreamReaderProtocol(reader, (r, w) -> {})
              : new dev.eventual.loop.StreamReaderProtocol(reader);
      return new dev.eventual.loop.StreamWriter(t, protocol, reader);
    };
  }

  private static dev.eventual.loop.StreamWriter w(Object o) {
    return (dev.eventual.loop.StreamWriter) o;
  }

  /** {@code StreamWriter.startTls}: each bad argument is refused before the writer drains. */
  private static void streamTlsRows(List<BadInputTableTest.Row> r, String outsideTask) {
    String call = "writer.startTls(sslContext, serverHostname, sslHandshakeTimeout)";
    r.add(
        row(
            call,
            "sslContext null",
            "NullPointerException: sslContext must not be null",
            writer(false, false),
            s -> {
              w(s).startTls(null, "h", null);
              return null;
            }));
    r.add(
        row(
            call,
            "sslHandshakeTimeout -1 s",
            "IllegalArgumentException: sslHandshakeTimeout must be positive: PT-1S",
            writer(false, false),
            s -> {
              w(s).startTls(
                      javax.net.ssl.SSLContext.getDefault(), "h", java.time.Duration.ofSeconds(-1));
              return null;
            }));
    r.add(
        row(
            call,
            "a client's writer, serverHostname null",
            "IllegalArgumentException: serverHostname must be given for a client (\"\" turns"
                + " hostname verification off)",
            writer(false, false),
            s -> {
              w(s).startTls(javax.net.ssl.SSLContext.getDefault(), null, null);
              return null;
            }));
    r.add(
        row(
            call,
            "a server's writer, serverHostname \"h\"",
            "IllegalArgumentException: serverHostname must be null on a server's connection: h",
            writer(false, true),
            s -> {
              w(s).startTls(javax.net.ssl.SSLContext.getDefault(), "h", null);
              return null;
            }));
    r.add(
        row(
            call,
            "a closing writer",
            "IllegalStateException: startTls() on a closing writer: ClosingTransport",
            writer(true, false),
            s -> {
              w(s).startTls(javax.net.ssl.SSLContext.getDefault(), "h", null);
              return null;
            }));
    r.add(
        row(
            call,
            "outside a task",
            "IllegalStateException: StreamWriter.startTls()" + outsideTask,
            writer(false, false),
            s -> {
              w(s).startTls(javax.net.ssl.SSLContext.getDefault(), "h", null);
              return null;
            }));
  }

  /** The loop's TLS calls: createConnection/createServer with an SSLContext, startTls. */
  private static void tlsRows(List<BadInputTableTest.Row> r) {
    r.add(
        row(
            "loop.createConnection(factory, host, port, ssl, serverHostname)",
            "ssl not initialized",
            "IllegalArgumentException: ssl must be an initialized SSLContext:"
                + " SSLContext is not initialized",
            ioLoop(),
            s -> {
              try {
                return l(s).createConnection(
                        () -> new Protocol() {}, "127.0.0.1", 1, uninitializedContext(), null);
              } catch (IllegalArgumentException e) {
                // the JDK's own words vary ("SSLContextImpl is not initialized")
                throw new IllegalArgumentException(
                    e.getMessage().replaceAll(": .*", ": SSLContext is not initialized"));
              }
            }));
    r.add(
        row(
            "loop.createConnection(factory, host, port, ssl, serverHostname)",
            "serverHostname without ssl",
            "IllegalArgumentException: serverHostname is only meaningful with ssl",
            ioLoop(),
            s -> l(s).createConnection(() -> new Protocol() {}, "127.0.0.1", 1, null, "x")));
    r.add(
        row(
            "loop.createConnection(factory, host, port, ssl, serverHostname, hs, sd)",
            "sslHandshakeTimeout 0",
            "IllegalArgumentException: sslHandshakeTimeout must be positive: PT0S",
            ioLoop(),
            s ->
                l(s).createConnection(
                        () -> new Protocol() {},
                        "127.0.0.1",
                        1,
                        javax.net.ssl.SSLContext.getDefault(),
                        null,
                        java.time.Duration.ZERO,
                        null)));
    r.add(
        row(
            "loop.createServer(factory, host, port, backlog, ssl, hs, sd)",
            "sslShutdownTimeout -1 s",
            "IllegalArgumentException: sslShutdownTimeout must be positive: PT-1S",
            ioLoop(),
            s ->
                l(s).createServer(
                        () -> new Protocol() {},
                        "127.0.0.1",
                        0,
                        100,
                        javax.net.ssl.SSLContext.getDefault(),
                        null,
                        java.time.Duration.ofSeconds(-1))));
    r.add(
        row(
            "loop.createServer(factory, host, port, backlog, ssl, hs, sd)",
            "a timeout without ssl",
            "IllegalArgumentException: sslHandshakeTimeout is only meaningful with ssl",
            ioLoop(),
            s ->
                l(s).createServer(
                        () -> new Protocol() {},
                        "127.0.0.1",
                        0,
                        100,
                        null,
                        java.time.Duration.ofSeconds(1),
                        null)));
    r.add(
        row(
            "loop.startTls(transport, protocol, sslContext, serverSide, serverHostname)",
            "transport null",
            "NullPointerException: transport must not be null",
            ioLoop(),
            s ->
                l(s).startTls(
                        null,
                        new Protocol() {},
                        javax.net.ssl.SSLContext.getDefault(),
                        false,
                        "h")));
    r.add(
        row(
            "loop.startTls(transport, protocol, sslContext, serverSide, serverHostname)",
            "sslContext null",
            "NullPointerException: sslContext must not be null",
            ioLoop(),
            s -> l(s).startTls(foreignTransport(), new Protocol() {}, null, false, "h")));
    r.add(
        row(
            "loop.startTls(transport, protocol, sslContext, serverSide, serverHostname)",
            "not a TCP transport",
            "IllegalArgumentException: transport ForeignTransport is not supported by startTls"
                + " (a TCP transport is)",
            ioLoop(),
            s ->
                l(s).startTls(
                        foreignTransport(),
                        new Protocol() {},
                        javax.net.ssl.SSLContext.getDefault(),
                        false,
                        "h")));
  }
}
