package dev.eventual.stress;

import dev.eventual.loop.EventLoop;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;

/**
 * The Lincheck operations on one loop, checked against {@link LoopModel}: {@code post()} ({@code
 * callSoonThreadsafe} of a counting callback) and {@code stop()} from any thread; on the loop's own
 * thread (the operations share one {@code nonParallelGroup}, so they run on one Lincheck thread, as
 * the loop's contract asks) a turn ({@code stop(); runForever()}, which runs what is scheduled and
 * returns without parking) or {@code close()}. After each scenario every accepted callback ran at
 * most once, and exactly the ones posted before the last turn and not dropped by the close ran.
 * {@link LoopCallSoonThreadsafeLincheckTest} runs them on an {@link EventLoop}, {@link
 * BrokenLoopLincheckTest} on a deliberately broken loop.
 */
public abstract class LoopOperations {
  /** The part of a loop the operations use. */
  interface Subject {
    /** Schedules the callback, or throws {@code IllegalStateException} if the loop is closed. */
    void callSoonThreadsafe(Runnable callback);

    void stop();

    /** Runs until stopped; throws {@code IllegalStateException} if the loop is closed. */
    void runForever();

    void close();

    boolean isClosed();
  }

  /** An {@link EventLoop} as a subject. */
  static Subject of(EventLoop loop) {
    return new Subject() {
      @Override
      public void callSoonThreadsafe(Runnable callback) {
        loop.callSoonThreadsafe(callback);
      }

      @Override
      public void stop() {
        loop.stop();
      }

      @Override
      public void runForever() {
        loop.runForever();
      }

      @Override
      public void close() {
        loop.close();
      }

      @Override
      public boolean isClosed() {
        return loop.isClosed();
      }
    };
  }

  static {
    Lincheck.warmUp();
    try (EventLoop warm = new EventLoop()) {
      warm.callSoonThreadsafe(() -> {});
      warm.stop();
      warm.runForever();
    }
  }

  private final Subject loop;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger ran = new AtomicInteger();
  private final AtomicInteger twice = new AtomicInteger();

  protected LoopOperations(Subject loop) {
    this.loop = loop;
  }

  @Operation
  public String post() {
    AtomicInteger runs = new AtomicInteger();
    try {
      loop.callSoonThreadsafe(
          () -> {
            if (runs.incrementAndGet() > 1) {
              twice.incrementAndGet();
            }
            ran.incrementAndGet();
          });
      accepted.incrementAndGet();
      return "accepted";
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }

  @Operation
  public void stop() {
    loop.stop();
  }

  @Operation(nonParallelGroup = "loop")
  public String turn() {
    int before = ran.get();
    try {
      loop.stop();
      loop.runForever();
      return "ran " + (ran.get() - before);
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }

  @Operation(nonParallelGroup = "loop")
  public void close() {
    loop.close();
  }

  /** No callback ran twice, and none ran that was not accepted. */
  @Validate
  public void everyAcceptedCallbackRanAtMostOnce() {
    if (twice.get() != 0 || ran.get() > accepted.get()) {
      throw new AssertionError(
          twice.get() + " callbacks ran twice; " + ran + " ran of " + accepted + " accepted");
    }
    if (!loop.isClosed()) {
      int before = ran.get();
      loop.stop();
      loop.runForever();
      if (ran.get() != accepted.get()) {
        throw new AssertionError(
            "a final turn ran " + (ran.get() - before) + "; " + ran + " of " + accepted + " ran");
      }
    }
  }
}
