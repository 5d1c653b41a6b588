package dev.eventual;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * The factory and helpers of the executor contract tests: executors made here are shut down after
 * each test, and gates made here are opened first, so a failing test never leaves a thread blocked.
 */
@Timeout(60)
abstract class ExecutorContractSupport {
  /** Long enough for a loaded 2-core machine; a test that reaches it has failed anyway. */
  static final long PATIENCE_SECONDS = 30;

  private final List<FutureExecutor> executors = new ArrayList<>();
  private final List<Gate> gates = new ArrayList<>();

  /**
   * Makes the executor under test.
   *
   * @param maxWorkers the most tasks it should run at once; an executor that cannot limit its
   *     workers ignores it and says so through {@link #limitsWorkers()}
   */
  protected abstract FutureExecutor newExecutor(int maxWorkers);

  /** Whether {@link #newExecutor} honours maxWorkers (a virtual-thread executor doesn't). */
  protected boolean limitsWorkers() {
    return true;
  }

  /** Whether a worker runs task after task, so that one task's interrupt could leak to the next. */
  protected boolean reusesThreads() {
    return limitsWorkers();
  }

  /** An executor that is shut down after the test. */
  final FutureExecutor executor(int maxWorkers) {
    return register(newExecutor(maxWorkers));
  }

  /** Shuts {@code e} down after the test. */
  final <E extends FutureExecutor> E register(E e) {
    executors.add(e);
    return e;
  }

  /** A latch that tasks wait on; opened after the test at the latest. */
  final Gate gate() {
    Gate g = new Gate();
    gates.add(g);
    return g;
  }

  @AfterEach
  @Timeout(60)
  void openGatesAndShutDown() {
    gates.forEach(Gate::open);
    for (FutureExecutor e : executors) {
      e.shutdown(true, true);
    }
  }

  /** A one-shot latch whose await gives up (and fails the task) after {@link #PATIENCE_SECONDS}. */
  static final class Gate {
    private final CountDownLatch latch = new CountDownLatch(1);

    void open() {
      latch.countDown();
    }

    boolean isOpen() {
      return latch.getCount() == 0;
    }

    void await() throws InterruptedException {
      if (!latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("gate never opened");
      }
    }

    /** Waits without throwing InterruptedException; the interrupt flag is set again. */
    void awaitUninterruptibly() {
      try {
        await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Waits (polling) until the condition holds; fails after {@link #PATIENCE_SECONDS}. */
  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(5);
    }
  }
}
