package dev.eventual.benchmarks;

import dev.eventual.loop.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of waking an idle loop from another thread: the benchmark thread posts one callback to a
 * loop that waits for work and parks until the callback has run (a {@link CountDownLatch} each
 * time, for every side). eventual's loop waits parked until it has a reader or writer, and in a
 * {@link java.nio.channels.Selector} from then on ({@code selectorOpen}: a reader on a pipe that is
 * never readable); the peers are Netty's {@link DefaultEventExecutor} (a blocking queue) and
 * Netty's {@code NioEventLoop} (a selector, woken with {@code Selector.wakeup()} as eventual's).
 */
public class LoopWakeupBenchmark extends BenchmarkDefaults {
  private static final long TIMEOUT_SECONDS = 60;

  private EventLoop parked;
  private EventLoop selecting;
  private Thread parkedThread;
  private Thread selectingThread;
  private Pipe pipe;
  private DefaultEventExecutor nettyQueue;
  private NioEventLoopGroup nettyNioGroup;
  private EventExecutor nettyNio;

  /**
   * Starts the two loops on threads of their own (one with a reader registered) and Netty's two
   * executors.
   *
   * @throws IOException if the pipe cannot be opened
   */
  @Setup(Level.Trial)
  public void start() throws IOException {
    parked = new EventLoop();
    parkedThread = startLoop(parked, "eventual-parked");
    pipe = Pipe.open();
    pipe.source().configureBlocking(false);
    selecting = new EventLoop();
    selecting.addReader(pipe.source(), () -> {});
    selectingThread = startLoop(selecting, "eventual-selector");
    nettyQueue = new DefaultEventExecutor();
    nettyNioGroup = new NioEventLoopGroup(1);
    nettyNio = nettyNioGroup.next();
  }

  private static Thread startLoop(EventLoop loop, String name) {
    Thread t = new Thread(loop::runForever, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Stops everything, waiting a bounded time for each.
   *
   * @throws InterruptedException if interrupted while waiting
   * @throws IOException if the pipe cannot be closed
   */
  @TearDown(Level.Trial)
  public void stop() throws InterruptedException, IOException {
    for (EventLoop loop : new EventLoop[] {parked, selecting}) {
      loop.callSoonThreadsafe(loop::stop);
    }
    parkedThread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    selectingThread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    parked.close();
    selecting.close();
    pipe.source().close();
    pipe.sink().close();
    nettyQueue.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    nettyNioGroup
        .shutdownGracefully(0, 1, TimeUnit.SECONDS)
        .await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * eventual, a loop with no reader (parked): {@code callSoonThreadsafe} and wait until it ran.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  @Benchmark
  public void eventualParked() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    parked.callSoonThreadsafe(done::countDown);
    await(done);
  }

  /**
   * eventual, a loop with a reader (waiting in its selector): the same round trip.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  @Benchmark
  public void eventualSelectorOpen() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    selecting.callSoonThreadsafe(done::countDown);
    await(done);
  }

  /**
   * Netty's {@code DefaultEventExecutor}: {@code execute} and wait until it ran.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  @Benchmark
  public void nettyDefaultExecutor() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    nettyQueue.execute(done::countDown);
    await(done);
  }

  /**
   * Netty's {@code NioEventLoop}: {@code execute} and wait until it ran.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  @Benchmark
  public void nettyNioEventLoop() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    nettyNio.execute(done::countDown);
    await(done);
  }

  private static void await(CountDownLatch done) throws InterruptedException {
    if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a callback did not run in " + TIMEOUT_SECONDS + " s");
    }
  }
}
