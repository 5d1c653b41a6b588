package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop waiting on a selector ({@link IoSelector}) and its readers and writers: asyncio's {@code
 * add_reader}/{@code remove_reader}/{@code add_writer}/{@code remove_writer}. Ports the cases of
 * CPython's {@code test_selector_events.py} ({@code BaseSelectorEventLoopTests}) that apply, on
 * pipes and 127.0.0.1 sockets.
 */
@Timeout(20)
class IoSelectorTest extends LoopTaskFixture {
  private Pipe pipe;

  @BeforeEach
  void openPipe() throws IOException {
    pipe = Pipe.open();
    pipe.source().configureBlocking(false);
    pipe.sink().configureBlocking(false);
  }

  @AfterEach
  void closePipe() throws IOException {
    pipe.source().close();
    pipe.sink().close();
  }

  private void send(String s) throws IOException {
    pipe.sink().write(ByteBuffer.wrap(s.getBytes()));
  }

  /** Runs the loop until {@code done} is set or the time is up. */
  private void runUntil(AtomicReference<?> done, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    loop.runUntilComplete(
        loop.createTask(
            () -> {
              while (done.get() == null && System.nanoTime() < end) {
                Asyncio.sleep(Duration.ofMillis(1));
              }
              return null;
            }));
  }

  // test_selector_events.py: test_add_reader, test_process_events_read
  @Test
  void aReaderRunsEachTimeTheChannelIsReadableUntilRemoved() throws IOException {
    List<String> got = new ArrayList<>();
    AtomicReference<String> done = new AtomicReference<>();
    ByteBuffer buf = ByteBuffer.allocate(64);
    loop.addReader(
        pipe.source(),
        () -> {
          try {
            buf.clear();
            pipe.source().read(buf);
            got.add(new String(buf.array(), 0, buf.position()));
            if (got.size() == 2) {
              done.set("two");
            }
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    send("a");
    loop.callLater(Duration.ofMillis(20), () -> sendQuietly("b"));
    runUntil(done, Duration.ofSeconds(5));
    assertThat(got).containsExactly("a", "b");
    assertThat(loop.toString()).endsWith(" readers=1 writers=0]");
    assertThat(loop.removeReader(pipe.source())).isTrue();
    assertThat(loop.removeReader(pipe.source())).isFalse();
    assertThat(loop.toString()).endsWith(" readers=0 writers=0]");
  }

  /** Sleeps in a task of the loop for {@code d}. */
  private void sleep(Duration d) {
    run(
        () -> {
          Asyncio.sleep(d);
          return null;
        });
  }

  private void sendQuietly(String s) {
    try {
      send(s);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // test_selector_events.py: test_add_reader_existing (the old handle is cancelled)
  @Test
  void addingASecondReaderReplacesTheFirstAndCancelsItsHandle() throws IOException {
    AtomicInteger first = new AtomicInteger();
    AtomicReference<String> second = new AtomicReference<>();
    loop.addReader(pipe.source(), first::incrementAndGet);
    Handle old = loop.io().registered(pipe.source(), true);
    loop.addReader(pipe.source(), () -> second.set("second"));
    assertThat(old.isCancelled()).isTrue();
    send("x");
    runUntil(second, Duration.ofSeconds(5));
    assertThat(second.get()).isEqualTo("second");
    assertThat(first.get()).isZero();
  }

  // test_selector_events.py: test_remove_reader, test_remove_reader_read_write
  @Test
  void removingTheReaderKeepsTheWriterOfTheSameChannel() throws IOException {
    try (ServerSocketChannel listener = ServerSocketChannel.open();
        SocketChannel client = SocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      client.connect(listener.getLocalAddress());
      client.configureBlocking(false);
      try (SocketChannel server = listener.accept()) {
        AtomicReference<String> wrote = new AtomicReference<>();
        loop.addReader(client, () -> {});
        loop.addWriter(client, () -> wrote.set("writable"));
        assertThat(loop.removeReader(client)).isTrue();
        runUntil(wrote, Duration.ofSeconds(5));
        assertThat(wrote.get()).isEqualTo("writable");
        assertThat(loop.removeWriter(client)).isTrue();
        assertThat(loop.removeWriter(client)).isFalse();
        assertThat(server.isOpen()).isTrue();
      }
    }
  }

  @Test
  void aReaderOnAServerSocketRunsWhenAConnectionWaits() throws IOException {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.configureBlocking(false);
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      AtomicReference<SocketChannel> accepted = new AtomicReference<>();
      loop.addReader(
          listener,
          () -> {
            try {
              accepted.set(listener.accept());
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      try (SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
        runUntil(accepted, Duration.ofSeconds(5));
        assertThat(accepted.get()).isNotNull();
        accepted.get().close();
      }
    }
  }

  @Test
  void badInputIsRefusedAndRegistersNothing() throws IOException {
    Pipe blocking = Pipe.open();
    try {
      assertThatThrownBy(() -> loop.addReader(blocking.source(), () -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("channel must be non-blocking");
      assertThatThrownBy(() -> loop.addReader(null, () -> {}))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("channel must not be null");
      assertThatThrownBy(() -> loop.addWriter(pipe.sink(), null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("callback must not be null");
      pipe.source().close();
      assertThatThrownBy(() -> loop.addReader(pipe.source(), () -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("channel is closed");
      assertThat(loop.io().registered(pipe.sink(), false)).isNull();
    } finally {
      blocking.source().close();
      blocking.sink().close();
    }
  }

  // test_selector_events.py: the loop's selector methods refuse a closed loop (_check_closed)
  @Test
  void aClosedLoopRefusesAndClosingKeepsTheChannelsOpen() {
    loop.addReader(pipe.source(), () -> {});
    Handle reader = loop.io().registered(pipe.source(), true);
    loop.close();
    assertThat(reader.isCancelled()).isTrue();
    assertThat(pipe.source().isOpen()).isTrue();
    assertThatThrownBy(() -> loop.addReader(pipe.source(), () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Event loop is closed");
    assertThatThrownBy(() -> loop.removeReader(pipe.source()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anotherThreadCannotAddAReaderWhileTheLoopRuns() throws Exception {
    AtomicReference<Throwable> refused = new AtomicReference<>();
    loop.runUntilComplete(
        loop.createTask(
            () -> {
              Thread t =
                  new Thread(
                      () -> {
                        try {
                          loop.addReader(pipe.source(), () -> {});
                        } catch (Throwable e) {
                          refused.set(e);
                        }
                      });
              t.start();
              while (t.isAlive()) {
                Asyncio.sleep(Duration.ofMillis(1));
              }
              return null;
            }));
    assertThat(refused.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Non-thread-safe operation addReader()");
    assertThat(loop.io().registered(pipe.source(), true)).isNull();
  }

  @Test
  void aLoopWaitingInItsSelectorWakesForCallSoonThreadsafe() throws Exception {
    loop.addReader(pipe.source(), () -> {});
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicLong wokeAfterNanos = new AtomicLong();
    Thread poster =
        new Thread(
            () -> {
              try {
                waiting.await();
                Thread.sleep(50); // the loop is in select() by now
                long t0 = System.nanoTime();
                loop.callSoonThreadsafe(
                    () -> {
                      wokeAfterNanos.set(System.nanoTime() - t0);
                      loop.stop();
                    });
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    poster.start();
    loop.callSoon(waiting::countDown);
    loop.runForever();
    poster.join(5_000);
    assertThat(loop.io().isOpen()).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(wokeAfterNanos.get())).isLessThan(1_000);
  }

  @Test
  void aTimerBoundsTheSelectorWait() {
    loop.addReader(pipe.source(), () -> {});
    long t0 = System.nanoTime();
    sleep(Duration.ofMillis(30));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(ms).isBetween(25L, 2_000L);
    // a sub-millisecond wait neither spins nor waits for ever
    t0 = System.nanoTime();
    sleep(Duration.ofNanos(300_000));
    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
  }

  @Test
  void anIdleLoopWaitingInItsSelectorUsesNoCpu() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    loop.addReader(pipe.source(), () -> {});
    AtomicLong cpu = new AtomicLong();
    loop.callSoon(() -> cpu.set(mx.getCurrentThreadCpuTime()));
    loop.callLater(
        Duration.ofMillis(300),
        () -> {
          cpu.set(mx.getCurrentThreadCpuTime() - cpu.get());
          loop.stop();
        });
    loop.runForever();
    // 300 ms idle: a spinning loop would burn ~300 ms; a waiting one a few at most
    assertThat(TimeUnit.NANOSECONDS.toMillis(cpu.get())).isLessThan(60);
  }

  @Test
  void aLoopWithoutReadersNeverOpensASelector() {
    sleep(Duration.ofMillis(1));
    loop.callSoonThreadsafe(() -> {});
    sleep(Duration.ZERO);
    assertThat(loop.io().isOpen()).isFalse();
  }
}
