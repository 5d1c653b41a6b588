package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StreamReader} fed by hand, as CPython's {@code test_streams.py} ({@code StreamTests})
 * tests it: each case names the CPython test it ports.
 */
@Timeout(10)
class StreamReaderTest extends LoopTaskFixture {
  private static final byte[] DATA = bytes("line1\nline2\nline3\n");

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** Feeds {@code data} from a loop callback, after the reading task started to wait. */
  private void feedSoon(StreamReader r, String... chunks) {
    loop.callSoon(
        () -> {
          for (String c : chunks) {
            r.feedData(bytes(c));
          }
        });
  }

  /** Feeds {@code chunk} once the reader was woken and waits again (polled each turn). */
  private void feedWhenWaitingAgain(StreamReader r, String chunk) {
    boolean[] woken = {false};
    Runnable[] poll = {null};
    poll[0] =
        () -> {
          if (!r.hasWaiter()) {
            woken[0] = true;
          } else if (woken[0]) {
            r.feedData(bytes(chunk));
            return;
          }
          loop.callSoon(poll[0]);
        };
    loop.callSoon(poll[0]);
  }

  // test_streams.py: test_feed_empty_data
  @Test
  void feedingNothingLeavesTheReaderEmptyAndNotAtEof() {
    StreamReader r = new StreamReader();
    r.feedData(new byte[0]);
    assertThat(r.atEof()).isFalse();
  }

  // test_streams.py: test_feed_nonempty_data
  @Test
  void feedingBytesIsNotEof() {
    StreamReader r = new StreamReader();
    r.feedData(DATA);
    assertThat(r.atEof()).isFalse();
  }

  // test_streams.py: test_read_zero
  @Test
  void readOfZeroReturnsNothingAndLeavesTheBuffer() throws Exception {
    StreamReader r = new StreamReader();
    r.feedData(DATA);
    assertThat(r.read(0)).isEmpty();
    assertThat(text(r.read(100))).isEqualTo("line1\nline2\nline3\n");
  }

  // test_streams.py: test_read
  @Test
  void readWaitsForTheFirstBytes() {
    StreamReader r = new StreamReader();
    String got =
        run(
            () -> {
              feedSoon(r, "line1\nline2\nline3\n");
              return text(r.read(30));
            });
    assertThat(got).isEqualTo("line1\nline2\nline3\n");
    assertThat(r.atEof()).isFalse();
  }

  // test_streams.py: test_read_line_breaks
  @Test
  void readReturnsAtMostNBytesAcrossChunks() throws Exception {
    StreamReader r = new StreamReader();
    r.feedData(bytes("line1"));
    r.feedData(bytes("line2"));
    assertThat(text(r.read(5))).isEqualTo("line1");
    assertThat(text(r.read(5))).isEqualTo("line2");
  }

  // test_streams.py: test_read_eof
  @Test
  void readAtTheEndOfTheStreamReturnsEmpty() {
    StreamReader r = new StreamReader();
    byte[] got =
        run(
            () -> {
              loop.callSoon(r::feedEof);
              return r.read(1024);
            });
    assertThat(got).isEmpty();
    assertThat(r.atEof()).isTrue();
  }

  // test_streams.py: test_read_until_eof
  @Test
  void readOfMinusOneReadsEverythingUntilEof() {
    StreamReader r = new StreamReader();
    String got =
        run(
            () -> {
              loop.callSoon(
                  () -> {
                    r.feedData(bytes("chunk1\n"));
                    r.feedData(bytes("chunk2"));
                    r.feedEof();
                  });
              return text(r.read(-1));
            });
    assertThat(got).isEqualTo("chunk1\nchunk2");
    assertThat(r.atEof()).isTrue();
  }

  // test_streams.py: test_read_all_from_pipe_reader (more than the limit: reads in steps, resumes)
  @Test
  void readToEofTakesMoreThanTheLimitFromAPausedTransport() {
    StreamReader r = new StreamReader(4);
    RecordingTransport t = new RecordingTransport();
    r.setTransport(t);
    r.feedData(bytes("0123456789")); // > 2 * limit: pauses
    assertThat(t.calls).containsExactly("pauseReading");
    String got =
        run(
            () -> {
              loop.callSoon(
                  () -> {
                    r.feedData(bytes("abc"));
                    r.feedEof();
                  });
              return text(r.read());
            });
    assertThat(got).isEqualTo("0123456789abc");
    assertThat(t.calls).containsExactly("pauseReading", "resumeReading");
  }

  // test_streams.py: test_read_exception
  @Test
  void readThrowsTheErrorSetAfterTheBufferedBytes() throws Exception {
    StreamReader r = new StreamReader();
    r.feedData(bytes("line\n"));
    assertThat(text(r.read(2))).isEqualTo("li");
    SocketException e = new SocketException("reset");
    r.setException(e);
    assertThatThrownBy(() -> r.read(2)).isSameAs(e);
    assertThat(r.exception()).isSameAs(e);
  }

  // test_streams.py: test_readline
  @Test
  void readlineWaitsForTheNewlineAcrossChunks() throws Exception {
    StreamReader r = new StreamReader();
    r.feedData(bytes("chunk1 "));
    String line =
        run(
            () -> {
              feedSoon(r, "chunk2 ", "chunk3 ", "\n chunk4");
              return text(r.readline());
            });
    assertThat(line).isEqualTo("chunk1 chunk2 chunk3 \n");
    assertThat(text(r.read(100))).isEqualTo(" chunk4");
  }

  // test_streams.py: test_readline_limit_with_existing_data
  @Test
  void readlineOverTheLimitDropsTheLineWhoseEndIsBuffered() throws Exception {
    StreamReader r = new StreamReader(3);
    r.feedData(bytes("li"));
    r.feedData(bytes("ne1\nline2\n"));
    assertThatThrownBy(r::readline).isInstanceOf(LimitOverrunException.class);
    // the first line was dropped with its newline
    assertThat(text(r.read(100))).isEqualTo("line2\n");
  }

  // test_streams.py: test_readline_limit_with_existing_data (second half: no newline buffered)
  @Test
  void readlineOverTheLimitWithoutANewlineDropsTheWholeBuffer() {
    StreamReader r = new StreamReader(3);
    r.feedData(bytes("li"));
    r.feedData(bytes("ne1"));
    r.feedData(bytes("li"));
    assertThatThrownBy(r::readline)
        .isInstanceOf(LimitOverrunException.class)
        .hasMessage("Separator is not found, and chunk exceed the limit");
    r.feedEof();
    assertThat(r.atEof()).isTrue();
  }

  // test_streams.py: test_readline_limit
  @Test
  void readlineOverTheLimitWhileWaitingThenTheNextLineReads() throws Exception {
    StreamReader r = new StreamReader(7);
    run(
        () -> {
          feedSoon(r, "chunk1", "chunk2", "chunk3\n");
          assertThatThrownBy(r::readline).isInstanceOf(LimitOverrunException.class);
          return null;
        });
    // CPython: the buffer is empty afterwards (the line was dropped)
    r.feedData(bytes("chunk4\n"));
    assertThat(text(r.readline())).isEqualTo("chunk4\n");
  }

  // test_streams.py: test_readline_nolimit_nowait
  @Test
  void readlineReturnsABufferedLineWithoutWaiting() throws Exception {
    StreamReader r = new StreamReader();
    r.feedData(DATA);
    assertThat(text(r.readline())).isEqualTo("line1\n");
    assertThat(text(r.read(100))).isEqualTo("line2\nline3\n");
  }

  // test_streams.py: test_readline_eof
  @Test
  void readlineReturnsTheLastIncompleteLineAtEof() throws Exception {
    StreamReader r = new StreamReader();
    r.feedData(bytes("some data"));
    r.feedEof();
    assertThat(text(r.readline())).isEqualTo("some data");
  }

  // test_streams.py: test_readline_empty_eof
  @Test
  void readlineAtEofReturnsEmpty() throws Exception {
    StreamReader r = new StreamReader();
    r.feedEof();
    assertThat(r.readline()).isEmpty();
  }

  // test_streams.py: test_readline_read_byte_count
  @Test
  void readAfterReadlineTakesTheRest() throws Exception {
    StreamReader r = new StreamReader();
    r.feedData(DATA);
    r.readline();
    assertThat(text(r.read(7))).isEqualTo("line2\nl");
    assertThat(text(r.read(100))).isEqualTo("ine3\n");
  }

  // test_streams.py: test_readline_exception
  @Test
  void readlineThrowsTheErrorSet() {
    StreamReader r = new StreamReader();
    r.feedData(bytes("line\n"));
    IOException e = new IOException("broken");
    r.setException(e);
    assertThatThrownBy(r::readline).isSameAs(e);
  }

  // test_streams.py: test_readuntil_separator
  @Test
  void readuntilRefusesAnEmptySeparator() {
    StreamReader r = new StreamReader();
    assertThatThrownBy(() -> r.readuntil(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Separator should be at least one-byte string");
    assertThatThrownBy(() -> r.readuntil(new byte[0][]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Separator should contain at least one element");
  }

  // test_streams.py: test_readuntil_multi_chunks
  @Test
  void readuntilFindsTheSeparatorInEachChunk() throws Exception {
    StreamReader r = new StreamReader();
    r.feedData(bytes("lineAAA"));
    assertThat(text(r.readuntil(bytes("AAA")))).isEqualTo("lineAAA");
    r.feedData(bytes("lineAAA"));
    assertThat(text(r.readuntil(bytes("AAA")))).isEqualTo("lineAAA");
    r.feedData(bytes("lineAAAxxx"));
    assertThat(text(r.readuntil(bytes("AAA")))).isEqualTo("lineAAA");
    assertThat(text(r.read(100))).isEqualTo("xxx");
  }

  // test_streams.py: test_readuntil_multi_chunks_1 (the separator split across chunks)
  @Test
  void readuntilFindsASeparatorSplitAcrossChunks() {
    StreamReader r = new StreamReader();
    String got =
        run(
            () -> {
              feedSoon(r, "QWEaa", "XYaa", "a");
              String first = text(r.readuntil(bytes("aaa")));
              loop.callSoon(() -> r.feedData(bytes("XaaYa")));
              loop.callLater(java.time.Duration.ofMillis(5), () -> r.feedData(bytes("aa")));
              return first + "|" + text(r.readuntil(bytes("aaa")));
            });
    assertThat(got).isEqualTo("QWEaaXYaaa|XaaYaaa");
  }

  // test_streams.py: test_readuntil_eof
  @Test
  void readuntilAtEofThrowsIncompleteReadWithTheWholeBuffer() {
    StreamReader r = new StreamReader();
    r.feedData(bytes("some dataAA"));
    r.feedEof();
    assertThatThrownBy(() -> r.readuntil(bytes("AAA")))
        .isInstanceOfSatisfying(
            IncompleteReadException.class,
            e -> {
              assertThat(text(e.partial())).isEqualTo("some dataAA");
              assertThat(e.expected()).isEqualTo(-1);
            })
        .hasMessage("11 bytes read on a total of undefined expected bytes");
    assertThat(r.atEof()).isTrue();
  }

  // test_streams.py: test_readuntil_limit_found_sep
  @Test
  void readuntilOverTheLimitKeepsTheBytesSoTheStreamStaysUsable() throws Exception {
    StreamReader r = new StreamReader(3);
    r.feedData(bytes("some dataAA"));
    assertThatThrownBy(() -> r.readuntil(bytes("AAA")))
        .isInstanceOfSatisfying(
            LimitOverrunException.class, e -> assertThat(e.consumed()).isEqualTo(9))
        .hasMessage("Separator is not found, and chunk exceed the limit");
    r.feedData(bytes("A"));
    assertThatThrownBy(() -> r.readuntil(bytes("AAA")))
        .isInstanceOfSatisfying(
            LimitOverrunException.class, e -> assertThat(e.consumed()).isEqualTo(9))
        .hasMessage("Separator is found, but chunk is longer than limit");
    assertThat(text(r.read(100))).isEqualTo("some dataAAA");
  }

  // test_streams.py: test_readuntil_multiple_separators (3.13: a tuple, the earliest end wins)
  @Test
  void readuntilOfSeveralSeparatorsStopsAtTheFirstMatchThatEnds() throws Exception {
    StreamReader r = new StreamReader();
    r.feedData(bytes("line 1\nline 2\r\nline3\r"));
    byte[] lf = bytes("\n");
    byte[] crlf = bytes("\r\n");
    assertThat(text(r.readuntil(lf, crlf))).isEqualTo("line 1\n");
    assertThat(text(r.readuntil(crlf, lf))).isEqualTo("line 2\r\n");
    r.feedEof();
    assertThatThrownBy(() -> r.readuntil(lf, crlf)).isInstanceOf(IncompleteReadException.class);
  }

  // test_streams.py: test_readexactly_zero_or_less
  @Test
  void readexactlyOfZeroReturnsNothingAndOfLessIsRefused() throws Exception {
    StreamReader r = new StreamReader();
    r.feedData(DATA);
    assertThat(r.readexactly(0)).isEmpty();
    assertThatThrownBy(() -> r.readexactly(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readexactly size can not be less than zero");
    assertThat(r.read(100)).hasSize(DATA.length);
  }

  // test_streams.py: test_readexactly
  @Test
  void readexactlyWaitsForEveryByte() {
    StreamReader r = new StreamReader();
    String got =
        run(
            () -> {
              feedSoon(
                  r, "line1\nline2\nline3\n", "line1\nline2\nline3\n", "line1\nline2\nline3\n");
              return text(r.readexactly(2 * DATA.length)) + "|" + text(r.read(100));
            });
    assertThat(got).isEqualTo(text(DATA) + text(DATA) + "|" + text(DATA));
  }

  // test_streams.py: test_readexactly_limit (n larger than the limit, the transport resumed)
  @Test
  void readexactlyOfMoreThanTheLimitResumesAPausedTransport() {
    StreamReader r = new StreamReader(3);
    RecordingTransport t = new RecordingTransport();
    r.setTransport(t);
    String got =
        run(
            () -> {
              feedSoon(r, "chunk1", "chunk2");
              feedWhenWaitingAgain(r, "chunk3");
              return text(r.readexactly(16));
            });
    assertThat(got).isEqualTo("chunk1chunk2chun");
    // paused at 12 > 2 * 3; resumed to wait for more; paused at 18; resumed at 2 left
    assertThat(t.calls)
        .containsExactly("pauseReading", "resumeReading", "pauseReading", "resumeReading");
  }

  // test_streams.py: test_readexactly_eof
  @Test
  void readexactlyThrowsIncompleteReadWithThePartialBytes() {
    StreamReader r = new StreamReader();
    Throwable thrown =
        run(
            () -> {
              loop.callSoon(
                  () -> {
                    r.feedData(DATA);
                    r.feedEof();
                  });
              try {
                r.readexactly(2 * DATA.length);
                return null;
              } catch (IncompleteReadException e) {
                return e;
              }
            });
    assertThat(thrown)
        .isInstanceOfSatisfying(
            IncompleteReadException.class,
            e -> {
              assertThat(e.partial()).isEqualTo(DATA);
              assertThat(e.expected()).isEqualTo(2 * DATA.length);
            })
        .hasMessage("18 bytes read on a total of 36 expected bytes");
    assertThat(r.atEof()).isTrue();
  }

  // test_streams.py: test_readexactly_exception
  @Test
  void readexactlyThrowsTheErrorSet() {
    StreamReader r = new StreamReader();
    r.feedData(bytes("line\n"));
    IOException e = new IOException("broken");
    r.setException(e);
    assertThatThrownBy(() -> r.readexactly(2)).isSameAs(e);
  }

  // test_streams.py: test_exception_waiter
  @Test
  void setExceptionWakesTheWaitingRead() {
    StreamReader r = new StreamReader();
    IOException e = new IOException("lost");
    Throwable thrown =
        run(
            () -> {
              loop.callSoon(() -> r.setException(e));
              try {
                r.readline();
                return null;
              } catch (IOException got) {
                return got;
              }
            });
    assertThat(thrown).isSameAs(e);
  }

  // test_streams.py: test_exception_cancel
  @Test
  void aCancelledReadLeavesTheReaderUsable() throws Exception {
    StreamReader r = new StreamReader();
    Task<byte[]> reading = loop.createTask(r::readline);
    loop.runUntilComplete(loop.createTask(() -> Asyncio.sleep(java.time.Duration.ZERO, null)));
    reading.cancel();
    assertThatThrownBy(() -> loop.runUntilComplete(reading))
        .isInstanceOf(CancellationException.class);
    // CPython: the waiter is cleared, so a later set_exception does not raise
    r.setException(new IOException("later"));
    assertThat(r.exception()).hasMessage("later");
  }

  // test_streams.py: test___repr__waiter / _wait_for_data's RuntimeError
  @Test
  void aSecondReadWhileOneWaitsIsRefused() {
    StreamReader r = new StreamReader();
    String message =
        run(
            () -> {
              Task<byte[]> first = loop.createTask(() -> r.read(10));
              Asyncio.sleep(java.time.Duration.ZERO);
              try {
                r.read(10);
                return "not refused";
              } catch (IllegalStateException e) {
                return e.getMessage();
              } finally {
                r.feedData(bytes("x"));
                Await.await(first);
              }
            });
    assertThat(message)
        .isEqualTo("read() called while another task is already waiting for" + " incoming data");
  }

  // test_streams.py: test_ctor_global_loop / limit checks of StreamReader.__init__
  @Test
  void aNonPositiveLimitIsRefused() {
    assertThatThrownBy(() -> new StreamReader(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Limit cannot be <= 0");
  }

  // streams.py: feed_data's assert after feed_eof; set_transport's assert
  @Test
  void feedingAfterEofAndASecondTransportAreRefused() {
    StreamReader r = new StreamReader();
    r.feedEof();
    assertThatThrownBy(() -> r.feedData(bytes("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("feed_data after feed_eof");
    r.setTransport(new RecordingTransport());
    assertThatThrownBy(() -> r.setTransport(new RecordingTransport()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Transport already set");
  }

  // streams.py: feed_data's pause above 2 * limit, _maybe_resume_transport at the limit
  @Test
  void theTransportPausesAboveTwiceTheLimitAndResumesAtTheLimit() throws Exception {
    StreamReader r = new StreamReader(4);
    RecordingTransport t = new RecordingTransport();
    r.setTransport(t);
    r.feedData(bytes("12345678"));
    assertThat(t.calls).isEmpty();
    r.feedData(bytes("9"));
    assertThat(t.calls).containsExactly("pauseReading");
    r.read(4); // 5 left: still over the limit
    assertThat(t.calls).containsExactly("pauseReading");
    r.read(1);
    assertThat(t.calls).containsExactly("pauseReading", "resumeReading");
  }

  // streams.py: feed_data forgets a transport that cannot pause (NotImplementedError)
  @Test
  void aTransportThatCannotPauseIsForgottenAndEverythingBuffered() throws Exception {
    StreamReader r = new StreamReader(2);
    RecordingTransport t = new RecordingTransport();
    t.canPause = false;
    r.setTransport(t);
    r.feedData(bytes("0123456789"));
    r.feedData(bytes("abc"));
    assertThat(text(r.read(100))).isEqualTo("0123456789abc");
    assertThat(t.calls).isEmpty();
  }

  // a read that must wait outside a task fails clearly and leaves the reader as it was
  @Test
  void aReadThatMustWaitOutsideATaskIsRefused() throws Exception {
    StreamReader r = new StreamReader();
    assertThatThrownBy(r::readline)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be called inside a task");
    r.feedData(bytes("ok\n"));
    assertThat(text(r.readline())).isEqualTo("ok\n");
    assertThat(r.toString()).isEqualTo("StreamReader[0 bytes]");
    r.feedData(ByteBuffer.wrap(bytes("ab")));
    assertThat(r.toString()).isEqualTo("StreamReader[2 bytes]");
  }
}
