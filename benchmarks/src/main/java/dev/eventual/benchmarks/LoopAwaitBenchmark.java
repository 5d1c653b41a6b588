package dev.eventual.benchmarks;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import dev.eventual.loop.TaskBody;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@code await} round trip: a task awaits a fresh {@link LoopFuture} that a {@code callSoon}
 * callback completes, {@value #ROUND_TRIPS} times; time is per round trip. Each round trip suspends
 * the task, runs the callback on the loop, and resumes the task; the task runs on its own thread (a
 * virtual thread on Java 21+). Its peer is CPython's asyncio, timed by {@code
 * benchmarks/cpython_bench.py} on the same scenario; the target applies on JDK 25.
 *
 * <p>{@code eventualAwait} runs the loop on the benchmark thread, as {@code Asyncio.run} does:
 * every round trip hands the run permit from that platform thread to the task's thread and back.
 * {@code eventualAwaitLoopOnVirtualThread} runs the same task on a loop that itself runs on a
 * virtual thread (Java 21+; a platform thread on older JDKs), where the hand-offs stay on the
 * virtual-thread scheduler; the benchmark thread hands each task over and waits for it.
 */
@OperationsPerInvocation(LoopAwaitBenchmark.ROUND_TRIPS)
public class LoopAwaitBenchmark extends BenchmarkDefaults {
  static final int ROUND_TRIPS = 1_000;

  /** How long the benchmark thread waits for one task before it gives up (never in practice). */
  private static final long TIMEOUT_SECONDS = 60;

  private static final Integer VALUE = 42;
  private EventLoop loop;
  private EventLoop virtualLoop;
  private Thread virtualLoopThread;

  /** Creates the loops; starts the second one on a virtual thread where the JDK has them. */
  @Setup(Level.Trial)
  public void createLoops() {
    loop = new EventLoop();
    virtualLoop = new EventLoop();
    ThreadFactory virtual = virtualThreadFactory();
    if (virtual != null) {
      virtualLoopThread = virtual.newThread(virtualLoop::runForever);
    } else {
      virtualLoopThread = new Thread(virtualLoop::runForever, "eventual-loop");
      virtualLoopThread.setDaemon(true);
    }
    virtualLoopThread.start();
  }

  /**
   * Stops and closes the loops, waiting a bounded time for the second one's thread.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  @TearDown(Level.Trial)
  public void closeLoops() throws InterruptedException {
    loop.close();
    virtualLoop.callSoonThreadsafe(virtualLoop::stop);
    virtualLoopThread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    if (!virtualLoopThread.isAlive()) {
      virtualLoop.close();
    }
  }

  /** The task's code on {@code on}: {@value #ROUND_TRIPS} awaits of a callSoon-completed future. */
  private static TaskBody<Integer> roundTrips(EventLoop on) {
    return () -> {
      int sum = 0;
      for (int i = 0; i < ROUND_TRIPS; i++) {
        LoopFuture<Integer> f = on.createFuture();
        on.callSoon(() -> f.setResult(VALUE));
        sum += await(f);
      }
      return sum;
    };
  }

  /**
   * eventual, loop on the benchmark thread: one task, {@value #ROUND_TRIPS} × ({@code
   * createFuture}, {@code callSoon} of its {@code setResult}, {@code await}).
   *
   * @return the sum of the results
   */
  @Benchmark
  public Integer eventualAwait() {
    return loop.runUntilComplete(loop.createTask(roundTrips(loop)));
  }

  /**
   * eventual, loop on a virtual thread: the same task, handed to the loop with {@code
   * callSoonThreadsafe}; the benchmark thread waits until it is done.
   *
   * @return the sum of the results
   * @throws InterruptedException if interrupted while waiting for the task
   */
  @Benchmark
  public Integer eventualAwaitLoopOnVirtualThread() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Integer[] sum = new Integer[1];
    virtualLoop.callSoonThreadsafe(
        () ->
            virtualLoop
                .createTask(roundTrips(virtualLoop))
                .addDoneCallback(
                    t -> {
                      sum[0] = t.result(); // on the loop's thread, before the release
                      done.countDown();
                    }));
    if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          ROUND_TRIPS + " await round trips did not finish in " + TIMEOUT_SECONDS + " s");
    }
    return sum[0];
  }

  /** {@code Thread.ofVirtual().factory()} on Java 21+, found reflectively; null before. */
  private static ThreadFactory virtualThreadFactory() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      Object b =
          lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)).invoke();
      return (ThreadFactory)
          lookup
              .findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class))
              .invoke(b);
    } catch (Throwable unavailable) { // JDK 17-20
      return null;
    }
  }
}
