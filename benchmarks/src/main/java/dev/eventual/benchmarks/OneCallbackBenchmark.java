package dev.eventual.benchmarks;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.ConcurrentFuture;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.infra.Blackhole;

/** Create a future, add one callback, complete it: the callback fires on this thread. */
// Three forks: from one JVM to the next the JIT compiles this nanosecond scenario differently,
// and that spread (up to 40% here) is larger than the gaps it measures.
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OneCallbackBenchmark extends BenchmarkDefaults {
  private final Integer value = 42;

  /**
   * eventual: {@code addDoneCallback}, then {@code setResult}.
   *
   * @param bh sink
   */
  @Benchmark
  public void eventual(Blackhole bh) {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(bh::consume);
    f.setResult(value);
  }

  /**
   * Guava: {@code addListener(…, directExecutor())}, then {@code set}.
   *
   * @param bh sink
   */
  @Benchmark
  public void guavaDirectExecutor(Blackhole bh) {
    SettableFuture<Integer> f = SettableFuture.create();
    f.addListener(() -> bh.consume(f), MoreExecutors.directExecutor());
    f.set(value);
  }

  /**
   * The JDK: {@code whenComplete}, then {@code complete}.
   *
   * @param bh sink
   */
  @Benchmark
  public void completableFuture(Blackhole bh) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    f.whenComplete((v, e) -> bh.consume(v));
    f.complete(value);
  }

  /**
   * Netty: {@code addListener} on the immediate executor, then {@code setSuccess}.
   *
   * @param bh sink
   */
  @Benchmark
  public void netty(Blackhole bh) {
    Promise<Integer> f = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
    f.addListener(bh::consume);
    f.setSuccess(value);
  }
}
