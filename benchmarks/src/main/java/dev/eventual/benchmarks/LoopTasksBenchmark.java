package dev.eventual.benchmarks;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import dev.eventual.loop.Task;
import dev.eventual.loop.TaskBody;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The loop's task runtime at scale: {@code Asyncio.run} of a main task that creates {@code n}
 * tasks, each awaiting {@code Asyncio.sleep(sleepMs)} and returning 1, and gathers them (time per
 * whole run, in nanoseconds as every scenario). CPython's same program ({@code asyncio.run}, {@code
 * create_task}, {@code asyncio.sleep}, {@code gather}) is timed by {@code
 * benchmarks/cpython_bench.py} as {@code asyncio_tasks_sleep_gather_<n>_<ms>}.
 *
 * <p>One method per task runtime (see {@code TaskRuntime} in eventual-loop), each in a JVM of its
 * own started with the runtime's flag: {@code continuation} (JDK 21+, with {@code --add-exports
 * java.base/jdk.internal.vm=ALL-UNNAMED}), {@code virtualThreads} (JDK 21+) and {@link
 * Platform#platformThreads} (any JDK; the only one on 17). On a JDK that lacks a runtime, its
 * method falls back to platform threads (and at most 10,000 tasks): run only {@code Platform}
 * there. Every fork has a fixed 4 GiB heap: the runs of 100,000 tasks keep about 100 MB alive, and
 * a heap that grows during the measurement would time the growth.
 */
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class LoopTasksBenchmark extends BenchmarkDefaults {
  /** How many tasks are gathered. */
  @Param({"1000", "10000", "100000"})
  public int n;

  /** How long each task sleeps, in milliseconds. */
  @Param({"0", "10"})
  public int sleepMs;

  static int run(int n, int sleepMs, String runtime) {
    if (n > 1_000 && !EventLoop.taskRuntime().equals(runtime)) {
      n = 1_000; // a fallback (JDK 17 has neither continuations nor virtual threads): kept short
    }
    int count = n;
    Duration sleep = Duration.ofMillis(sleepMs);
    TaskBody<Integer> child =
        () -> {
          Asyncio.sleep(sleep);
          return 1;
        };
    int total =
        Asyncio.run(
            () -> {
              List<Task<Integer>> tasks = new ArrayList<>(count);
              for (int i = 0; i < count; i++) {
                tasks.add(Asyncio.createTask(child));
              }
              int sum = 0;
              for (int v : await(Asyncio.gather(tasks))) {
                sum += v;
              }
              return sum;
            });
    if (total != count) {
      throw new AssertionError("gathered " + total + " of " + count);
    }
    return total;
  }

  /**
   * eventual on continuations (falls back to threads where they cannot be used).
   *
   * @return the number of tasks gathered
   */
  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {
        "-Xms4g",
        "-Xmx4g",
        "--add-exports",
        "java.base/jdk.internal.vm=ALL-UNNAMED",
        "-Ddev.eventual.loop.taskRuntime=continuation"
      })
  public int continuation() {
    return run(n, sleepMs, "continuation");
  }

  /**
   * eventual on a virtual thread per task (platform threads before JDK 21).
   *
   * @return the number of tasks gathered
   */
  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Ddev.eventual.loop.taskRuntime=virtual"})
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 3, time = 2)
  public int virtualThreads() {
    return run(n, sleepMs, "virtual");
  }

  /**
   * eventual on a platform thread per pending task, reused: the only runtime on JDK 17, where each
   * pending task holds an OS thread, so 100,000 are not tried.
   */
  public static class Platform extends BenchmarkDefaults {
    /** How many tasks are gathered. */
    @Param({"1000", "10000"})
    public int n;

    /** How long each task sleeps, in milliseconds. */
    @Param({"0", "10"})
    public int sleepMs;

    /**
     * eventual on platform threads.
     *
     * @return the number of tasks gathered
     */
    @Benchmark
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 3, time = 2)
    @Fork(
        value = 1,
        jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Ddev.eventual.loop.taskRuntime=platform"})
    public int platformThreads() {
      return run(n, sleepMs, "platform");
    }
  }

  /**
   * Two tasks pass a turn back and forth through loop futures: each awaits a future the other
   * completes. Time per task switch ({@link #SWITCHES} per invocation).
   */
  public static class PingPong extends BenchmarkDefaults {
    static final int ROUNDS = 10_000;

    /** Task switches per invocation: two per round. */
    static final int SWITCHES = 2 * ROUNDS;

    static int pingPong() {
      return Asyncio.run(
          () -> {
            EventLoop loop = EventLoop.getRunningLoop();
            Ball ball = new Ball(loop);
            Task<Integer> pong =
                Asyncio.createTask(
                    () -> {
                      int sum = 0;
                      for (int i = 0; i < ROUNDS; i++) {
                        sum += await(ball.toPong);
                        ball.toPong = loop.createFuture();
                        ball.toPing.setResult(i);
                      }
                      return sum;
                    });
            int sum = 0;
            for (int i = 0; i < ROUNDS; i++) {
              LoopFuture<Integer> back = ball.toPing;
              ball.toPong.setResult(i);
              sum += await(back);
              ball.toPing = loop.createFuture();
            }
            return sum + await(pong);
          });
    }

    /** The two futures in flight. */
    static final class Ball {
      LoopFuture<Integer> toPong;
      LoopFuture<Integer> toPing;

      Ball(EventLoop loop) {
        toPong = loop.createFuture();
        toPing = loop.createFuture();
      }
    }

    /**
     * On continuations.
     *
     * @return the sum of what was passed
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(SWITCHES)
    @Warmup(iterations = 10, time = 1)
    @Fork(
        value = 1,
        jvmArgsAppend = {
          "-Xms1g",
          "-Xmx1g",
          "--add-exports",
          "java.base/jdk.internal.vm=ALL-UNNAMED",
          "-Ddev.eventual.loop.taskRuntime=continuation"
        })
    public int continuation() {
      return pingPong();
    }

    /**
     * On virtual threads.
     *
     * @return the sum of what was passed
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(SWITCHES)
    @Warmup(iterations = 10, time = 1)
    @Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Ddev.eventual.loop.taskRuntime=virtual"})
    public int virtualThreads() {
      return pingPong();
    }

    /**
     * On platform threads.
     *
     * @return the sum of what was passed
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(SWITCHES)
    @Warmup(iterations = 10, time = 1)
    @Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Ddev.eventual.loop.taskRuntime=platform"})
    public int platformThreads() {
      return pingPong();
    }
  }
}
