package dev.eventual.benchmarks;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.ConcurrentFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

/** A chain of 100 continuations on a pending root, then the root completes. */
// Three forks: from one JVM to the next the JIT compiles this nanosecond scenario differently,
// and that spread (up to 40% here) is larger than the gaps it measures.
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ChainBenchmark extends BenchmarkDefaults {
  static final int STAGES = 100;

  /**
   * eventual: 100 × {@code continueWith}.
   *
   * @return the last stage's result
   */
  @Benchmark
  public Integer eventualContinueWith() {
    ConcurrentFuture<Integer> root = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> last = root;
    for (int i = 0; i < STAGES; i++) {
      last = last.continueWith(f -> f.result() + 1);
    }
    root.setResult(0);
    return last.result();
  }

  /**
   * The JDK: 100 × {@code thenApply}.
   *
   * @return the last stage's result
   */
  @Benchmark
  public Integer completableFutureThenApply() {
    CompletableFuture<Integer> root = new CompletableFuture<>();
    CompletableFuture<Integer> last = root;
    for (int i = 0; i < STAGES; i++) {
      last = last.thenApply(v -> v + 1);
    }
    root.complete(0);
    return last.join();
  }

  /**
   * Guava: 100 × {@code Futures.transform(…, directExecutor())}.
   *
   * @return the last stage's result
   * @throws ExecutionException never
   * @throws InterruptedException never
   */
  @Benchmark
  public Integer guavaTransform() throws ExecutionException, InterruptedException {
    SettableFuture<Integer> root = SettableFuture.create();
    ListenableFuture<Integer> last = root;
    for (int i = 0; i < STAGES; i++) {
      last = Futures.transform(last, v -> v + 1, MoreExecutors.directExecutor());
    }
    root.set(0);
    return last.get();
  }
}
