package dev.eventual.benchmarks;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import dev.eventual.loop.Task;
import dev.eventual.loop.TaskBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code await} round trip: a task awaits a fresh {@link LoopFuture} that a {@code callSoon}
 * callback completes, {@value #ROUND_TRIPS} times; time is per round trip. Each round trip suspends
 * the task, runs the callback on the loop, and resumes the task; the task is a continuation on the
 * loop's thread on JDK 21+ (the fork has the export, see {@link BenchmarkDefaults}), a platform
 * thread on 17. Its peer is CPython's asyncio, timed by {@code benchmarks/cpython_bench.py} on the
 * same scenario ({@code loop.run_until_complete} of one task); the target applies on JDK 25.
 *
 * <p>{@code eventualAsyncioRun} is what a program gets from {@code Asyncio.run}: a new loop per
 * invocation, run on the benchmark thread. {@code eventualLoopOnCallerThread} reuses one loop, as
 * the CPython script does. With continuations the round trip involves one thread; on task threads
 * (JDK 17) each hand-off between the loop's thread and the task's is a one-permit baton whose taker
 * spins briefly before it parks.
 */
@OperationsPerInvocation(LoopAwaitBenchmark.ROUND_TRIPS)
// Ten warm-up iterations, not three: on JDK 25 the task's suspend and resume paths were still
// being compiled after three (iterations of 10-50 µs per round trip, then ~0.7 µs from the sixth
// on).
@Warmup(iterations = 10, time = 1)
public class LoopAwaitBenchmark extends BenchmarkDefaults {
  static final int ROUND_TRIPS = 1_000;

  private static final Integer VALUE = 42;
  private EventLoop loop;

  /** Creates the loop that {@code eventualLoopOnCallerThread} runs. */
  @Setup(Level.Trial)
  public void createLoop() {
    loop = new EventLoop();
  }

  /** Closes it. */
  @TearDown(Level.Trial)
  public void closeLoop() {
    loop.close();
  }

  /** The task's code: {@value #ROUND_TRIPS} awaits of a callSoon-completed future. */
  private static final TaskBody<Integer> ROUND_TRIPS_BODY =
      () -> {
        EventLoop on = Task.currentTask().getLoop();
        int sum = 0;
        for (int i = 0; i < ROUND_TRIPS; i++) {
          LoopFuture<Integer> f = on.createFuture();
          on.callSoon(() -> f.setResult(VALUE));
          sum += await(f);
        }
        return sum;
      };

  /**
   * eventual, as a program runs it: {@code Asyncio.run} of one task doing {@value #ROUND_TRIPS} ×
   * ({@code createFuture}, {@code callSoon} of its {@code setResult}, {@code await}).
   *
   * @return the sum of the results
   */
  @Benchmark
  public Integer eventualAsyncioRun() {
    return Asyncio.run(ROUND_TRIPS_BODY);
  }

  /**
   * eventual, the same task on a loop run by the benchmark's own platform thread.
   *
   * @return the sum of the results
   */
  @Benchmark
  public Integer eventualLoopOnCallerThread() {
    return loop.runUntilComplete(loop.createTask(ROUND_TRIPS_BODY));
  }
}
