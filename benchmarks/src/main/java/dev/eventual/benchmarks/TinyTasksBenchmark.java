package dev.eventual.benchmarks;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import dev.eventual.FutureIterator;
import dev.eventual.Futures;
import dev.eventual.ThreadPoolFutureExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code tasks} tiny tasks on 2 workers; wait for all of them. Time is per batch of {@code tasks}.
 *
 * <p>Each pool has 2 workers and is shared by every benchmark thread: run with JMH's {@code -t 2}
 * or {@code -t 4} for that many submitting threads (each submits its own batch and waits for it;
 * the time is then per batch per thread). The scenarios: submit and read each result ({@code
 * eventualThreadPool}, {@code eventualWrappedForkJoin} against {@code
 * completableFutureSupplyAsync}, {@code forkJoinSubmitGet}, {@code jdkThreadPoolExecutor}); submit,
 * then one combined future ({@code eventualThreadPoolCombine} against {@code
 * completableFutureAllOf}); and {@code map} over the task numbers ({@code eventualThreadPoolMap}
 * against {@code completableFutureMap}).
 */
// Three forks: three threads share two cores here, and how the OS schedules them differs from one
// JVM to the next by more than the gaps this scenario measures.
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TinyTasksBenchmark extends BenchmarkDefaults {
  private static final Integer VALUE = 7;
  private static final Callable<Integer> TASK = () -> VALUE;
  private static final Supplier<Integer> SUPPLIER = () -> VALUE;
  private static final Function<Integer, Integer> MAP_FN = x -> x;

  /** Tasks per batch. */
  @Param({"10000"})
  public int tasks;

  private Object[] futures;
  private List<Integer> items;

  /** The pools, with 2 workers each, shared by every benchmark thread. */
  @State(Scope.Benchmark)
  public static class Pools {
    ThreadPoolFutureExecutor eventualPool;
    FutureExecutor eventualOnForkJoin;
    ForkJoinPool forkJoin;
    ForkJoinPool forkJoinForWrap;
    ForkJoinPool forkJoinRaw;
    ThreadPoolExecutor jdkPool;

    /** Starts every pool with 2 workers. */
    @Setup(Level.Trial)
    public void startPools() {
      eventualPool = new ThreadPoolFutureExecutor(2);
      forkJoin = new ForkJoinPool(2);
      forkJoinForWrap = new ForkJoinPool(2);
      forkJoinRaw = new ForkJoinPool(2);
      eventualOnForkJoin = FutureExecutor.wrap(forkJoinForWrap);
      jdkPool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    }

    /** Shuts every pool down. */
    @TearDown(Level.Trial)
    public void stopPools() {
      eventualPool.shutdown();
      eventualOnForkJoin.shutdown();
      forkJoin.shutdown();
      forkJoinRaw.shutdown();
      jdkPool.shutdown();
    }
  }

  /** Makes this thread's batch arrays. */
  @Setup(Level.Trial)
  public void makeBatch() {
    futures = new Object[tasks];
    Integer[] numbers = new Integer[tasks];
    Arrays.fill(numbers, VALUE);
    items = Arrays.asList(numbers);
  }

  /**
   * eventual's {@code ThreadPoolFutureExecutor}: submit, then {@code result()} on each.
   *
   * @param pools the pools
   * @return the last result
   */
  @Benchmark
  public Integer eventualThreadPool(Pools pools) {
    return submitAndWait(pools.eventualPool);
  }

  /**
   * eventual's {@code FutureExecutor.wrap} over a 2-thread ForkJoinPool.
   *
   * @param pools the pools
   * @return the last result
   */
  @Benchmark
  public Integer eventualWrappedForkJoin(Pools pools) {
    return submitAndWait(pools.eventualOnForkJoin);
  }

  @SuppressWarnings("unchecked")
  private Integer submitAndWait(FutureExecutor executor) {
    for (int i = 0; i < tasks; i++) {
      futures[i] = executor.submit(TASK);
    }
    Integer last = null;
    for (int i = 0; i < tasks; i++) {
      last = ((ConcurrentFuture<Integer>) futures[i]).result();
    }
    return last;
  }

  /**
   * eventual's {@code ThreadPoolFutureExecutor}: submit every task, then {@code
   * Futures.combine(...).result()}.
   *
   * @param pools the pools
   * @return the combined results
   */
  @Benchmark
  public List<Integer> eventualThreadPoolCombine(Pools pools) {
    List<ConcurrentFuture<Integer>> all = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      all.add(pools.eventualPool.submit(TASK));
    }
    return Futures.combine(all).result();
  }

  /**
   * eventual's {@code ThreadPoolFutureExecutor.map} over the task numbers, every result read.
   *
   * @param pools the pools
   * @return the last result
   */
  @Benchmark
  public Integer eventualThreadPoolMap(Pools pools) {
    Integer last = null;
    try (FutureIterator<Integer> results = pools.eventualPool.map(MAP_FN, items)) {
      while (results.hasNext()) {
        last = results.next();
      }
    }
    return last;
  }

  /**
   * The JDK: {@code CompletableFuture.supplyAsync} on a 2-thread ForkJoinPool, then {@code join()}.
   *
   * @param pools the pools
   * @return the last result
   */
  @Benchmark
  @SuppressWarnings("unchecked")
  public Integer completableFutureSupplyAsync(Pools pools) {
    for (int i = 0; i < tasks; i++) {
      futures[i] = CompletableFuture.supplyAsync(SUPPLIER, pools.forkJoin);
    }
    Integer last = null;
    for (int i = 0; i < tasks; i++) {
      last = ((CompletableFuture<Integer>) futures[i]).join();
    }
    return last;
  }

  /**
   * The JDK: {@code supplyAsync} every task, then {@code allOf(...).join()} and each result.
   *
   * @param pools the pools
   * @return the results
   */
  @Benchmark
  @SuppressWarnings("unchecked")
  public List<Integer> completableFutureAllOf(Pools pools) {
    CompletableFuture<Integer>[] all = new CompletableFuture[tasks];
    for (int i = 0; i < tasks; i++) {
      all[i] = CompletableFuture.supplyAsync(SUPPLIER, pools.forkJoin);
    }
    CompletableFuture.allOf(all).join();
    List<Integer> results = new ArrayList<>(tasks);
    for (CompletableFuture<Integer> f : all) {
      results.add(f.join());
    }
    return results;
  }

  /**
   * The JDK's map: {@code supplyAsync} of the function on each item, then {@code join()} in order.
   *
   * @param pools the pools
   * @return the last result
   */
  @Benchmark
  @SuppressWarnings("unchecked")
  public Integer completableFutureMap(Pools pools) {
    for (int i = 0; i < tasks; i++) {
      Integer item = items.get(i);
      futures[i] = CompletableFuture.supplyAsync(() -> MAP_FN.apply(item), pools.forkJoin);
    }
    Integer last = null;
    for (int i = 0; i < tasks; i++) {
      last = ((CompletableFuture<Integer>) futures[i]).join();
    }
    return last;
  }

  /**
   * The raw pool: {@code ForkJoinPool.submit}, then {@code get()}; the floor of {@code
   * FutureExecutor.wrap(ForkJoinPool)}.
   *
   * @param pools the pools
   * @return the last result
   * @throws ExecutionException never
   * @throws InterruptedException never
   */
  @Benchmark
  @SuppressWarnings("unchecked")
  public Integer forkJoinSubmitGet(Pools pools) throws ExecutionException, InterruptedException {
    for (int i = 0; i < tasks; i++) {
      futures[i] = pools.forkJoinRaw.submit(TASK);
    }
    Integer last = null;
    for (int i = 0; i < tasks; i++) {
      last = ((ForkJoinTask<Integer>) futures[i]).get();
    }
    return last;
  }

  /**
   * The JDK: a raw 2-thread {@code ThreadPoolExecutor}, {@code submit}, then {@code get()}.
   *
   * @param pools the pools
   * @return the last result
   * @throws ExecutionException never
   * @throws InterruptedException never
   */
  @Benchmark
  @SuppressWarnings("unchecked")
  public Integer jdkThreadPoolExecutor(Pools pools)
      throws ExecutionException, InterruptedException {
    for (int i = 0; i < tasks; i++) {
      futures[i] = pools.jdkPool.submit(TASK);
    }
    Integer last = null;
    for (int i = 0; i < tasks; i++) {
      last = ((Future<Integer>) futures[i]).get();
    }
    return last;
  }
}
