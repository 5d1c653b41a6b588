package dev.eventual;

import dev.eventual.internal.ExecutorLifecycle;
import dev.eventual.stress.Lincheck;
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
 * {@link ThreadPoolFutureExecutor}'s lifecycle, model-checked: {@code submit} racing {@code
 * shutdown(wait=false)} with and without {@code cancelFutures}, racing a worker whose initializer
 * fails (which breaks the executor) and racing thread starts that fail. In the package of the
 * executor for its package-private seam: the JDK pool's thread factory returns null (the request to
 * create a thread is rejected), so every accepted task is queued by the executor's own code (the
 * rejection handler or the look-again), and the Lincheck threads play the workers with {@code
 * runQueuedTaskAsNewWorker}, which runs the initializer and the task as a new worker does. After
 * {@link #threadsCannotStart()} the factory throws {@link OutOfMemoryError}, as {@code
 * Thread.start} does at the operating system's limit.
 *
 * <p>The sequential specification ({@link Model}): a submit is refused with {@link
 * BrokenExecutorException} once a worker's initializer failed (even if shut down too), else with
 * {@link RejectedExecutionException} "cannot schedule new futures after shutdown" once shut down,
 * else with the start's {@link OutOfMemoryError} once threads cannot start (the executor stays
 * usable; nothing is queued), else it is accepted; a worker whose initializer fails breaks the
 * executor only if it found a task. After each scenario ({@link #everyAcceptedFutureEndsOnce}) the
 * queue is drained by healthy workers and every accepted future has exactly one outcome allowed by
 * what happened (FINISHED with its task run once; CANCELLED_AND_NOTIFIED only after a {@code
 * cancelFutures} shutdown; failed with {@link BrokenExecutorException} only once broken), no
 * refused task ever ran, and the count of unfinished tasks is back at 0.
 *
 * <p>Not modelled: a worker that takes the next task without a new start (the initializer runs once
 * per worker, so a second task of the same worker is a plain run); {@code shutdown(wait=true)} (no
 * JDK pool thread ever exists, so it would return at once; its wait is {@code
 * ExecutorShutdownRaceTest}'s, on real threads).
 */
public class ThreadPoolLifecycleLincheckTest {
  static {
    Lincheck.warmUp();
  }

  /** Set by {@link #runWorkerWhoseInitializerFails()} around its worker step, in its thread. */
  private static final ThreadLocal<Boolean> INITIALIZER_FAILS =
      ThreadLocal.withInitial(() -> false);

  private volatile boolean threadsCannotStart;
  private volatile boolean cancelledByShutdown;
  private final ThreadPoolFutureExecutor pool =
      ThreadPoolFutureExecutor.builder()
          // Four: on JDK 17 the JDK pool keeps counting a thread that its factory did not make
          // (returned null or threw) and asks for none once it counts maxWorkers, which would
          // stop the "cannot start" submits from failing; more than two keeps that out of the
          // short scenarios. Not many more: the checker takes the JDK pool's loops over its queue
          // array (about 2 x maxWorkers long) for spin loops and reports a hang (16 did). A real
          // worker that cannot start is counted out (ThreadPoolFutureExecutorTest).
          .maxWorkers(4)
          .initializer(
              () -> {
                if (INITIALIZER_FAILS.get()) {
                  throw new IllegalStateException("initializer failed");
                }
              })
          .threadFactory(
              r -> {
                if (threadsCannotStart) {
                  throw new OutOfMemoryError("unable to create native thread");
                }
                return null;
              })
          .build();
  private final Queue<ConcurrentFuture<Integer>> accepted = new ConcurrentLinkedQueue<>();
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicInteger refusedRuns = new AtomicInteger();

  /**
   * Submits a task that counts its runs.
   *
   * @return "accepted", or the refusal's class and message
   */
  @Operation
  public String submit() {
    AtomicInteger calls = new AtomicInteger();
    try {
      accepted.add(
          pool.submit(
              () -> {
                runs.incrementAndGet();
                return calls.incrementAndGet();
              }));
      return "accepted";
    } catch (RejectedExecutionException | OutOfMemoryError e) {
      if (calls.get() != 0) {
        refusedRuns.incrementAndGet();
      }
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  @Operation
  public void shutdownKeepFutures() {
    pool.shutdown(false, false);
  }

  @Operation
  public void shutdownCancelFutures() {
    cancelledByShutdown = true;
    pool.shutdown(false, true);
  }

  /** A new worker with a healthy initializer takes the oldest queued task, if any, and runs it. */
  @Operation
  public void runWorker() {
    pool.runQueuedTaskAsNewWorker();
  }

  /** A new worker whose initializer throws takes the oldest queued task, if any: that breaks. */
  @Operation
  public void runWorkerWhoseInitializerFails() {
    INITIALIZER_FAILS.set(true);
    try {
      pool.runQueuedTaskAsNewWorker();
    } finally {
      INITIALIZER_FAILS.set(false);
    }
  }

  /** From now on every thread start fails, as at the operating system's thread limit. */
  @Operation
  public void threadsCannotStart() {
    threadsCannotStart = true;
  }

  /** After each scenario: healthy workers drain the queue; then every future has one outcome. */
  @Validate
  public void everyAcceptedFutureEndsOnce() {
    while (pool.runQueuedTaskAsNewWorker()) {
      // next
    }
    int finished = 0;
    for (ConcurrentFuture<Integer> f : accepted) {
      FutureState s = f.futureState();
      boolean ok;
      if (s == FutureState.FINISHED && f.exception() == null) {
        finished++;
        ok = Integer.valueOf(1).equals(f.resultNow());
      } else if (s == FutureState.FINISHED) {
        ok = f.exception() instanceof BrokenExecutorException && pool.isBroken();
      } else {
        ok = s == FutureState.CANCELLED_AND_NOTIFIED && cancelledByShutdown;
      }
      if (!ok) {
        throw new AssertionError("future left " + s + " in " + pool + ": " + f);
      }
    }
    long unfinished = pool.unfinishedTaskCount();
    if (runs.get() != finished || refusedRuns.get() != 0 || unfinished != 0) {
      throw new AssertionError(
          runs
              + " tasks ran, "
              + finished
              + " futures finished with a result, "
              + refusedRuns
              + " refused tasks ran, unfinished count "
              + unfinished
              + ": "
              + pool);
    }
  }

  /** The sequential specification: see the class documentation. */
  public static final class Model {
    private boolean shutdown;
    private boolean broken;
    private boolean cannotStart;
    private int queued;

    public String submit() {
      if (broken) {
        return "BrokenExecutorException: " + ThreadPoolFutureExecutor.BROKEN;
      }
      if (shutdown) {
        return "RejectedExecutionException: " + ExecutorLifecycle.SHUT_DOWN;
      }
      if (cannotStart) {
        return "OutOfMemoryError: unable to create native thread";
      }
      queued++;
      return "accepted";
    }

    public void shutdownKeepFutures() {
      shutdown = true;
    }

    public void shutdownCancelFutures() {
      shutdown = true;
      queued = 0;
    }

    public void runWorker() {
      if (queued > 0) {
        queued--;
      }
    }

    public void runWorkerWhoseInitializerFails() {
      if (queued > 0) {
        broken = true;
        queued = 0;
      }
    }

    public void threadsCannotStart() {
      cannotStart = true;
    }
  }

  @Test
  @Timeout(300) // seconds on an idle machine; minutes when other builds load the two cores
  void modelCheckingFindsSubmitShutdownAndBreakageLinearizable() {
    // Two operations per thread: every JDK pool call is a long trace to explore (3x3 operations
    // took 70-80 s at load 15 on two cores). 12 iterations of 2 found the thread-start race fixed
    // in startWorkerIfNone (ThreadPoolFutureExecutorTest pins it), but took 160 s at load 27; 6
    // keep the default run short, -Dlincheck.scale=2 or more searches as deep.
    LinChecker.check(
        ThreadPoolLifecycleLincheckTest.class,
        Lincheck.modelChecking(Model.class).actorsPerThread(2));
  }

  @Test
  @Timeout(120)
  void stressModeFindsSubmitShutdownAndBreakageLinearizable() {
    LinChecker.check(ThreadPoolLifecycleLincheckTest.class, Lincheck.stress(Model.class));
  }
}
