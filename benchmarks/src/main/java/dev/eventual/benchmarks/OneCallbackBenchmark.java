package dev.eventual.benchmarks;

import com.google.common.util.concurrent.Futures;
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

/**
 * Create a future, add one callback, complete it: the callback fires on this thread.
 *
 * <p>The same work for every library: each callback is a lambda that captures the {@link Blackhole}
 * (so it is allocated per operation, as a real callback that captures its context is), reads the
 * future's value through the library's own accessor for a completed future, and sends it to the
 * Blackhole. Guava's listener is a {@code Runnable} that gets no argument, so it also captures the
 * future to read it. {@link #floorOneSlotFuture} is the floor: a future of one slot.
 */
// Three forks: from one JVM to the next the JIT compiles this nanosecond scenario differently,
// and that spread (up to 40% here) is larger than the gaps it measures.
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OneCallbackBenchmark extends BenchmarkDefaults {
  private final Integer value = 42;

  /**
   * eventual: {@code addDoneCallback} reading {@code result()}, then {@code setResult}.
   *
   * @param bh sink
   */
  @Benchmark
  public void eventual(Blackhole bh) {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(done -> bh.consume(done.result()));
    f.setResult(value);
  }

  /**
   * Guava: {@code addListener(…, directExecutor())} reading {@code Futures.getDone}, then {@code
   * set}.
   *
   * @param bh sink
   */
  @Benchmark
  public void guavaDirectExecutor(Blackhole bh) {
    SettableFuture<Integer> f = SettableFuture.create();
    f.addListener(() -> bh.consume(getDone(f)), MoreExecutors.directExecutor());
    f.set(value);
  }

  private static Integer getDone(SettableFuture<Integer> f) {
    try {
      return Futures.getDone(f);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The JDK: {@code whenComplete} reading its value argument, then {@code complete}.
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
   * Netty: {@code addListener} reading {@code getNow()}, on the immediate executor, then {@code
   * setSuccess}.
   *
   * @param bh sink
   */
  @Benchmark
  public void netty(Blackhole bh) {
    Promise<Integer> f = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
    f.addListener(done -> bh.consume(done.getNow()));
    f.setSuccess(value);
  }

  /**
   * The floor: a one-slot future ({@link Floors.OneSlotFuture}) with the same capturing callback.
   *
   * @param bh sink
   */
  @Benchmark
  public void floorOneSlotFuture(Blackhole bh) {
    Floors.OneSlotFuture f = new Floors.OneSlotFuture();
    f.onComplete(v -> bh.consume(v));
    f.complete(value);
  }
}
