package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static dev.eventual.loop.StreamReaderTest.bytes;
import static dev.eventual.loop.StreamReaderTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults on streams (issue #18, item 5), in {@link IoFaultsTest}'s style: each case counts the
 * process's open sockets ({@code /proc/self/fd}) before and after, and none is left open. A
 * half-close, a write after close, a read past the limit, and a slow reader that never drains.
 */
@Timeout(30)
class StreamFaultsTest extends LoopTaskFixture {
  private static final String HOST = StreamsTest.HOST;

  /** The process's open sockets, after a few turns (a closed channel's key goes at a select). */
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

  /** The loop's selector and executor exist before any count: one connection opened and closed. */
  @BeforeEach
  void warmUp() {
    assumeTrue(new File("/proc/self/fd").isDirectory(), "counts descriptors in /proc/self/fd");
    run(
        () -> {
          Server server = Asyncio.startServer(StreamsTest::echoLine, HOST, 0);
          StreamPair s = Asyncio.openConnection(HOST, StreamsTest.port(server));
          s.writer().write(bytes("warm\n"));
          s.reader().read();
          s.writer().close();
          s.writer().waitClosed();
          server.close();
          await(server.waitClosed());
          return null;
        });
  }

  // test_streams.py / test_selector_events.py: write_eof, then the peer's eof_received (true:
  // the server keeps writing) and the client keeps reading
  @Test
  void aHalfCloseLetsThePeerAnswerAfterTheEndOfTheRequest() {
    int before = openSockets();
    List<String> got =
        run(
            () -> {
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        byte[] request = r.read(); // up to the client's write_eof
                        w.write(bytes("got " + request.length + " bytes, eof " + r.atEof()));
                        w.close();
                      },
                      HOST,
                      0);
              StreamPair s = Asyncio.openConnection(HOST, StreamsTest.port(server));
              s.writer().write(bytes("the whole request"));
              s.writer().writeEof();
              List<String> out = new ArrayList<>();
              out.add(text(s.reader().read()));
              out.add(String.valueOf(s.reader().atEof()));
              s.writer().close();
              s.writer().waitClosed();
              server.close();
              await(server.waitClosed());
              return out;
            });
    assertThat(got).containsExactly("got 17 bytes, eof true", "true");
    assertThat(openSockets()).isLessThanOrEqualTo(before);
  }

  // test_selector_events.py: test_write_after_close... (_conn_lost: writes dropped and counted);
  // test_streams.py: test_drain_raises (then drain raises ConnectionResetError)
  @Test
  void writesAfterCloseAreDroppedAndDrainThenThrowsConnectionLost() {
    int before = openSockets();
    List<Object> got =
        run(
            () -> {
              LoopFuture<byte[]> received = loop.createFuture();
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        received.setResult(r.read());
                        w.close(); // eofReceived kept it open for writing
                      },
                      HOST,
                      0);
              StreamPair s = Asyncio.openConnection(HOST, StreamsTest.port(server));
              s.writer().write(bytes("before"));
              s.writer().close();
              for (int i = 0; i < 6; i++) {
                s.writer().write(bytes("after")); // dropped, counted (logged from the fifth)
              }
              List<Object> out = new ArrayList<>();
              try {
                s.writer().drain();
                out.add("drained");
              } catch (SocketException e) {
                out.add(e.getMessage());
              }
              out.add(text(await(received)));
              s.writer().waitClosed();
              server.close();
              await(server.waitClosed());
              return out;
            });
    assertThat(got).containsExactly("Connection lost", "before");
    assertThat(openSockets()).isLessThanOrEqualTo(before);
  }

  // test_streams.py: test_readuntil_limit_found_sep / test_readline_limit over a socket: the
  // LimitOverrunError leaves the bytes, the stream goes on
  @Test
  void aLinePastTheLimitThrowsLimitOverrunAndTheStreamGoesOn() {
    int before = openSockets();
    String got =
        run(
            () -> {
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        int skipped = 0;
                        int overruns = 0;
                        byte[] tail;
                        while (true) {
                          try {
                            tail = r.readuntil(bytes("\n"));
                            break;
                          } catch (LimitOverrunException e) {
                            overruns++;
                            skipped += r.readexactly(e.consumed()).length;
                          }
                        }
                        byte[] next = r.readline();
                        w.write(
                            bytes(
                                (overruns > 0) + " " + (skipped + tail.length) + " " + text(next)));
                        w.close();
                      },
                      HOST,
                      0,
                      16);
              StreamPair s = Asyncio.openConnection(HOST, StreamsTest.port(server));
              s.writer().write(bytes("x".repeat(100) + "\nnext\n"));
              String answer = text(s.reader().read());
              s.writer().close();
              server.close();
              await(server.waitClosed());
              return answer;
            });
    assertThat(got).isEqualTo("true 101 next\n");
    assertThat(openSockets()).isLessThanOrEqualTo(before);
  }

  // test_streams.py / streams.py FlowControlMixin: a peer that never reads keeps drain suspended;
  // aborting the connection ends the wait with an error, and nothing leaks
  @Test
  void aReaderThatNeverDrainsSuspendsTheWriterUntilTheConnectionIsAborted() {
    int before = openSockets();
    List<Object> got =
        run(
            () -> {
              LoopFuture<StreamWriter> serverWriter = loop.createFuture();
              LoopFuture<Throwable> serverEnded = loop.createFuture();
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        serverWriter.setResult(w);
                        byte[] chunk = new byte[64 * 1024];
                        try {
                          while (true) {
                            w.write(chunk);
                            w.drain();
                          }
                        } catch (IOException e) {
                          serverEnded.setResult(e);
                        }
                      },
                      HOST,
                      0);
              StreamPair s = Asyncio.openConnection(HOST, StreamsTest.port(server));
              StreamWriter w = await(serverWriter);
              while (w.transport().getWriteBufferSize() <= 64 * 1024) {
                Asyncio.sleep(Duration.ofMillis(1)); // the socket buffers fill up
              }
              Asyncio.sleep(Duration.ofMillis(100));
              List<Object> out = new ArrayList<>();
              out.add(serverEnded.isDone()); // still suspended in drain
              s.writer().transport().abort(); // the slow reader goes away
              out.add(await(serverEnded) instanceof IOException);
              server.close();
              await(server.waitClosed());
              return out;
            });
    assertThat(got).containsExactly(false, true);
    assertThat(openSockets()).isLessThanOrEqualTo(before);
  }

  // the same, the writer's own side closing: abort() wakes the suspended drain, the next one
  // throws "Connection lost"
  @Test
  void abortingTheWritersOwnTransportEndsASuspendedDrain() {
    int before = openSockets();
    String got =
        run(
            () -> {
              LoopFuture<String> ended = loop.createFuture();
              LoopFuture<StreamWriter> serverWriter = loop.createFuture();
              Server server =
                  Asyncio.startServer(
                      (r, w) -> {
                        serverWriter.setResult(w);
                        byte[] chunk = new byte[64 * 1024];
                        try {
                          while (true) {
                            w.write(chunk);
                            w.drain();
                          }
                        } catch (IOException e) {
                          ended.setResult(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                      },
                      HOST,
                      0);
              StreamPair s = Asyncio.openConnection(HOST, StreamsTest.port(server));
              StreamWriter w = await(serverWriter);
              while (w.transport().getWriteBufferSize() <= 64 * 1024) {
                Asyncio.sleep(Duration.ofMillis(1));
              }
              w.transport().abort();
              String result = await(ended);
              s.writer().close();
              s.writer().waitClosed();
              server.close();
              await(server.waitClosed());
              return result;
            });
    assertThat(got).isEqualTo("SocketException: Connection lost");
    assertThat(openSockets()).isLessThanOrEqualTo(before);
  }
}
