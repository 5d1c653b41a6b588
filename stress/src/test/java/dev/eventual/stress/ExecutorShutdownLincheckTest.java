package dev.eventual.stress;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import dev.eventual.FutureState;
import dev.eventual.internal.ExecutorLifecycle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code submit} racing {@code shutdown(wait=false)} (with and without {@code cancelFutures}) and a
 * worker, model-checked on {@link FutureExecutor#wrap} over a {@link ManualExecutorService} (the
 * model checker schedules only its own threads, so the Lincheck threads are the submitters and the
 * worker). A submit is accepted exactly when no shutdown completed before it, else refused with
 * "cannot schedule new futures after shutdown" ({@link Model}), and after each scenario, once the
 * worker has drained the queue, every accepted future is FINISHED (its task ran once) or, only
 * after a {@code cancelFutures} shutdown, CANCELLED_AND_NOTIFIED (its task never ran): none is lost
 * or left pending, and no rejected task ever runs. The same race on real {@code
 * ThreadPoolFutureExecutor} threads is {@link ExecutorShutdownRaceTest}.
 */
public class ExecutorShutdownLincheckTest {
  static {
    Lincheck.warmUp();
  }

  private final ManualExecutorService service = new ManualExecutorService();
  private final FutureExecutor executor = FutureExecutor.wrap(service);
  private final Queue<ConcurrentFuture<Integer>> accepted = new ConcurrentLinkedQueue<>();
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicInteger rejectedRuns = new AtomicInteger();
  private volatile boolean cancelledByShutdown;

  @Operation
  public String submit() {
    AtomicInteger counter = new AtomicInteger();
    try {
      ConcurrentFuture<Integer> f =
          executor.submit(
              () -> {
                runs.incrementAndGet();
                return counter.incrementAndGet();
              });
      accepted.add(f);
      return "accepted";
    } catch (RejectedExecutionException e) {
      if (counter.get() != 0) {
        rejectedRuns.incrementAndGet();
      }
      return "RejectedExecutionException: " + e.getMessage();
    }
  }

  @Operation
  public void shutdownCancelFutures() {
    cancelledByShutdown = true;
    executor.shutdown(false, true);
  }

  @Operation
  public void shutdownKeepFutures() {
    executor.shutdown(false, false);
  }

  @Operation
  public void runOneTask() {
    service.runOne();
  }

  /** After each scenario: the worker drains the queue; then every future is in one final state. */
  @Validate
  public void everyAcceptedFutureEndsInExactlyOneFinalState() {
    service.runAll();
    int finished = 0;
    for (ConcurrentFuture<Integer> f : accepted) {
      FutureState s = f.futureState();
      if (s == FutureState.FINISHED) {
        finished++;
        if (!Integer.valueOf(1).equals(f.resultNow())) {
          throw new AssertionError("task ran more than once: " + f);
        }
      } else if (s != FutureState.CANCELLED_AND_NOTIFIED || !cancelledByShutdown) {
        throw new AssertionError("future left " + s + ": " + f);
      }
    }
    if (runs.get() != finished || rejectedRuns.get() != 0) {
      throw new AssertionError(
          runs.get()
              + " tasks ran, "
              + finished
              + " futures finished, "
              + rejectedRuns
              + " rejected ran");
    }
  }

  /**
   * The sequential specification: a submit is accepted until the first shutdown, with or without
   * {@code cancelFutures}, then refused with CPython's message.
   */
  public static final class Model {
    private boolean shutdown;

    public String submit() {
      return shutdown ? "RejectedExecutionException: " + ExecutorLifecycle.SHUT_DOWN : "accepted";
    }

    public void shutdownCancelFutures() {
      shutdown = true;
    }

    public void shutdownKeepFutures() {
      shutdown = true;
    }

    public void runOneTask() {}
  }

  @Test
  @Timeout(180)
  void modelCheckingFindsSubmitAndShutdownLinearizable() {
    LinChecker.check(ExecutorShutdownLincheckTest.class, Lincheck.modelChecking(Model.class));
  }

  @Test
  @Timeout(180)
  void stressModeFindsSubmitAndShutdownLinearizable() {
    LinChecker.check(ExecutorShutdownLincheckTest.class, Lincheck.stress(Model.class));
  }
}
