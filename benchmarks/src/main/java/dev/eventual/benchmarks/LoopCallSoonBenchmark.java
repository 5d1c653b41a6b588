package dev.eventual.benchmarks;

import dev.eventual.loop.EventLoop;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Scheduling throughput from the loop's own thread; time is per scheduled callback. Each invocation
 * hands one burst to the loop's thread: there it schedules {@value #CALLBACKS} callbacks (each adds
 * one to a counter), the last of which releases the benchmark thread. eventual: an {@link
 * EventLoop} running on its own thread, the burst a callback calling {@code callSoon}; the peer:
 * Netty's {@link DefaultEventExecutor}, the burst a task calling {@code execute} from the
 * executor's thread. The hand-off of the burst and the release are the same for both sides and are
 * spread over {@value #CALLBACKS} callbacks.
 */
@OperationsPerInvocation(LoopCallSoonBenchmark.CALLBACKS)
public class LoopCallSoonBenchmark extends BenchmarkDefaults {
  static final int CALLBACKS = 100_000;

  /** How long the benchmark thread waits for a burst before it gives up (never in practice). */
  private static final long TIMEOUT_SECONDS = 60;

  private EventLoop loop;
  private Thread loopThread;
  private DefaultEventExecutor netty;

  /** Touched by the loop's (or the executor's) thread only; read at tear-down. */
  private long counted;

  private final Runnable count = () -> counted++;

  /**
   * Starts the loop on a thread of its own and Netty's executor (its thread starts on first use).
   */
  @Setup(Level.Trial)
  public void start() {
    loop = new EventLoop();
    loopThread = new Thread(loop::runForever, "eventual-loop");
    loopThread.setDaemon(true);
    loopThread.start();
    netty = new DefaultEventExecutor();
  }

  /**
   * Stops both, waiting a bounded time for each.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    loop.callSoonThreadsafe(loop::stop);
    loopThread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    if (!loopThread.isAlive()) {
      loop.close();
    }
    netty.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * eventual: a callback on the running loop calls {@code callSoon} {@value #CALLBACKS} times.
   *
   * @throws InterruptedException if interrupted while waiting for the burst
   */
  @Benchmark
  public void eventualCallSoon() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    loop.callSoonThreadsafe(
        () -> {
          for (int i = 1; i < CALLBACKS; i++) {
            loop.callSoon(count);
          }
          loop.callSoon(done::countDown);
        });
    await(done);
  }

  /**
   * Netty: a task on the executor calls {@code execute} {@value #CALLBACKS} times from the
   * executor's own thread.
   *
   * @throws InterruptedException if interrupted while waiting for the burst
   */
  @Benchmark
  public void nettyExecute() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    netty.execute(
        () -> {
          for (int i = 1; i < CALLBACKS; i++) {
            netty.execute(count);
          }
          netty.execute(done::countDown);
        });
    await(done);
  }

  private static void await(CountDownLatch done) throws InterruptedException {
    if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "a burst of " + CALLBACKS + " callbacks did not finish in " + TIMEOUT_SECONDS + " s");
    }
  }
}
