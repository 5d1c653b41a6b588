package dev.eventual.benchmarks;

import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.ConcurrentFuture;
import dev.eventual.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.openjdk.jmh.annotations.Benchmark;

/** Combine 1,000 pending futures, then complete them all and read the combined list. */
public class CombineBenchmark extends BenchmarkDefaults {
  static final int N = 1000;

  /**
   * eventual: {@code Futures.combine}.
   *
   * @return the combined results
   */
  @Benchmark
  public List<Integer> eventualCombine() {
    List<ConcurrentFuture<Integer>> inputs = new ArrayList<>(N);
    for (int i = 0; i < N; i++) {
      inputs.add(new ConcurrentFuture<>());
    }
    ConcurrentFuture<List<Integer>> all = Futures.combine(inputs);
    for (int i = 0; i < N; i++) {
      inputs.get(i).setResult(i);
    }
    return all.result();
  }

  /**
   * Guava: {@code Futures.allAsList}.
   *
   * @return the combined results
   * @throws ExecutionException never
   * @throws InterruptedException never
   */
  @Benchmark
  public List<Integer> guavaAllAsList() throws ExecutionException, InterruptedException {
    List<SettableFuture<Integer>> inputs = new ArrayList<>(N);
    for (int i = 0; i < N; i++) {
      inputs.add(SettableFuture.create());
    }
    var all = com.google.common.util.concurrent.Futures.allAsList(inputs);
    for (int i = 0; i < N; i++) {
      inputs.get(i).set(i);
    }
    return all.get();
  }

  /**
   * The JDK: {@code CompletableFuture.allOf}, then each {@code join} in order.
   *
   * @return the combined results
   */
  @Benchmark
  public List<Integer> completableFutureAllOf() {
    List<CompletableFuture<Integer>> inputs = new ArrayList<>(N);
    for (int i = 0; i < N; i++) {
      inputs.add(new CompletableFuture<>());
    }
    CompletableFuture<List<Integer>> all =
        CompletableFuture.allOf(inputs.toArray(new CompletableFuture<?>[0]))
            .thenApply(
                ignored -> {
                  List<Integer> out = new ArrayList<>(N);
                  for (CompletableFuture<Integer> f : inputs) {
                    out.add(f.join());
                  }
                  return out;
                });
    for (int i = 0; i < N; i++) {
      inputs.get(i).complete(i);
    }
    return all.join();
  }
}
