package dev.eventual.benchmarks;

import dev.eventual.ConcurrentFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cross-thread hand-off: the benchmark thread publishes a new future to a completer thread and
 * blocks in {@code result()} / {@code join()} until the completer has completed it.
 */
public class HandoffBenchmark extends BenchmarkDefaults {
  private final AtomicReference<Object> slot = new AtomicReference<>();
  private volatile boolean running;
  private Thread completer;

  /** Starts the completer thread, which spins on the slot. */
  @Setup(Level.Trial)
  public void startCompleter() {
    running = true;
    completer = new Thread(this::complete, "completer");
    completer.setDaemon(true);
    completer.start();
  }

  @SuppressWarnings("unchecked")
  private void complete() {
    Integer value = 42;
    while (running) {
      Object f = slot.getAndSet(null);
      if (f == null) {
        Thread.onSpinWait();
      } else if (f instanceof ConcurrentFuture) {
        ((ConcurrentFuture<Integer>) f).setResult(value);
      } else {
        ((CompletableFuture<Integer>) f).complete(value);
      }
    }
  }

  /**
   * Stops the completer thread.
   *
   * @throws InterruptedException if interrupted while joining it
   */
  @TearDown(Level.Trial)
  public void stopCompleter() throws InterruptedException {
    running = false;
    completer.join();
  }

  /**
   * eventual: hand off, then {@code result()}.
   *
   * @return the result
   */
  @Benchmark
  public Integer eventualResult() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    slot.set(f);
    return f.result();
  }

  /**
   * The JDK: hand off, then {@code join()}.
   *
   * @return the result
   */
  @Benchmark
  public Integer completableFutureJoin() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    slot.set(f);
    return f.join();
  }
}
