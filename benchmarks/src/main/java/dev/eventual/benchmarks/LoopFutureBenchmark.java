package dev.eventual.benchmarks;

import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Create a future, add one callback, complete it, and let the callback run; time is per future.
 * eventual's {@link LoopFuture} never runs a callback inline: {@code setResult} schedules it with
 * {@code callSoon}, so each invocation completes {@value #FUTURES} futures, then runs one turn of
 * the loop ({@code stop(); runForever()}) on the benchmark thread, which runs all their callbacks.
 * The peer does the same work the JDK's way: {@value #FUTURES} × (new {@code CompletableFuture},
 * {@code whenComplete}, {@code complete}), the callback running inline.
 */
@OperationsPerInvocation(LoopFutureBenchmark.FUTURES)
public class LoopFutureBenchmark extends BenchmarkDefaults {
  static final int FUTURES = 1_000;
  private final Integer value = 42;
  private EventLoop loop;
  private Consumer<LoopFuture<Integer>> loopCallback;
  private BiConsumer<Integer, Throwable> jdkCallback;

  /**
   * Creates the loop (not running: the benchmark thread runs it one turn at a time) and the
   * callbacks, which hand what they get to the blackhole.
   *
   * @param bh sink
   */
  @Setup(Level.Trial)
  public void createLoop(Blackhole bh) {
    loop = new EventLoop();
    loopCallback = bh::consume;
    jdkCallback = (v, e) -> bh.consume(v);
  }

  /** Closes the loop. */
  @TearDown(Level.Trial)
  public void closeLoop() {
    loop.close();
  }

  /**
   * eventual: {@value #FUTURES} × ({@code createFuture}, {@code addDoneCallback}, {@code
   * setResult}), then one loop turn runs the {@value #FUTURES} callbacks.
   */
  @Benchmark
  public void eventual() {
    for (int i = 0; i < FUTURES; i++) {
      LoopFuture<Integer> f = loop.createFuture();
      f.addDoneCallback(loopCallback);
      f.setResult(value);
    }
    loop.stop();
    loop.runForever();
  }

  /**
   * eventual, the same work inside a callback of the running loop (where a future's methods check
   * that they are called on the loop's thread): one turn runs a callback that does {@value
   * #FUTURES} × ({@code createFuture}, {@code addDoneCallback}, {@code setResult}) and schedules
   * the stop; the next turn runs their callbacks, then the stop.
   */
  @Benchmark
  public void eventualInsideTheLoop() {
    loop.callSoon(burst);
    loop.runForever();
  }

  private final Runnable burst =
      () -> {
        for (int i = 0; i < FUTURES; i++) {
          LoopFuture<Integer> f = loop.createFuture();
          f.addDoneCallback(loopCallback);
          f.setResult(value);
        }
        loop.callSoon(loop::stop);
      };

  /**
   * The JDK: {@value #FUTURES} × ({@code new CompletableFuture}, {@code whenComplete}, {@code
   * complete}); each callback runs inside {@code complete}.
   */
  @Benchmark
  public void completableFuture() {
    for (int i = 0; i < FUTURES; i++) {
      CompletableFuture<Integer> f = new CompletableFuture<>();
      f.whenComplete(jdkCallback);
      f.complete(value);
    }
  }
}
