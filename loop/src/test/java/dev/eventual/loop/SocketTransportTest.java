package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Transports and protocols over TCP on 127.0.0.1 ({@link SocketTransport}, {@link Connections}):
 * the cases of CPython's {@code test_selector_events.py} ({@code SelectorSocketTransportTests}),
 * {@code test_events.py} ({@code MyProto}'s state machine) and {@code test_protocols.py} that
 * apply, run end to end against a server of the same loop.
 */
@Timeout(20)
class SocketTransportTest extends LoopTaskFixture {
  static final String HOST = "127.0.0.1";

  /** A protocol that records its calls, as test_events.py's MyProto checks its states. */
  static class Recorder implements Protocol {
    final List<String> calls = new ArrayList<>();
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    Transport transport;
    boolean keepOpenOnEof;
    Throwable lost;
    final LoopFuture<Void> closed;

    Recorder(EventLoop loop) {
      closed = loop.createFuture();
    }

    @Override
    public void connectionMade(Transport t) {
      transport = t;
      calls.add("made");
    }

    @Override
    public void dataReceived(ByteBuffer d) {
      if (calls.isEmpty() || !calls.get(calls.size() - 1).equals("data")) {
        calls.add("data");
      }
      byte[] b = new byte[d.remaining()];
      d.get(b);
      data.writeBytes(b);
    }

    @Override
    public boolean eofReceived() {
      calls.add("eof");
      return keepOpenOnEof;
    }

    @Override
    public void pauseWriting() {
      calls.add("pause");
    }

    @Override
    public void resumeWriting() {
      calls.add("resume");
    }

    @Override
    public void connectionLost(Throwable e) {
      calls.add("lost");
      lost = e;
      closed.setResult(null);
    }

    String text() {
      return data.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** Echoes what it gets; on end of stream writes "bye" and closes (a half-close the other way). */
  static final class Echo extends Recorder {
    Echo(EventLoop loop) {
      super(loop);
      keepOpenOnEof = true;
    }

    @Override
    public void dataReceived(ByteBuffer d) {
      transport.write(d.duplicate());
      super.dataReceived(d);
    }

    @Override
    public boolean eofReceived() {
      super.eofReceived();
      transport.write("bye".getBytes(StandardCharsets.ISO_8859_1));
      transport.close();
      return true;
    }
  }

  private final List<Recorder> served = new ArrayList<>();

  private Server echoServer() {
    return serverOf(
        () -> {
          Echo e = new Echo(loop);
          served.add(e);
          return e;
        });
  }

  private Server serverOf(Supplier<? extends BaseProtocol> factory) {
    return loop.runUntilComplete(loop.createServer(factory, HOST, 0));
  }

  private static int port(Server s) throws Exception {
    return ((InetSocketAddress) s.sockets().get(0).getLocalAddress()).getPort();
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  // test_events.py: test_create_connection + MyProto's state machine; test_selector_events.py:
  // test_write_eof, test_read_eof_received_keep_open (the server keeps writing after EOF)
  @Test
  void anEchoRoundTripWithHalfCloseCallsTheProtocolInOrder() throws Exception {
    Server server = echoServer();
    Recorder client =
        run(
            () -> {
              Connection<Recorder> c =
                  await(loop.createConnection(() -> new Recorder(loop), HOST, port(server)));
              c.transport().write(ascii("hello "));
              c.transport().writelines(List.of(ascii("wor"), ascii("ld")));
              c.transport().writeEof();
              assertThatThrownBy(() -> c.transport().write(ascii("late")))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessage("Cannot call write() after write_eof()");
              await(c.protocol().closed);
              await(served.get(0).closed);
              return c.protocol();
            });
    assertThat(client.text()).isEqualTo("hello worldbye");
    assertThat(client.calls).containsExactly("made", "data", "eof", "lost");
    assertThat(client.lost).isNull();
    assertThat(served.get(0).calls).containsExactly("made", "data", "eof", "lost");
    assertThat(served.get(0).text()).isEqualTo("hello world");
    server.close();
  }

  // test_selector_events.py: test_read_ready (BufferedProtocol: get_buffer/buffer_updated)
  @Test
  void aBufferedProtocolReadsIntoItsOwnBufferWithoutLosingAByte() throws Exception {
    Server server = echoServer();
    byte[] payload = new byte[300_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    ByteBuffer into = ByteBuffer.allocate(payload.length + 3);
    List<Integer> updates = new ArrayList<>();
    LoopFuture<Void> lost = loop.createFuture();
    BufferedProtocol buffered =
        new BufferedProtocol() {
          @Override
          public ByteBuffer getBuffer(int sizeHint) {
            return into.slice(into.position(), Math.min(into.remaining(), 4096));
          }

          @Override
          public void bufferUpdated(int nbytes) {
            updates.add(nbytes);
            into.position(into.position() + nbytes);
          }

          @Override
          public void connectionLost(Throwable e) {
            lost.setResult(null);
          }
        };
    run(
        () -> {
          Connection<BufferedProtocol> c =
              await(loop.createConnection(() -> buffered, HOST, port(server)));
          c.transport().write(payload);
          c.transport().writeEof();
          await(lost);
          return null;
        });
    assertThat(into.position()).isEqualTo(payload.length + 3);
    assertThat(java.util.Arrays.copyOf(into.array(), payload.length)).isEqualTo(payload);
    assertThat(updates).allMatch(n -> n > 0 && n <= 4096);
    server.close();
  }

  // test_selector_events.py: test_write_ready_partial + _FlowControlMixin's pause/resume
  @Test
  void aFullWriteBufferPausesTheProtocolAndDrainingItResumesIt() throws Exception {
    List<Recorder> slow = new ArrayList<>();
    Server server =
        serverOf(
            () -> {
              Recorder r = new Recorder(loop);
              slow.add(r);
              return r;
            });
    Recorder client =
        run(
            () -> {
              Connection<Recorder> c =
                  await(loop.createConnection(() -> new Recorder(loop), HOST, port(server)));
              while (slow.isEmpty() || slow.get(0).transport == null) {
                yieldOnce();
              }
              slow.get(0).transport.pauseReading(); // the peer stops reading
              assertThat(slow.get(0).transport.isReading()).isFalse();
              c.transport().setWriteBufferLimits(64 * 1024, 1024);
              byte[] chunk = new byte[64 * 1024];
              while (!c.protocol().calls.contains("pause")) {
                c.transport().write(chunk);
              }
              assertThat(c.transport().getWriteBufferSize()).isGreaterThan(64 * 1024);
              slow.get(0).transport.resumeReading();
              while (!c.protocol().calls.contains("resume")) {
                Asyncio.sleep(Duration.ofMillis(1));
              }
              assertThat(c.transport().getWriteBufferSize()).isLessThanOrEqualTo(1024);
              c.transport().close();
              await(c.protocol().closed);
              return c.protocol();
            });
    assertThat(client.calls).containsSubsequence("made", "pause", "resume", "lost");
    assertThat(client.transport.isClosing()).isTrue();
    server.close();
  }

  // test_selector_events.py: test_set_protocol with _FlowControlMixin._maybe_pause_protocol and
  // _maybe_resume_protocol, which call self._protocol: after setProtocol (as startTls does),
  // pauseWriting and resumeWriting go to the new protocol, not the one the transport was made with
  @Test
  void pauseAndResumeWritingGoToTheProtocolSetLast() throws Exception {
    List<Recorder> slow = new ArrayList<>();
    Server server =
        serverOf(
            () -> {
              Recorder r = new Recorder(loop);
              slow.add(r);
              return r;
            });
    Recorder second = new Recorder(loop);
    Recorder first =
        run(
            () -> {
              Connection<Recorder> c =
                  await(loop.createConnection(() -> new Recorder(loop), HOST, port(server)));
              while (slow.isEmpty() || slow.get(0).transport == null) {
                yieldOnce();
              }
              slow.get(0).transport.pauseReading();
              c.transport().setProtocol(second);
              c.transport().setWriteBufferLimits(64 * 1024, 1024);
              byte[] chunk = new byte[64 * 1024];
              while (c.transport().getWriteBufferSize() <= 64 * 1024) {
                c.transport().write(chunk);
              }
              assertThat(second.calls).containsExactly("pause");
              slow.get(0).transport.resumeReading();
              while (c.transport().getWriteBufferSize() > 1024) {
                Asyncio.sleep(Duration.ofMillis(1));
              }
              c.transport().close();
              await(second.closed);
              return c.protocol();
            });
    assertThat(first.calls).containsExactly("made");
    assertThat(second.calls).containsExactly("pause", "resume", "lost");
    server.close();
  }

  // test_selector_events.py: test_abort, test_force_close (queued data dropped, lost(None))
  @Test
  void abortDropsQueuedBytesAndLaterWritesAreDropped() throws Exception {
    Server server = echoServer();
    Recorder client =
        run(
            () -> {
              Connection<Recorder> c =
                  await(loop.createConnection(() -> new Recorder(loop), HOST, port(server)));
              c.transport().abort();
              assertThat(c.transport().isClosing()).isTrue();
              c.transport().write(ascii("dropped")); // counted, not sent, no error
              await(c.protocol().closed);
              return c.protocol();
            });
    assertThat(client.calls).containsExactly("made", "lost");
    assertThat(client.lost).isNull();
    server.close();
  }

  // test_selector_events.py: test_set_write_buffer_limits, test_get_write_buffer_limits
  @Test
  void writeBufferLimitsFollowPythonsDefaultsAndRefuseBadPairs() throws Exception {
    Server server = echoServer();
    run(
        () -> {
          Connection<Recorder> c =
              await(loop.createConnection(() -> new Recorder(loop), HOST, port(server)));
          Transport t = c.transport();
          assertThat(t.getWriteBufferLimits())
              .isEqualTo(new Transport.WriteBufferLimits(16384, 65536));
          t.setWriteBufferLimits(-1, 100);
          assertThat(t.getWriteBufferLimits()).isEqualTo(new Transport.WriteBufferLimits(100, 400));
          t.setWriteBufferLimits(1000, -1);
          assertThat(t.getWriteBufferLimits())
              .isEqualTo(new Transport.WriteBufferLimits(250, 1000));
          assertThatThrownBy(() -> t.setWriteBufferLimits(1, 2))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("high (1) must be >= low (2) must be >= 0");
          assertThat(t.getWriteBufferLimits())
              .isEqualTo(new Transport.WriteBufferLimits(250, 1000));
          assertThat(t.getExtraInfo("peername"))
              .isEqualTo(server.sockets().get(0).getLocalAddress());
          assertThat(t.getExtraInfo("sockname")).isNotNull();
          assertThat(t.getExtraInfo("nothing", "dflt")).isEqualTo("dflt");
          assertThat(t.canWriteEof()).isTrue();
          t.close();
          await(c.protocol().closed);
          return null;
        });
    server.close();
  }

  // test_events.py: test_create_connection_refused (ConnectionRefusedError)
  @Test
  void aConnectionToAClosedPortFailsWithConnectException() throws Exception {
    Server server = echoServer();
    int port = port(server);
    server.close();
    LoopFuture<Connection<Recorder>> f =
        loop.createConnection(() -> new Recorder(loop), HOST, port);
    assertThatThrownBy(() -> loop.runUntilComplete(f))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void aProtocolOfNeitherKindIsRefusedAndTheConnectionClosed() throws Exception {
    Server server = echoServer();
    BaseProtocol neither = new BaseProtocol() {};
    LoopFuture<Connection<BaseProtocol>> f =
        loop.createConnection(() -> neither, HOST, port(server));
    assertThatThrownBy(() -> loop.runUntilComplete(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("protocol must be a Protocol or a BufferedProtocol");
    server.close();
  }

  @Test
  void badArgumentsNameTheParameter() {
    assertThatThrownBy(() -> loop.createConnection(null, HOST, 1))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("protocolFactory must not be null");
    assertThatThrownBy(() -> loop.createConnection(() -> new Recorder(loop), null, 1))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("host must not be null");
    assertThatThrownBy(() -> loop.createConnection(() -> new Recorder(loop), HOST, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port must be in 0..65535");
    assertThatThrownBy(() -> loop.createServer(() -> new Recorder(loop), HOST, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backlog must be positive: 0");
  }
}
