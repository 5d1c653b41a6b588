package dev.eventual.stress;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import dev.eventual.FutureState;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One executor task, run by several threads at once (as a broken service might) while others cancel
 * it, with and without interrupting, and shut the executor down with {@code cancelFutures}.
 * Model-checked through {@link FutureExecutor#wrap} over a {@link ManualExecutorService}, whose
 * queued task the Lincheck threads run themselves.
 *
 * <p>What it checks: the task's own future state decides who runs it (there is no separate claim),
 * so the call runs at most once; a {@code cancel(true)} that lands while the task is RUNNING waits
 * for the runner's thread to be published, and the runner clears that interrupt before {@code
 * run()} returns ({@code runTask} reports the flag it was left with, which must always be false);
 * every outcome matches a sequential order of the operations ({@link Model}); and at the end the
 * future is FINISHED with the call run once, or CANCELLED_AND_NOTIFIED.
 */
public class TaskRunLincheckTest {
  static {
    Lincheck.warmUp();
  }

  private final ManualExecutorService service = new ManualExecutorService();
  private final FutureExecutor executor = FutureExecutor.wrap(service);
  private final AtomicInteger calls = new AtomicInteger();
  private final ConcurrentFuture<Integer> future = executor.submit(calls::incrementAndGet);
  private final Runnable task = service.peek();

  /**
   * Runs the task in this thread, as its worker. One thread plays the worker (a run that finds the
   * task RUNNING returns at once, which a sequential model, where a run is one step, cannot show);
   * concurrent runs are {@code TaskFutureTest}'s.
   *
   * @return whether this thread was left with its interrupt flag set (never)
   */
  @Operation(nonParallelGroup = "worker")
  public boolean runTask() {
    task.run();
    return Thread.interrupted();
  }

  @Operation
  public boolean cancelInterrupting() {
    return future.cancel(true);
  }

  @Operation
  public boolean cancelAsPython() {
    return future.cancel();
  }

  @Operation
  public void shutdownCancelFutures() {
    executor.shutdown(false, true);
  }

  /**
   * The state, coarsely: RUNNING reads as PENDING (a run is one step in the model), and both
   * cancelled states as CANCELLED (a shutdown cancels, then acknowledges, so a reader may see the
   * step between; the validation checks the acknowledgement).
   *
   * @return PENDING, FINISHED or CANCELLED
   */
  @Operation
  public String state() {
    switch (future.futureState()) {
      case CANCELLED:
      case CANCELLED_AND_NOTIFIED:
        return "CANCELLED";
      case FINISHED:
        return "FINISHED";
      default:
        return "PENDING";
    }
  }

  /** After each scenario: a last run acknowledges a cancellation; then one final state. */
  @Validate
  public void theTaskEndsInOneFinalStateAndRanAtMostOnce() {
    task.run();
    FutureState s = future.futureState();
    int n = calls.get();
    boolean ok =
        n <= 1
            && (s == FutureState.FINISHED
                ? n == 1 && Integer.valueOf(1).equals(future.resultNow())
                : s == FutureState.CANCELLED_AND_NOTIFIED);
    if (!ok || Thread.interrupted()) {
      throw new AssertionError(s + " after " + n + " calls: " + future);
    }
  }

  /**
   * The sequential specification: a run is one step from PENDING to FINISHED, so RUNNING is never
   * seen between operations; a cancel succeeds unless the task finished.
   */
  public static final class Model {
    private FutureState state = FutureState.PENDING;

    public boolean runTask() {
      if (state == FutureState.PENDING) {
        state = FutureState.FINISHED;
      } else if (state == FutureState.CANCELLED) {
        state = FutureState.CANCELLED_AND_NOTIFIED;
      }
      return false;
    }

    public boolean cancelInterrupting() {
      return cancelAsPython();
    }

    public boolean cancelAsPython() {
      if (state == FutureState.FINISHED) {
        return false;
      }
      if (state == FutureState.PENDING) {
        state = FutureState.CANCELLED;
      }
      return true;
    }

    public void shutdownCancelFutures() {
      if (state == FutureState.PENDING || state == FutureState.CANCELLED) {
        state = FutureState.CANCELLED_AND_NOTIFIED;
      }
    }

    public String state() {
      return state == FutureState.CANCELLED_AND_NOTIFIED ? "CANCELLED" : state.name();
    }
  }

  @Test
  @Timeout(180)
  void modelCheckingFindsRunCancelAndShutdownLinearizable() {
    // More scenarios than the module's default: only those with a run and a cancel(true) in
    // parallel, the run first, reach the interrupt protocol (6 iterations missed a mutant that
    // skips clearing the interrupt; 30 find it).
    LinChecker.check(
        TaskRunLincheckTest.class,
        Lincheck.modelChecking(Model.class).iterations(30 * Lincheck.SCALE));
  }

  @Test
  @Timeout(180)
  void stressModeFindsRunCancelAndShutdownLinearizable() {
    LinChecker.check(TaskRunLincheckTest.class, Lincheck.stress(Model.class));
  }
}
