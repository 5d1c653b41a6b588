package dev.eventual.benchmarks;

import dev.eventual.ConcurrentFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cross-thread hand-off: the benchmark thread publishes a new future to a completer thread and
 * blocks in {@code result()} / {@code join()} until the completer has completed it.
 *
 * <p>Two completers, reported side by side ({@code completer} parameter): {@code spin} busy-waits
 * for the next future and never parks, the best case for a waiter that spins a little before it
 * parks; {@code park} parks while it has nothing to do and is unparked by the benchmark thread
 * after each hand-off, as a real completing thread (an I/O or worker thread that sleeps when idle)
 * is, so the wake-up of each side is part of the time.
 */
public class HandoffBenchmark extends BenchmarkDefaults {
  /** {@code spin}: the completer busy-waits; {@code park}: it parks when idle. */
  @Param({"spin", "park"})
  public String completer;

  private final AtomicReference<Object> slot = new AtomicReference<>();
  private volatile boolean running;
  private boolean parks;
  private Thread completerThread;

  /** Starts the completer thread. */
  @Setup(Level.Trial)
  public void startCompleter() {
    if (!completer.equals("spin") && !completer.equals("park")) {
      throw new IllegalArgumentException("completer must be spin or park: " + completer);
    }
    parks = completer.equals("park");
    running = true;
    completerThread = new Thread(this::complete, "completer");
    completerThread.setDaemon(true);
    completerThread.start();
  }

  @SuppressWarnings("unchecked")
  private void complete() {
    Integer value = 42;
    while (running) {
      Object f = slot.getAndSet(null);
      if (f == null) {
        if (parks) {
          LockSupport.park(this);
        } else {
          Thread.onSpinWait();
        }
      } else if (f instanceof ConcurrentFuture) {
        ((ConcurrentFuture<Integer>) f).setResult(value);
      } else {
        ((CompletableFuture<Integer>) f).complete(value);
      }
    }
  }

  private void handOff(Object f) {
    slot.set(f);
    if (parks) {
      LockSupport.unpark(completerThread);
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
    LockSupport.unpark(completerThread);
    completerThread.join();
  }

  /**
   * eventual: hand off, then {@code result()}.
   *
   * @return the result
   */
  @Benchmark
  public Integer eventualResult() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    handOff(f);
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
    handOff(f);
    return f.join();
  }
}
