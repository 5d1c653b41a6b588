package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StreamWriter} and the flow control of {@link StreamReaderProtocol} (asyncio's {@code
 * FlowControlMixin}), over a transport without a socket; the socket cases are in {@link
 * StreamsTest}.
 */
@Timeout(10)
class StreamWriterTest extends LoopTaskFixture {
  private final RecordingTransport transport = new RecordingTransport();
  private final StreamReader reader = new StreamReader();
  private final StreamReaderProtocol protocol = new StreamReaderProtocol(reader);
  private final StreamWriter writer = new StreamWriter(transport, protocol, reader);

  private void connect() {
    loop.runUntilComplete(
        loop.createTask(
            () -> {
              protocol.connectionMade(transport);
              return null;
            }));
  }

  // streams.py: StreamWriter.write / writelines / write_eof / can_write_eof / close / is_closing
  @Test
  void theWriterHandsEachCallToItsTransport() {
    connect();
    writer.write(StreamReaderTest.bytes("ab"));
    writer.write(ByteBuffer.wrap(StreamReaderTest.bytes("c")));
    writer.writelines(List.of(ByteBuffer.wrap(StreamReaderTest.bytes("de"))));
    assertThat(writer.canWriteEof()).isTrue();
    writer.writeEof();
    assertThat(writer.isClosing()).isFalse();
    writer.close();
    assertThat(writer.isClosing()).isTrue();
    assertThat(transport.written.toString()).isEqualTo("abcde");
    assertThat(transport.calls).containsExactly("writeEof", "close");
    assertThat(writer.transport()).isSameAs(transport);
    assertThat(writer.getExtraInfo("peername", "none")).isEqualTo("none");
    assertThat(writer.toString()).startsWith("StreamWriter[transport=");
  }

  // streams.py: FlowControlMixin._drain_helper (not paused: drain returns at once, even outside
  // a task)
  @Test
  void drainReturnsAtOnceWhileWritingIsNotPaused() throws Exception {
    connect();
    writer.drain();
  }

  // streams.py: FlowControlMixin.pause_writing / resume_writing wake the waiting drains
  @Test
  void drainSuspendsWhilePausedAndResumesWithResumeWriting() {
    connect();
    protocol.pauseWriting();
    List<String> order = new java.util.ArrayList<>();
    run(
        () -> {
          Task<Void> a = loop.createTask(() -> drainThen(order, "a"));
          Task<Void> b = loop.createTask(() -> drainThen(order, "b"));
          Asyncio.sleep(Duration.ofMillis(20));
          order.add("resume");
          protocol.resumeWriting();
          Await.await(a);
          Await.await(b);
          return null;
        });
    assertThat(order).containsExactly("resume", "a", "b");
  }

  private Void drainThen(List<String> order, String name) throws IOException {
    writer.drain();
    order.add(name);
    return null;
  }

  // streams.py: FlowControlMixin.connection_lost wakes a paused drain with the error
  @Test
  void aDrainWaitingWhenTheConnectionIsLostThrowsItsError() {
    connect();
    protocol.pauseWriting();
    SocketException reset = new SocketException("Connection reset");
    Throwable thrown =
        run(
            () -> {
              loop.callSoon(() -> protocol.connectionLost(reset));
              try {
                writer.drain();
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    assertThat(thrown).isSameAs(reset);
  }

  // test_streams.py: test_drain_raises (the reader's error first; then ConnectionResetError)
  @Test
  void drainAfterTheLossThrowsTheReadersErrorOrConnectionLost() {
    connect();
    protocol.connectionLost(null); // clean close: the reader sees EOF
    transport.closing = true;
    Throwable thrown =
        run(
            () -> {
              try {
                writer.drain();
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    assertThat(thrown).isInstanceOf(SocketException.class).hasMessage("Connection lost");
    assertThat(reader.atEof()).isTrue();

    StreamReader failedReader = new StreamReader();
    failedReader.setException(new IOException("broken pipe"));
    StreamWriter w = new StreamWriter(transport, protocol, failedReader);
    assertThatThrownBy(w::drain).isInstanceOf(IOException.class).hasMessage("broken pipe");
  }

  // streams.py: StreamWriter.wait_closed awaits the protocol's closed future
  @Test
  void waitClosedEndsWithTheConnectionAndCarriesItsError() {
    connect();
    SocketException reset = new SocketException("Connection reset");
    Throwable thrown =
        run(
            () -> {
              loop.callLater(Duration.ofMillis(5), () -> protocol.connectionLost(reset));
              try {
                writer.waitClosed();
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    assertThat(thrown).isSameAs(reset);
    // once closed, waiting again ends at once with the same outcome (outside a task too)
    assertThatThrownBy(writer::waitClosed).isSameAs(reset);
  }

  // streams.py: StreamWriter.wait_closed after a clean close
  @Test
  void waitClosedAfterACleanCloseReturns() throws Exception {
    connect();
    protocol.connectionLost(null);
    writer.waitClosed();
  }

  // a drain that must wait outside a task fails clearly
  @Test
  void aDrainThatMustWaitOutsideATaskIsRefused() {
    connect();
    protocol.pauseWriting();
    assertThatThrownBy(writer::drain)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be called inside a task");
    protocol.resumeWriting();
  }

  // StreamWriter's constructor checks
  @Test
  void aWriterNeedsATransportAndAProtocol() {
    assertThatThrownBy(() -> new StreamWriter(null, protocol, reader))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("transport must not be null");
    assertThatThrownBy(() -> new StreamWriter(transport, null, reader))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("protocol must not be null");
  }
}
