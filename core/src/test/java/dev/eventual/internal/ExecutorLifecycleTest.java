package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.BlockingGuard;
import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import dev.eventual.ThreadPoolFutureExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ExecutorLifecycle} through the executors that share it: {@code shutdown(wait=true)} that
 * would wait for itself is refused the same way on each, and an idle executor closes from anywhere.
 */
@Timeout(60)
class ExecutorLifecycleTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final List<ExecutorService> services = new ArrayList<>();
  private final List<FutureExecutor> executors = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void cleanUp() throws InterruptedException {
    release.countDown();
    BlockingGuard.allowBlocking();
    for (FutureExecutor e : executors) {
      e.shutdown(false, true);
    }
    for (ExecutorService s : services) {
      s.shutdownNow();
      s.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private FutureExecutor executor(String kind) {
    Supplier<FutureExecutor> make =
        switch (kind) {
          case "threadPool" -> () -> new ThreadPoolFutureExecutor(2);
          case "wrapFixed" -> () -> FutureExecutor.wrap(service(Executors.newFixedThreadPool(2)));
          case "wrapForkJoin" -> () -> FutureExecutor.wrap(service(new ForkJoinPool(2)));
          case "wrapCommonPool" -> () -> FutureExecutor.wrap(ForkJoinPool.commonPool());
          default -> throw new IllegalArgumentException(kind);
        };
    FutureExecutor e = make.get();
    executors.add(e);
    return e;
  }

  private ExecutorService service(ExecutorService s) {
    services.add(s);
    return s;
  }

  private void awaitRelease() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a close() called somewhere did: "returned", or the exception it threw. */
  private static Object outcomeOfClose(FutureExecutor e) {
    try {
      e.close();
      return "returned";
    } catch (RuntimeException thrown) {
      return thrown;
    }
  }

  @ParameterizedTest // issue 19, defect 2; CPython: t.join() of the current thread raises
  @ValueSource(strings = {"threadPool", "wrapFixed", "wrapForkJoin", "wrapCommonPool"})
  void closeFromOneOfItsOwnTasksThrowsInsteadOfWaitingForItself(String kind) {
    FutureExecutor e = executor(kind);
    ConcurrentFuture<Object> f = e.submit(() -> outcomeOfClose(e));
    assertThat(f.result(PATIENCE))
        .isInstanceOfSatisfying(
            IllegalStateException.class,
            t -> assertThat(t).hasMessageContaining("it would wait for itself"));
    assertThat(e.isShutdown()).isTrue();
  }

  @ParameterizedTest // issue 19, defect 2: wrap(fixed pool) hung in awaitTermination here
  @ValueSource(strings = {"threadPool", "wrapFixed", "wrapForkJoin", "wrapCommonPool"})
  void closeFromADoneCallbackRunByItsOwnCompletionThrowsInsteadOfWaitingForItself(String kind) {
    FutureExecutor e = executor(kind);
    ConcurrentFuture<Integer> f =
        e.submit(
            () -> {
              awaitRelease();
              return 1;
            });
    CompletableFuture<Object> closed = new CompletableFuture<>();
    f.addDoneCallback(done -> closed.complete(outcomeOfClose(e)));
    release.countDown();
    Object outcome =
        closed.completeOnTimeout("close() never returned", 10, TimeUnit.SECONDS).join();
    assertThat(outcome)
        .isInstanceOfSatisfying(
            IllegalStateException.class,
            t -> assertThat(t).hasMessageContaining("it would wait for itself"));
    assertThat(f.result(PATIENCE)).isEqualTo(1);
  }

  @ParameterizedTest // issue 14: an idle executor closed from a thread that may not block
  @ValueSource(strings = {"threadPool", "wrapFixed", "wrapForkJoin", "wrapCommonPool"})
  void closeOfAnIdleExecutorReturnsEvenOnAThreadThatMayNotBlock(String kind) {
    FutureExecutor e = executor(kind);
    assertThat(e.submit(() -> 7).result(PATIENCE)).isEqualTo(7);
    awaitIdle(e);
    BlockingGuard.forbidBlocking("a test loop");
    e.close();
    assertThat(e.isShutdown()).isTrue();
  }

  @ParameterizedTest // BlockingGuard: a close that really has to wait is refused there
  @ValueSource(strings = {"threadPool", "wrapFixed", "wrapCommonPool"})
  void closeOfABusyExecutorOnAThreadThatMayNotBlockThrows(String kind) {
    FutureExecutor e = executor(kind);
    CountDownLatch started = new CountDownLatch(1);
    ConcurrentFuture<Integer> f =
        e.submit(
            () -> {
              started.countDown();
              awaitRelease();
              return 1;
            });
    try {
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException ex) {
      throw new AssertionError(ex);
    }
    BlockingGuard.forbidBlocking("a test loop");
    assertThatThrownBy(e::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("it would deadlock");
    BlockingGuard.allowBlocking();
    release.countDown();
    assertThat(f.result(PATIENCE)).isEqualTo(1);
    e.close();
  }

  /** Waits until a finished task's worker is back waiting for work (its run has ended). */
  /** A future that counts how often it was described (an exception's message describes it). */
  private static final class CountingDescriptions<V> extends ConcurrentFuture<V> {
    int described;

    @Override
    public String toString() {
      described++;
      return super.toString();
    }
  }

  @org.junit.jupiter.api.Test // issue 19: one cancel-and-notify; TaskFuture's never built an error
  void cancelAndNotifyOfACancellationAcknowledgedBeforeBuildsNoException() {
    CountingDescriptions<Integer> f = new CountingDescriptions<>();
    assertThat(ExecutorLifecycle.cancelAndNotify(f)).isTrue();
    assertThat(f.futureState()).isEqualTo(dev.eventual.FutureState.CANCELLED_AND_NOTIFIED);
    assertThat(ExecutorLifecycle.cancelAndNotify(f)).isTrue(); // lost the race: acknowledged before
    assertThat(f.futureState()).isEqualTo(dev.eventual.FutureState.CANCELLED_AND_NOTIFIED);
    assertThat(f.described).isZero();
  }

  @org.junit.jupiter.api.Test
  void cancelAndNotifyLeavesAStartedOrFinishedFutureAlone() {
    ConcurrentFuture<Integer> running = new ConcurrentFuture<>();
    running.setRunningOrNotifyCancel();
    assertThat(ExecutorLifecycle.cancelAndNotify(running)).isFalse();
    assertThat(running.isRunning()).isTrue();
    ConcurrentFuture<Integer> finished = new ConcurrentFuture<>();
    finished.setResult(1);
    assertThat(ExecutorLifecycle.cancelAndNotify(finished)).isFalse();
    assertThat(finished.resultNow()).isEqualTo(1);
  }

  @org.junit.jupiter.api.Test // issue 19: the Hazelcast executor said "after shutdown" once stopped
  void aRefusalAsksTheHostWhetherItBrokeBeforeItSaysShutDown() {
    boolean[] stopped = {false};
    ExecutorLifecycle[] self = new ExecutorLifecycle[1];
    ExecutorLifecycle lifecycle =
        new ExecutorLifecycle(
            new ExecutorLifecycle.Host() {
              @Override
              public void awaitTermination() {}

              @Override
              public void checkBroken() {
                if (stopped[0]) {
                  self[0].markBroken("its instance stopped", null);
                }
              }
            });
    self[0] = lifecycle;
    lifecycle.checkAccepting(); // accepting
    lifecycle.markShutdown(false);
    assertThatThrownBy(lifecycle::checkAccepting)
        .isExactlyInstanceOf(java.util.concurrent.RejectedExecutionException.class)
        .hasMessage(ExecutorLifecycle.SHUT_DOWN);
    stopped[0] = true; // broken after the shutdown, before anyone looked: broken wins
    assertThatThrownBy(lifecycle::checkAccepting)
        .isInstanceOf(dev.eventual.BrokenExecutorException.class)
        .hasMessage("its instance stopped");
    assertThat(lifecycle.isBroken()).isTrue();
  }

  private static void awaitIdle(FutureExecutor e) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    // A task's future is done before its worker leaves run(); give the worker that moment.
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException ex) {
        throw new AssertionError(ex);
      }
      return;
    }
  }
}
