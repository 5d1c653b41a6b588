package dev.eventual.benchmarks;

import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.ConcurrentFuture;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

/**
 * Create a future, complete it, read the result, all on one thread. Every library is read the same
 * way: through its blocking call ({@code result()}, {@code join()}, {@code get()}), which returns
 * at once for a completed future. {@link #floorAllocateCasRead} is the floor; the {@code ...Record}
 * methods repeat the scenario with a plain record as the result, a type no future library knows.
 */
// Three forks: from one JVM to the next the JIT compiles this nanosecond scenario differently,
// and that spread (up to 40% here) is larger than the gaps it measures.
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CreateCompleteBenchmark extends BenchmarkDefaults {
  private final Integer value = 42;

  /**
   * eventual: {@code new ConcurrentFuture}, {@code setResult}, {@code result()}.
   *
   * @return the result
   */
  @Benchmark
  public Integer eventual() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.setResult(value);
    return f.result();
  }

  /**
   * The JDK: {@code new CompletableFuture}, {@code complete}, {@code join()}.
   *
   * @return the result
   */
  @Benchmark
  public Integer completableFuture() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    f.complete(value);
    return f.join();
  }

  /**
   * Guava: {@code SettableFuture.create}, {@code set}, {@code get()}.
   *
   * @return the result
   * @throws ExecutionException never
   * @throws InterruptedException never
   */
  @Benchmark
  public Integer guava() throws ExecutionException, InterruptedException {
    SettableFuture<Integer> f = SettableFuture.create();
    f.set(value);
    return f.get();
  }

  /**
   * Netty: a {@code DefaultPromise} on the immediate executor, {@code setSuccess}, {@code get()}.
   *
   * @return the result
   * @throws ExecutionException never
   * @throws InterruptedException never
   */
  @Benchmark
  public Integer netty() throws ExecutionException, InterruptedException {
    Promise<Integer> f = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
    f.setSuccess(value);
    return f.get();
  }

  /**
   * The floor: allocate an object of one volatile field, CAS the value in, read it back.
   *
   * @return the result
   */
  @Benchmark
  public Object floorAllocateCasRead() {
    Floors.Cell c = new Floors.Cell();
    c.complete(value);
    return c.get();
  }

  /** A plain record: a result type that no library treats specially. */
  record Point(int x, int y) {}

  private final Point point = new Point(3, 4);

  /**
   * eventual with a record result.
   *
   * @return the result
   */
  @Benchmark
  public Point eventualRecord() {
    ConcurrentFuture<Point> f = new ConcurrentFuture<>();
    f.setResult(point);
    return f.result();
  }

  /**
   * The JDK with a record result.
   *
   * @return the result
   */
  @Benchmark
  public Point completableFutureRecord() {
    CompletableFuture<Point> f = new CompletableFuture<>();
    f.complete(point);
    return f.join();
  }
}
