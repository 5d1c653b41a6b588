package dev.eventual.benchmarks;

import dev.eventual.ConcurrentFuture;
import dev.eventual.DoneAndNotDone;
import dev.eventual.FutureIterator;
import dev.eventual.Futures;
import dev.eventual.ReturnWhen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * {@code asCompleted} and {@code wait(FIRST_COMPLETED)} over n futures, to show the cost is linear
 * in n (no peer: neither the JDK, Guava nor Netty has these functions).
 */
public class AsCompletedBenchmark extends BenchmarkDefaults {
  /** How many futures. */
  @Param({"1000", "10000", "100000"})
  public int n;

  private static final Duration ONE_NANO = Duration.ofNanos(1);

  /**
   * asCompleted: one future done, the first {@code next()} installs the waiter on the others, then
   * they complete and the rest is drained.
   *
   * @return how many were yielded
   */
  @Benchmark
  public int eventualAsCompleted() {
    List<ConcurrentFuture<Integer>> fs = pending(n);
    int yielded = 0;
    try (FutureIterator<ConcurrentFuture<Integer>> it = Futures.asCompleted(fs)) {
      fs.get(0).setResult(0);
      it.next();
      yielded++;
      for (int i = 1; i < n; i++) {
        fs.get(i).setResult(i);
      }
      while (it.hasNext()) {
        it.next();
        yielded++;
      }
    }
    return yielded;
  }

  /**
   * wait(FIRST_COMPLETED) that installs its waiter on every pending future, times out at once and
   * removes it again.
   *
   * @return the size of the not-done set
   */
  @Benchmark
  public int eventualWaitFirstCompleted() {
    List<ConcurrentFuture<Integer>> fs = pending(n);
    DoneAndNotDone<ConcurrentFuture<Integer>> r =
        Futures.wait(fs, ONE_NANO, ReturnWhen.FIRST_COMPLETED);
    return r.notDone().size();
  }

  /**
   * Baseline, not eventual's: creates the n pending futures and copies them into a set, the least
   * any wait does with its input (Python's {@code set(fs)}). It shows how much of the growth per
   * future at large n comes from the memory the futures and one hash set take, not from the wait.
   *
   * @return the size of the set
   */
  @Benchmark
  public int baselineCreateIntoSet() {
    return new LinkedHashSet<>(pending(n)).size();
  }

  private static List<ConcurrentFuture<Integer>> pending(int n) {
    List<ConcurrentFuture<Integer>> fs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      fs.add(new ConcurrentFuture<>());
    }
    return fs;
  }
}
