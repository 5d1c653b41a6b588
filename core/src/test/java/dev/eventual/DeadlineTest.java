package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeadlineTest {
  private static final Duration LONG = Duration.ofHours(1);
  private static final Duration SHORT = Duration.ofMillis(50);

  // ---------------------------------------------------------------- the verdict

  @Test // JDK CompletableFutureTest.testOrTimeout_timesOut
  void failsWithWaitTimeoutExceptionWhenTheTimeIsUp() {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    ConcurrentFuture<String> d = f.withTimeout(SHORT);
    assertThat(d).isNotSameAs(f);
    assertThat(d.exception(Duration.ofSeconds(10)))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageStartingWith("Timed out after 50 ms waiting for ConcurrentFuture@");
    assertThat(f.futureState()).isEqualTo(FutureState.PENDING);
  }

  @Test // JDK CompletableFutureTest.testCompleteOnTimeout_timesOut
  void completesWithTheFallbackWhenTheTimeIsUp() {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    assertThat(f.withTimeoutFallback(SHORT, "fallback").result(Duration.ofSeconds(10)))
        .isEqualTo("fallback");
    assertThat(f.withTimeoutFallback(Duration.ZERO, null).isSuccess()).isTrue();
  }

  @Test // JDK CompletableFutureTest.testOrTimeout_completed
  void takesTheInputsResultWhenItFinishesFirst() {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    ConcurrentFuture<String> d = f.withTimeout(LONG);
    ConcurrentFuture<String> e = f.withTimeoutFallback(LONG, "fallback");
    f.setResult("done");
    assertThat(d.result()).isEqualTo("done");
    assertThat(e.result()).isEqualTo("done");
  }

  @Test
  void passesTheVeryExceptionAndTheCancelMessageOn() {
    ConcurrentFuture<String> failing = new ConcurrentFuture<>();
    ConcurrentFuture<String> d = failing.withTimeout(LONG);
    IllegalStateException boom = new IllegalStateException("boom");
    failing.setException(boom);
    assertThat(d.exception()).isSameAs(boom);

    ConcurrentFuture<String> cancelled = new ConcurrentFuture<>();
    ConcurrentFuture<String> c = cancelled.withTimeoutFallback(LONG, "fallback");
    cancelled.cancel("stop");
    assertThat(c.isCancelled()).isTrue();
    assertThatThrownBy(c::result).isInstanceOf(CancellationException.class).hasMessage("stop");
  }

  @Test
  void aZeroTimeoutGivesTheVerdictAtOnce() {
    ConcurrentFuture<String> pending = new ConcurrentFuture<>();
    int before = Deadline.armedTimers();
    ConcurrentFuture<String> d = pending.withTimeout(Duration.ZERO);
    assertThat(d.isDone()).isTrue();
    assertThat(d.exception()).isInstanceOf(WaitTimeoutException.class);
    assertThat(Futures.completed("x").withTimeout(Duration.ZERO).result()).isEqualTo("x");
    assertThat(Deadline.armedTimers()).isEqualTo(before);
  }

  @Test
  void callbacksOfATimedOutFutureRunOnTheSharedDaemonTimerThread() throws Exception {
    AtomicReference<Thread> ran = new AtomicReference<>();
    CountDownLatch called = new CountDownLatch(1);
    // long enough that the callback is registered before the timer fires (else it runs inline)
    new ConcurrentFuture<String>()
        .withTimeout(Duration.ofMillis(300))
        .addDoneCallback(
            f -> {
              ran.set(Thread.currentThread());
              called.countDown();
            });
    assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran.get().getName()).startsWith("eventual-deadline-timer-");
    assertThat(ran.get().isDaemon()).isTrue();
  }

  // ---------------------------------------------------------------- the work behind it

  @Test
  void leavesTheInputAndItsWorkAloneByDefault() {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    ConcurrentFuture<String> d = f.withTimeout(Duration.ofMillis(1));
    assertThat(d.exception(Duration.ofSeconds(10))).isInstanceOf(WaitTimeoutException.class);
    assertThat(f.isDone()).isFalse();
    assertThat(f.rawState()).as("the deadline unregistered itself from the input").isNull();
    d.cancel();
    f.setResult("late");
    assertThat(f.result()).isEqualTo("late");
  }

  @Test // Guava FuturesTest.testWithTimeout_timeoutCancelsInputWithInterrupt (in spirit)
  void cancelAndInterruptInterruptsTheRunningTask() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(1)) {
      ConcurrentFuture<String> task =
          executor.submit(
              () -> {
                started.countDown();
                try {
                  Thread.sleep(60_000);
                  return "slept";
                } catch (InterruptedException e) {
                  interrupted.countDown();
                  throw e;
                }
              });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      ConcurrentFuture<String> d = task.withTimeout(SHORT, OnTimeout.CANCEL_AND_INTERRUPT);
      assertThat(d.exception(Duration.ofSeconds(10))).isInstanceOf(WaitTimeoutException.class);
      assertThat(task.isCancelled()).isTrue();
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void cancelAbandonsTheRunningTaskWithoutInterruptingIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean sawInterrupt = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(1)) {
      ConcurrentFuture<String> task =
          executor.submit(
              () -> {
                started.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  sawInterrupt.set(true);
                }
                sawInterrupt.compareAndSet(false, Thread.currentThread().isInterrupted());
                finished.countDown();
                return "done";
              });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      ConcurrentFuture<String> d = task.withTimeout(SHORT, OnTimeout.CANCEL);
      assertThat(d.exception(Duration.ofSeconds(10))).isInstanceOf(WaitTimeoutException.class);
      assertThat(task.isCancelled()).isTrue();
      release.countDown();
      assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(sawInterrupt).isFalse();
    }
  }

  @Test
  void cancelKeepsAQueuedTaskFromEverRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean secondRan = new AtomicBoolean();
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(1)) {
      executor.submit(() -> release.await(10, TimeUnit.SECONDS));
      ConcurrentFuture<Void> queued = executor.submit(() -> secondRan.set(true));
      ConcurrentFuture<Void> d = queued.withTimeoutFallback(SHORT, null, OnTimeout.CANCEL);
      assertThat(d.result(Duration.ofSeconds(10))).isNull();
      assertThat(queued.isCancelled()).isTrue();
      release.countDown();
    }
    assertThat(secondRan).isFalse();
  }

  @Test
  void cancellingTheReturnedFutureCancelsTheInputOnlyWhenAskedTo() {
    ConcurrentFuture<String> kept = new ConcurrentFuture<>();
    kept.withTimeout(LONG).cancel();
    assertThat(kept.isDone()).isFalse();
    assertThat(kept.rawState()).isNull();

    ConcurrentFuture<String> owned = new ConcurrentFuture<>();
    owned.withTimeout(LONG, OnTimeout.CANCEL).cancel();
    assertThat(owned.isCancelled()).isTrue();
  }

  // ---------------------------------------------------------------- no timer left behind

  /**
   * JDK-8303742: CompletableFuture.orTimeout left its timer task in the queue when the future
   * completed exceptionally. Here every way of finishing first releases the entry at once.
   */
  @Test
  void noTimerIsLeftAfterAHundredThousandFuturesFinishFirst() {
    int n = 100_000;
    int before = Deadline.armedTimers();
    List<ConcurrentFuture<Integer>> inputs = new ArrayList<>(n);
    List<ConcurrentFuture<Integer>> outputs = new ArrayList<>(n);
    OnTimeout[] policies = OnTimeout.values();
    for (int i = 0; i < n; i++) {
      ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
      inputs.add(f);
      outputs.add(
          i % 2 == 0
              ? f.withTimeout(LONG, policies[i % policies.length])
              : f.withTimeoutFallback(LONG, -1, policies[i % policies.length]));
    }
    assertThat(Deadline.armedTimers()).isGreaterThanOrEqualTo(before + n);
    RuntimeException failure = new RuntimeException("failed first");
    for (int i = 0; i < n; i++) {
      ConcurrentFuture<Integer> f = inputs.get(i);
      switch (i % 4) {
        case 0 -> f.setResult(i);
        case 1 -> f.setException(failure);
        case 2 -> f.cancel("cancelled first");
        default -> outputs.get(i).cancel(); // the deadline's own future cancelled first
      }
    }
    assertThat(Deadline.armedTimers()).isEqualTo(before);
    for (int i = 0; i < n; i++) {
      ConcurrentFuture<Integer> out = outputs.get(i);
      switch (i % 4) {
        case 0 -> assertThat(out.result()).isEqualTo(i);
        case 1 -> assertThat(out.exception()).isSameAs(failure);
        default -> assertThat(out.isCancelled()).isTrue();
      }
      if (i % 4 == 3) {
        ConcurrentFuture<Integer> in = inputs.get(i);
        if (policies[i % policies.length] == OnTimeout.LEAVE_RUNNING) {
          assertThat(in.rawState()).isNull(); // nothing left on the pending input either
        } else {
          assertThat(in.isCancelled()).isTrue();
        }
      }
    }
  }

  @Test
  void aTimerThatFiredLeavesNoEntryEither() {
    int before = Deadline.armedTimers();
    List<ConcurrentFuture<String>> outputs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      outputs.add(new ConcurrentFuture<String>().withTimeout(Duration.ofMillis(1)));
    }
    Futures.wait(outputs, Duration.ofSeconds(10));
    assertThat(outputs).allMatch(f -> f.isDone());
    FutureFixtures.awaitCondition(() -> Deadline.armedTimers() == before);
  }

  /**
   * The input completes on another thread just as its deadline (a few microseconds) passes, many
   * times: each returned future ends exactly once, with the input's result or the timeout, and no
   * timer entry is left, whichever side won.
   */
  @Test
  void completionRacingTheTimerEndsOnceAndLeavesNoTimer() throws Exception {
    int rounds = 1_500;
    int before = Deadline.armedTimers();
    ExecutorService completer = Executors.newSingleThreadExecutor();
    List<AtomicInteger> callbackCalls = new ArrayList<>(rounds);
    try {
      for (int r = 0; r < rounds; r++) {
        ConcurrentFuture<Integer> input = new ConcurrentFuture<>();
        int value = r;
        Future<?> completion = completer.submit(() -> input.trySetResult(value));
        ConcurrentFuture<Integer> d = input.withTimeout(Duration.ofNanos((r % 50) * 1_000L));
        AtomicInteger calls = new AtomicInteger();
        callbackCalls.add(calls);
        d.addDoneCallback(f -> calls.incrementAndGet());
        completion.get(10, TimeUnit.SECONDS);
        Throwable e = d.exception(Duration.ofSeconds(10));
        if (e == null) {
          assertThat(d.result()).isEqualTo(r);
        } else {
          assertThat(e).isInstanceOf(WaitTimeoutException.class);
        }
      }
    } finally {
      completer.shutdownNow();
    }
    // a reader can see the future done before the completing thread has run its callbacks (the
    // deadline's own callback, registered first, has run once the test's has)
    FutureFixtures.awaitCondition(() -> callbackCalls.stream().allMatch(c -> c.get() >= 1));
    assertThat(callbackCalls).allMatch(c -> c.get() == 1);
    assertThat(Deadline.armedTimers()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void badArgumentsAreRejectedByNameAndChangeNothing() {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    int before = Deadline.armedTimers();
    assertThatThrownBy(() -> f.withTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout must not be null");
    assertThatThrownBy(() -> f.withTimeoutFallback(Duration.ofMillis(-5), "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must not be negative: -5 ms");
    assertThatThrownBy(() -> f.withTimeout(LONG, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("onTimeout must not be null");
    assertThatThrownBy(() -> f.withTimeoutFallback(LONG, "x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("onTimeout must not be null");
    assertThat(f.rawState()).as("no callback registered").isNull();
    assertThat(Deadline.armedTimers()).isEqualTo(before);
  }
}
