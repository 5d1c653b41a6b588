package dev.eventual.benchmarks;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import dev.eventual.ThreadPoolFutureExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/** 10,000 tiny tasks on 2 workers; wait for all of them. Time is per batch of 10,000. */
// Three forks: three threads share two cores here, and how the OS schedules them differs from one
// JVM to the next by more than the gaps this scenario measures.
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TinyTasksBenchmark extends BenchmarkDefaults {
  static final int TASKS = 10_000;
  private static final Integer VALUE = 7;
  private static final Callable<Integer> TASK = () -> VALUE;
  private static final Supplier<Integer> SUPPLIER = () -> VALUE;

  private ThreadPoolFutureExecutor eventualPool;
  private FutureExecutor eventualOnForkJoin;
  private ForkJoinPool forkJoin;
  private ForkJoinPool forkJoinForWrap;
  private ThreadPoolExecutor jdkPool;

  private final Object[] futures = new Object[TASKS];

  /** Starts every pool with 2 workers. */
  @Setup(Level.Trial)
  public void startPools() {
    eventualPool = new ThreadPoolFutureExecutor(2);
    forkJoin = new ForkJoinPool(2);
    forkJoinForWrap = new ForkJoinPool(2);
    eventualOnForkJoin = FutureExecutor.wrap(forkJoinForWrap);
    jdkPool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
  }

  /** Shuts every pool down. */
  @TearDown(Level.Trial)
  public void stopPools() {
    eventualPool.shutdown();
    eventualOnForkJoin.shutdown();
    forkJoin.shutdown();
    jdkPool.shutdown();
  }

  /**
   * eventual's {@code ThreadPoolFutureExecutor}: submit, then {@code result()} on each.
   *
   * @return the last result
   */
  @Benchmark
  public Integer eventualThreadPool() {
    return submitAndWait(eventualPool);
  }

  /**
   * eventual's {@code FutureExecutor.wrap} over a 2-thread ForkJoinPool.
   *
   * @return the last result
   */
  @Benchmark
  public Integer eventualWrappedForkJoin() {
    return submitAndWait(eventualOnForkJoin);
  }

  @SuppressWarnings("unchecked")
  private Integer submitAndWait(FutureExecutor executor) {
    for (int i = 0; i < TASKS; i++) {
      futures[i] = executor.submit(TASK);
    }
    Integer last = null;
    for (int i = 0; i < TASKS; i++) {
      last = ((ConcurrentFuture<Integer>) futures[i]).result();
    }
    return last;
  }

  /**
   * The JDK: {@code CompletableFuture.supplyAsync} on a 2-thread ForkJoinPool, then {@code join()}.
   *
   * @return the last result
   */
  @Benchmark
  @SuppressWarnings("unchecked")
  public Integer completableFutureSupplyAsync() {
    for (int i = 0; i < TASKS; i++) {
      futures[i] = CompletableFuture.supplyAsync(SUPPLIER, forkJoin);
    }
    Integer last = null;
    for (int i = 0; i < TASKS; i++) {
      last = ((CompletableFuture<Integer>) futures[i]).join();
    }
    return last;
  }

  /**
   * The JDK: a raw 2-thread {@code ThreadPoolExecutor}, {@code submit}, then {@code get()}.
   *
   * @return the last result
   * @throws ExecutionException never
   * @throws InterruptedException never
   */
  @Benchmark
  @SuppressWarnings("unchecked")
  public Integer jdkThreadPoolExecutor() throws ExecutionException, InterruptedException {
    for (int i = 0; i < TASKS; i++) {
      futures[i] = jdkPool.submit(TASK);
    }
    Integer last = null;
    for (int i = 0; i < TASKS; i++) {
      last = ((Future<Integer>) futures[i]).get();
    }
    return last;
  }
}
