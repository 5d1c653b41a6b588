package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eventual.internal.CallbackStack;
import dev.eventual.internal.Failure;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Blocking reads: results across threads, timeouts, interrupts, and no waiter left behind. */
@Timeout(30)
class ConcurrentFutureWaitTest {

  /** Runs {@code body} on a new thread once {@code f} has a blocked waiter. */
  private static Thread whenBlocked(ConcurrentFuture<?> f, Thread waiter, Runnable body) {
    Thread t =
        new Thread(
            () -> {
              awaitBlocked(f, waiter);
              body.run();
            });
    t.start();
    return t;
  }

  /** Returns once {@code waiter} is parked with a waiter registered on {@code f}. */
  static void awaitBlocked(ConcurrentFuture<?> f, Thread waiter) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (f.rawState() == null
        || (waiter.getState() != Thread.State.WAITING
            && waiter.getState() != Thread.State.TIMED_WAITING)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the waiter never blocked: " + waiter.getState());
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  // ------------------------------------------------------------ completion wakes the waiter

  @Test // CPython test_future.py: FutureTests.test_result_with_success;
  // Hazelcast future_test.py: test_set_result
  void resultWaitsForASetResultFromAnotherThread() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Thread t = whenBlocked(f, Thread.currentThread(), () -> f.setResult(42));
    assertThat(f.result(Duration.ofSeconds(20))).isEqualTo(42);
    t.join(5_000);
  }

  @Test // Hazelcast future_test.py: test_set_result (untimed result())
  void untimedResultWaitsForASetResultFromAnotherThread() throws Exception {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    Thread t = whenBlocked(f, Thread.currentThread(), () -> f.setResult("done"));
    assertThat(f.result()).isEqualTo("done");
    t.join(5_000);
  }

  @Test // CPython test_future.py: FutureTests.test_result_with_cancel
  void resultWaitingOnACancelledFutureThrowsCancellationException() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Thread t = whenBlocked(f, Thread.currentThread(), () -> f.cancel("cancelled while waiting"));
    assertThatThrownBy(() -> f.result(Duration.ofSeconds(20)))
        .isInstanceOf(CancellationException.class)
        .hasMessage("cancelled while waiting");
    t.join(5_000);
  }

  @Test // CPython test_future.py: FutureTests.test_exception_with_success;
  // Hazelcast future_test.py: test_set_exception
  void exceptionWaitsForASetExceptionFromAnotherThread() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    IOException e = new IOException();
    Thread t = whenBlocked(f, Thread.currentThread(), () -> f.setException(e));
    assertThat(f.exception(Duration.ofSeconds(20))).isSameAs(e);
    t.join(5_000);
  }

  @Test // the exception() side of CPython test_future.py: FutureTests.test_result_with_cancel
  void exceptionWaitingOnACancelledFutureThrowsCancellationException() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Thread t = whenBlocked(f, Thread.currentThread(), f::cancel);
    assertThatThrownBy(f::exception).isInstanceOf(CancellationException.class);
    t.join(5_000);
  }

  @Test
  void getWaitsForTheOutcomeFromAnotherThread() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Thread t = whenBlocked(f, Thread.currentThread(), () -> f.setResult(7));
    assertThat(f.get()).isEqualTo(7);
    t.join(5_000);
    ConcurrentFuture<Integer> g = new ConcurrentFuture<>();
    IOException e = new IOException();
    Thread u = whenBlocked(g, Thread.currentThread(), () -> g.setException(e));
    assertThatThrownBy(() -> g.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCause(e);
    u.join(5_000);
  }

  @Test
  void aJdkCancelOfARunningFutureWakesItsWaiters() throws Exception {
    ConcurrentFuture<Integer> f = TestFutures.running();
    Thread t = whenBlocked(f, Thread.currentThread(), () -> f.cancel(true));
    assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
    t.join(5_000);
  }

  // ------------------------------------------------------------ timeouts

  @Test // CPython test_future.py: FutureTests.test_result_with_timeout (pending, running)
  void aZeroTimeoutOnlyLooks() {
    for (ConcurrentFuture<Integer> f :
        java.util.List.of(TestFutures.<Integer>pending(), TestFutures.<Integer>running())) {
      Object before = f.rawState();
      assertThatThrownBy(() -> f.result(Duration.ZERO))
          .isInstanceOf(WaitTimeoutException.class)
          .hasMessageStartingWith("Timed out after 0 ms waiting for the result of " + f);
      assertThat(f.rawState()).isSameAs(before);
    }
  }

  @Test // CPython test_future.py: FutureTests.test_exception_with_timeout (pending, running)
  void exceptionWithAZeroTimeoutOnAPendingFutureTimesOut() {
    for (ConcurrentFuture<Integer> f :
        java.util.List.of(TestFutures.<Integer>pending(), TestFutures.<Integer>running())) {
      assertThatThrownBy(() -> f.exception(Duration.ZERO))
          .isInstanceOf(WaitTimeoutException.class)
          .hasMessageStartingWith("Timed out after 0 ms waiting for the exception of " + f);
    }
  }

  @Test
  void aTimeoutMessageSaysWhatWasAwaitedAndHowLong() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThatThrownBy(() -> f.result(Duration.ofMillis(30)))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage("Timed out after 30 ms waiting for the result of " + f);
    assertThatThrownBy(() -> f.exception(Duration.ofMillis(1500)))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage("Timed out after 1.5 s waiting for the exception of " + f);
    assertThat(f.isDone()).isFalse();
  }

  @Test
  void aTimedWaitReallyWaits() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    long start = System.nanoTime();
    assertThatThrownBy(() -> f.result(Duration.ofMillis(50)))
        .isInstanceOf(WaitTimeoutException.class);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
  }

  @Test
  void getWithATimeoutThrowsTheCheckedTimeoutException() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThatThrownBy(() -> f.get(10, TimeUnit.MILLISECONDS))
        .isExactlyInstanceOf(TimeoutException.class)
        .hasMessageContaining("10 MILLISECONDS");
    assertThatThrownBy(() -> f.get(0, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThatThrownBy(() -> f.get(-5, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThatThrownBy(() -> f.get(1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("unit must not be null");
  }

  @Test
  void aNegativeOrNullTimeoutIsRejectedAndChangesNothing() {
    ConcurrentFuture<Integer> failed = TestFutures.failed(new IOException());
    ConcurrentFuture<Integer> pending = TestFutures.pending();
    for (ConcurrentFuture<Integer> f : java.util.List.of(failed, pending)) {
      Object before = f.rawState();
      assertThatThrownBy(() -> f.result(Duration.ofSeconds(-1)))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("timeout must not be negative: -1 s");
      assertThatThrownBy(() -> f.exception(Duration.ofMillis(-250)))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("timeout must not be negative: -250 ms");
      assertThatThrownBy(() -> f.result(null))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("timeout must not be null");
      assertThatThrownBy(() -> f.exception(null))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("timeout must not be null");
      assertThat(f.rawState()).isSameAs(before);
    }
    assertThat(((Failure) failed.rawState()).isRetrieved()).isFalse();
    failed.exception(); // retrieve it, so that it is not reported later
  }

  @Test
  void anEnormousTimeoutIsAccepted() {
    ConcurrentFuture<Integer> f = TestFutures.succeeded(1);
    assertThat(f.result(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(1);
    assertThat(f.exception(Duration.ofDays(365 * 1000))).isNull();
  }

  // ------------------------------------------------------------ interrupts

  private static Throwable interruptWhileBlocked(ConcurrentFuture<?> f, Executable wait)
      throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                wait.execute();
              } catch (Throwable t) {
                thrown.set(t);
              }
              flag.set(Thread.currentThread().isInterrupted());
            });
    waiter.start();
    awaitBlocked(f, waiter);
    waiter.interrupt();
    waiter.join(10_000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(thrown.get()).isNotNull();
    return thrown.get() instanceof WaitInterruptedException
        ? withFlag(thrown.get(), flag.get())
        : thrown.get();
  }

  private static Throwable withFlag(Throwable t, boolean flag) {
    assertThat(flag).as("interrupt flag set again after " + t).isTrue();
    return t;
  }

  @Test
  void anInterruptedResultThrowsWaitInterruptedExceptionAndSetsTheFlag() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Throwable t = interruptWhileBlocked(f, f::result);
    assertThat(t)
        .isInstanceOf(WaitInterruptedException.class)
        .hasCauseInstanceOf(InterruptedException.class)
        .hasMessageContaining("the result of");
    assertThat(f.rawState()).as("no waiter left behind").isNull();
  }

  @Test
  void anInterruptedTimedWaitThrowsWaitInterruptedException() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThat(interruptWhileBlocked(f, () -> f.result(Duration.ofSeconds(60))))
        .isInstanceOf(WaitInterruptedException.class);
    assertThat(interruptWhileBlocked(f, () -> f.exception(Duration.ofSeconds(60))))
        .isInstanceOf(WaitInterruptedException.class)
        .hasMessageContaining("the exception of");
    assertThat(interruptWhileBlocked(f, f::exception)).isInstanceOf(WaitInterruptedException.class);
    assertThat(f.rawState()).isNull();
  }

  @Test
  void anInterruptedGetThrowsInterruptedException() throws Exception {
    ConcurrentFuture<Integer> f = TestFutures.running();
    assertThat(interruptWhileBlocked(f, f::get)).isExactlyInstanceOf(InterruptedException.class);
    assertThat(interruptWhileBlocked(f, () -> f.get(60, TimeUnit.SECONDS)))
        .isExactlyInstanceOf(InterruptedException.class);
    assertThat(f.rawState()).isSameAs(CallbackStack.RUNNING);
  }

  @Test
  void anAlreadyInterruptedThreadFailsAtOnceOnAPendingFuture() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    try {
      Thread.currentThread().interrupt();
      assertThat(catchThrowable(f::result)).isInstanceOf(WaitInterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(catchThrowable(() -> f.result(Duration.ofSeconds(5))))
          .isInstanceOf(WaitInterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(catchThrowable(f::exception)).isInstanceOf(WaitInterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(catchThrowable(f::get)).isExactlyInstanceOf(InterruptedException.class);
      Thread.currentThread().interrupt();
      assertThat(catchThrowable(() -> f.get(5, TimeUnit.SECONDS)))
          .isExactlyInstanceOf(InterruptedException.class);
      assertThat(f.rawState()).isNull();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void anAlreadyInterruptedThreadStillReadsADoneFuture() throws Exception {
    ConcurrentFuture<Integer> f = TestFutures.succeeded(3);
    try {
      Thread.currentThread().interrupt();
      assertThat(f.result()).isEqualTo(3);
      assertThat(f.get()).isEqualTo(3);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  // ------------------------------------------------------------ no waiter left behind

  @Test
  void timingOutManyTimesLeavesNoWaiterBehind() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Consumer<ConcurrentFuture<Integer>> mine = x -> {};
    f.addDoneCallback(mine);
    for (int i = 0; i < 100_000; i++) {
      // mostly expired before the first park (push, then remove); every 100th really parks
      Duration tiny = Duration.ofNanos(i % 100 == 0 ? 20_000 : 1);
      if ((i & 1) == 0) {
        assertThat(catchThrowable(() -> f.result(tiny))).isInstanceOf(WaitTimeoutException.class);
      } else {
        assertThat(catchThrowable(() -> f.get(tiny.toNanos(), TimeUnit.NANOSECONDS)))
            .isInstanceOf(TimeoutException.class);
      }
    }
    Object s = f.rawState();
    assertThat(
            s instanceof CallbackStack
                ? CallbackStack.inOrder((CallbackStack) s)
                : new Object[] {s})
        .containsExactly(mine);
  }

  @Test
  void manyConcurrentTimedOutWaitersLeaveNothingBehind() throws Exception {
    ConcurrentFuture<Integer> f = TestFutures.running();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 2_000; i++) {
                  try {
                    f.result(Duration.ofNanos(1_000 + i));
                  } catch (WaitTimeoutException expected) {
                    // the point of the exercise
                  }
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join(20_000);
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(f.rawState()).isSameAs(CallbackStack.RUNNING);
    assertThat(f.isRunning()).isTrue();
  }

  // issue 19, defect 9. CPython's _base.Future.set_result: self._condition.notify_all() and the
  // waiters' add_result come before self._invoke_callbacks().
  @Test
  void aThreadBlockedInResultIsWokenBeforeTheCallbacksRun() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    java.util.concurrent.CountDownLatch waiterReturned = new java.util.concurrent.CountDownLatch(1);
    AtomicReference<Boolean> sawWaiterReturn = new AtomicReference<>();
    // registered before the thread blocks: CPython still wakes the thread first
    f.addDoneCallback(
        done -> {
          try {
            sawWaiterReturn.set(waiterReturned.await(5, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Thread waiter =
        new Thread(
            () -> {
              f.result();
              waiterReturned.countDown();
            });
    waiter.start();
    while (waiter.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    f.setResult(1);
    waiter.join();
    assertThat(sawWaiterReturn.get())
        .as("the blocked thread returned while the callback ran")
        .isTrue();
  }
}
