package dev.eventual;

import static dev.eventual.FutureFixtures.awaitWaiter;
import static dev.eventual.FutureFixtures.cancelled;
import static dev.eventual.FutureFixtures.cancelledAndNotified;
import static dev.eventual.FutureFixtures.exception;
import static dev.eventual.FutureFixtures.pending;
import static dev.eventual.FutureFixtures.running;
import static dev.eventual.FutureFixtures.submit;
import static dev.eventual.FutureFixtures.successful;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.internal.CallbackStack;
import dev.eventual.internal.Outcome.Cancelled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FuturesWaitTest {
  private static final Duration SHORT = Duration.ofMillis(50);

  private ExecutorService pool;

  @BeforeEach
  void startPool() {
    pool = Executors.newFixedThreadPool(5);
  }

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  // ---------------------------------------------------------------- CPython ports

  // CPython test_wait.py: WaitTests.test_20369
  @Test
  void duplicateFuturesAreWaitedForOnce() {
    ConcurrentFuture<Object> future = submit(pool, () -> 1 * 2);
    DoneAndNotDone<ConcurrentFuture<Object>> r =
        Futures.wait(List.of(future, future), ReturnWhen.ALL_COMPLETED);
    assertThat(r.done()).containsExactly(future);
    assertThat(r.notDone()).isEmpty();
  }

  // CPython test_wait.py: WaitTests.test_first_completed
  @Test
  void firstCompletedReturnsWhenOneFutureFinishes() throws Exception {
    CountDownLatch event = new CountDownLatch(1);
    ConcurrentFuture<Object> cancelled = cancelled();
    ConcurrentFuture<Object> future1 = submit(pool, () -> 21 * 2);
    ConcurrentFuture<Object> future2 = submit(pool, () -> event.await(20, TimeUnit.SECONDS));
    try {
      DoneAndNotDone<ConcurrentFuture<Object>> r =
          Futures.wait(List.of(cancelled, future1, future2), ReturnWhen.FIRST_COMPLETED);
      assertThat(r.done()).containsExactly(future1);
      assertThat(r.notDone()).containsExactlyInAnyOrder(cancelled, future2);
    } finally {
      event.countDown();
    }
    assertThat(future2.result()).isEqualTo(true);
  }

  // CPython test_wait.py: WaitTests.test_first_completed_some_already_completed
  @Test
  void firstCompletedReturnsAtOnceWhenSomeAreAlreadyDone() {
    ConcurrentFuture<Object> notified = cancelledAndNotified();
    ConcurrentFuture<Object> successful = successful();
    ConcurrentFuture<Object> future1 = pending();
    DoneAndNotDone<ConcurrentFuture<Object>> r =
        Futures.wait(List.of(notified, successful, future1), ReturnWhen.FIRST_COMPLETED);
    assertThat(r.done()).containsExactlyInAnyOrder(notified, successful);
    assertThat(r.notDone()).containsExactly(future1);
    assertThat(future1.rawState()).as("nothing installed").isNull();
  }

  // CPython test_wait.py: WaitTests.test_first_exception
  @Test
  void firstExceptionReturnsWhenAFutureRaises() throws Exception {
    CountDownLatch event1 = new CountDownLatch(1);
    CountDownLatch event2 = new CountDownLatch(1);
    try {
      ConcurrentFuture<Object> future1 = submit(pool, () -> 2 * 21);
      ConcurrentFuture<Object> future2 =
          submit(
              pool,
              () -> {
                event1.await(20, TimeUnit.SECONDS);
                throw new IllegalStateException("this is an exception");
              });
      ConcurrentFuture<Object> future3 = submit(pool, () -> event2.await(20, TimeUnit.SECONDS));
      Thread t =
          new Thread(
              () -> {
                future1.result();
                event1.countDown();
              });
      t.start();

      DoneAndNotDone<ConcurrentFuture<Object>> r =
          Futures.wait(List.of(future1, future2, future3), ReturnWhen.FIRST_EXCEPTION);
      assertThat(r.done()).containsExactlyInAnyOrder(future1, future2);
      assertThat(r.notDone()).containsExactly(future3);
      assertThat(future2.exception()).hasMessage("this is an exception");
      t.join();
    } finally {
      event1.countDown();
      event2.countDown();
    }
  }

  // CPython test_wait.py: WaitTests.test_first_exception_some_already_complete
  @Test
  void firstExceptionCountsTheFuturesAlreadyDone() throws Exception {
    CountDownLatch event = new CountDownLatch(1);
    ConcurrentFuture<Object> successful = successful();
    ConcurrentFuture<Object> cancelled = cancelled();
    ConcurrentFuture<Object> notified = cancelledAndNotified();
    ConcurrentFuture<Object> future1 = submit(pool, () -> 21 / zero());
    ConcurrentFuture<Object> future2 = submit(pool, () -> event.await(20, TimeUnit.SECONDS));
    try {
      DoneAndNotDone<ConcurrentFuture<Object>> r =
          Futures.wait(
              List.of(successful, cancelled, notified, future1, future2),
              ReturnWhen.FIRST_EXCEPTION);
      assertThat(r.done()).containsExactlyInAnyOrder(successful, notified, future1);
      assertThat(r.notDone()).containsExactlyInAnyOrder(cancelled, future2);
      assertThat(future1.exception()).isInstanceOf(ArithmeticException.class);
    } finally {
      event.countDown();
    }
    future2.result();
  }

  // CPython test_wait.py: WaitTests.test_first_exception_one_already_failed
  @Test
  void firstExceptionReturnsAtOnceWhenOneAlreadyFailed() {
    ConcurrentFuture<Object> failed = exception();
    ConcurrentFuture<Object> future1 = pending();
    DoneAndNotDone<ConcurrentFuture<Object>> r =
        Futures.wait(List.of(failed, future1), ReturnWhen.FIRST_EXCEPTION);
    assertThat(r.done()).containsExactly(failed);
    assertThat(r.notDone()).containsExactly(future1);
    assertThat(future1.rawState()).as("nothing installed").isNull();
  }

  // CPython test_wait.py: WaitTests.test_all_completed
  @Test
  void allCompletedWaitsForEveryFuture() {
    ConcurrentFuture<Object> successful = successful();
    ConcurrentFuture<Object> notified = cancelledAndNotified();
    ConcurrentFuture<Object> failed = exception();
    ConcurrentFuture<Object> future1 = submit(pool, () -> 2 / zero());
    ConcurrentFuture<Object> future2 = submit(pool, () -> 2 * 21);
    DoneAndNotDone<ConcurrentFuture<Object>> r =
        Futures.wait(
            List.of(successful, notified, failed, future1, future2), ReturnWhen.ALL_COMPLETED);
    assertThat(r.done()).containsExactlyInAnyOrder(successful, notified, failed, future1, future2);
    assertThat(r.notDone()).isEmpty();
    assertThat(future1.exception()).isInstanceOf(ArithmeticException.class);
  }

  // CPython test_wait.py: WaitTests.test_timeout
  @Test
  void timeoutReturnsTheFuturesDoneSoFar() throws Exception {
    CountDownLatch event = new CountDownLatch(1);
    ConcurrentFuture<Object> notified = cancelledAndNotified();
    ConcurrentFuture<Object> failed = exception();
    ConcurrentFuture<Object> successful = successful();
    ConcurrentFuture<Object> future = submit(pool, () -> event.await(20, TimeUnit.SECONDS));
    try {
      DoneAndNotDone<ConcurrentFuture<Object>> r =
          Futures.wait(
              List.of(notified, failed, successful, future), SHORT, ReturnWhen.ALL_COMPLETED);
      assertThat(r.done()).containsExactlyInAnyOrder(notified, failed, successful);
      assertThat(r.notDone()).containsExactly(future);
    } finally {
      event.countDown();
    }
    future.result();
  }

  // CPython test_wait.py: ThreadPoolWaitTests.test_pending_calls_race
  @Test
  void allCompletedSurvivesFuturesFinishingWhileTheWaiterIsInstalled() {
    for (int round = 0; round < 20; round++) {
      CountDownLatch event = new CountDownLatch(1);
      Set<ConcurrentFuture<Object>> fs = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        fs.add(submit(pool, () -> event.await(20, TimeUnit.SECONDS)));
      }
      event.countDown();
      DoneAndNotDone<ConcurrentFuture<Object>> r = Futures.wait(fs, ReturnWhen.ALL_COMPLETED);
      assertThat(r.done()).hasSize(100);
      assertThat(r.notDone()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- cancellation

  @Test
  void cancelledButNotNotifiedFutureIsNotDone() {
    ConcurrentFuture<Object> cancelled = cancelled();
    DoneAndNotDone<ConcurrentFuture<Object>> r = Futures.wait(List.of(cancelled), SHORT);
    assertThat(r.done()).isEmpty();
    assertThat(r.notDone()).containsExactly(cancelled);
    assertThat(((Cancelled) cancelled.rawState()).waiters).as("waiter removed").isNull();
  }

  @Test
  void plainCancelDoesNotWakeAWaitButItsNotificationDoes() throws Exception {
    ConcurrentFuture<Object> f = pending();
    ConcurrentFuture<Object> g = pending();
    Future<DoneAndNotDone<ConcurrentFuture<Object>>> waiting =
        pool.submit(() -> Futures.wait(List.of(f, g), ReturnWhen.FIRST_COMPLETED));
    awaitWaiter(f);
    awaitWaiter(g);
    assertThat(f.cancel()).isTrue();
    assertThatThrownBy(() -> waiting.get(200, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    assertThat(f.setRunningOrNotifyCancel()).isFalse();
    DoneAndNotDone<ConcurrentFuture<Object>> r = waiting.get(20, TimeUnit.SECONDS);
    assertThat(r.done()).containsExactly(f);
    assertThat(r.notDone()).containsExactly(g);
    assertThat(g.rawState()).as("waiter removed from the unfinished future").isNull();
  }

  @Test
  void firstExceptionIsNotEndedByACancellationAsInCPython() throws Exception {
    ConcurrentFuture<Object> f = pending();
    ConcurrentFuture<Object> g = pending();
    ConcurrentFuture<Object> h = pending();
    Future<DoneAndNotDone<ConcurrentFuture<Object>>> waiting =
        pool.submit(() -> Futures.wait(List.of(f, g, h), ReturnWhen.FIRST_EXCEPTION));
    awaitWaiter(f);
    awaitWaiter(g);
    awaitWaiter(h);
    f.cancel();
    f.setRunningOrNotifyCancel();
    assertThatThrownBy(() -> waiting.get(200, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    g.setException(new IllegalStateException("boom"));
    DoneAndNotDone<ConcurrentFuture<Object>> r = waiting.get(20, TimeUnit.SECONDS);
    assertThat(r.done()).containsExactlyInAnyOrder(f, g);
    assertThat(r.notDone()).containsExactly(h);
    assertThat(h.rawState()).isNull();
    g.exception();
  }

  @Test
  void firstExceptionWithoutAnExceptionWaitsForAll() throws Exception {
    ConcurrentFuture<Object> f = pending();
    ConcurrentFuture<Object> g = pending();
    Future<DoneAndNotDone<ConcurrentFuture<Object>>> waiting =
        pool.submit(() -> Futures.wait(List.of(f, g), ReturnWhen.FIRST_EXCEPTION));
    awaitWaiter(f);
    awaitWaiter(g);
    f.setResult(1);
    assertThatThrownBy(() -> waiting.get(100, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    g.cancel();
    g.setRunningOrNotifyCancel();
    DoneAndNotDone<ConcurrentFuture<Object>> r = waiting.get(20, TimeUnit.SECONDS);
    assertThat(r.done()).containsExactly(f, g);
    assertThat(r.notDone()).isEmpty();
  }

  @Test
  void allCompletedCountsCancelledAndNotifiedFutures() throws Exception {
    ConcurrentFuture<Object> f = pending();
    ConcurrentFuture<Object> g = running();
    Future<DoneAndNotDone<ConcurrentFuture<Object>>> waiting =
        pool.submit(() -> Futures.wait(List.of(f, g)));
    awaitWaiter(f);
    awaitCallback(g);
    f.cancel();
    f.setRunningOrNotifyCancel();
    g.cancel(false); // JDK cancel of a RUNNING future: CANCELLED_AND_NOTIFIED at once
    DoneAndNotDone<ConcurrentFuture<Object>> r = waiting.get(20, TimeUnit.SECONDS);
    assertThat(r.done()).containsExactly(f, g);
    assertThat(r.notDone()).isEmpty();
  }

  // ---------------------------------------------------------------- timeouts and waiters

  @Test
  void zeroTimeoutOnlyLooks() {
    ConcurrentFuture<Object> f = pending();
    ConcurrentFuture<Object> s = successful();
    DoneAndNotDone<ConcurrentFuture<Object>> r =
        Futures.wait(List.of(f, s), Duration.ZERO, ReturnWhen.ALL_COMPLETED);
    assertThat(r.done()).containsExactly(s);
    assertThat(r.notDone()).containsExactly(f);
    r = Futures.wait(List.of(f), Duration.ZERO, ReturnWhen.FIRST_COMPLETED);
    assertThat(r.done()).isEmpty();
    assertThat(r.notDone()).containsExactly(f);
    assertThat(f.rawState()).as("nothing installed").isNull();
  }

  @Test
  void timeoutCountsOnceForTheWholeCall() throws Exception {
    List<ConcurrentFuture<Object>> fs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      fs.add(pending());
    }
    Thread completer =
        new Thread(
            () -> {
              try {
                for (ConcurrentFuture<Object> f : fs) {
                  Thread.sleep(100);
                  f.setResult(1);
                }
              } catch (InterruptedException stop) {
                // the test is over
              }
            });
    completer.setDaemon(true);
    completer.start();
    try {
      // A timeout restarted at each completion (every 100 ms) would never expire before all 20 are
      // done, which takes at least 2 s.
      DoneAndNotDone<ConcurrentFuture<Object>> r = Futures.wait(fs, Duration.ofMillis(500));
      assertThat(r.notDone()).isNotEmpty();
      assertThat(r.done().size() + r.notDone().size()).isEqualTo(20);
    } finally {
      completer.interrupt();
      completer.join();
    }
  }

  @Test
  void noWaiterIsLeftBehindAfterATimeout() {
    ConcurrentFuture<Object> fresh = pending();
    ConcurrentFuture<Object> withCallback = pending();
    Consumer<ConcurrentFuture<Object>> callback = f -> {};
    withCallback.addDoneCallback(callback);
    ConcurrentFuture<Object> running = running();
    ConcurrentFuture<Object> cancelled = cancelled();

    DoneAndNotDone<ConcurrentFuture<Object>> r =
        Futures.wait(List.of(fresh, withCallback, running, cancelled), SHORT);

    assertThat(r.notDone()).containsExactly(fresh, withCallback, running, cancelled);
    assertThat(fresh.rawState()).isNull();
    assertThat(CallbackStack.inOrder((CallbackStack) withCallback.rawState()))
        .containsExactly(cast(callback));
    assertThat(running.isRunning()).isTrue();
    assertThat(CallbackStack.inOrder((CallbackStack) running.rawState())).isEmpty();
    assertThat(((Cancelled) cancelled.rawState()).waiters).isNull();
  }

  @Test
  void noWaiterIsLeftOnTheUnfinishedFuturesAfterFirstCompleted() throws Exception {
    ConcurrentFuture<Object> f = pending();
    ConcurrentFuture<Object> g = pending();
    Future<DoneAndNotDone<ConcurrentFuture<Object>>> waiting =
        pool.submit(() -> Futures.wait(List.of(f, g), ReturnWhen.FIRST_COMPLETED));
    awaitWaiter(g);
    f.setResult("first");
    assertThat(waiting.get(20, TimeUnit.SECONDS).done()).containsExactly(f);
    assertThat(g.rawState()).isNull();
  }

  @Test
  void aFutureThatFinishesDuringTheWaitIsReportedDone() throws Exception {
    ConcurrentFuture<Object> f = pending();
    Future<DoneAndNotDone<ConcurrentFuture<Object>>> waiting =
        pool.submit(() -> Futures.wait(List.of(f), Duration.ofSeconds(20)));
    awaitWaiter(f);
    f.setResult(null);
    DoneAndNotDone<ConcurrentFuture<Object>> r = waiting.get(20, TimeUnit.SECONDS);
    assertThat(r.done()).containsExactly(f);
    assertThat(r.notDone()).isEmpty();
  }

  // ---------------------------------------------------------------- interrupts

  @Test
  void interruptWhileBlockedRestoresTheFlagAndThrows() throws Exception {
    ConcurrentFuture<Object> f = pending();
    ConcurrentFuture<Object> outcome = pending();
    Thread waiter =
        new Thread(
            () -> {
              try {
                Futures.wait(List.of(f));
                outcome.setResult("returned");
              } catch (WaitInterruptedException e) {
                outcome.setResult(
                    Thread.currentThread().isInterrupted() ? "flag set" : "flag lost");
              }
            });
    waiter.start();
    awaitWaiter(f);
    waiter.interrupt();
    assertThat(outcome.result(Duration.ofSeconds(20))).isEqualTo("flag set");
    waiter.join();
    assertThat(f.rawState()).as("waiter removed").isNull();
  }

  @Test
  void interruptedCallerThatWouldBlockThrowsAtOnce() {
    ConcurrentFuture<Object> f = pending();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Futures.wait(List.of(f), Duration.ofSeconds(20)))
          .isInstanceOf(WaitInterruptedException.class)
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(f.rawState()).isNull();
  }

  @Test
  void interruptedCallerWhoseConditionHoldsReturnsAndKeepsTheFlag() {
    ConcurrentFuture<Object> s = successful();
    Thread.currentThread().interrupt();
    try {
      assertThat(Futures.wait(List.of(s)).done()).containsExactly(s);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  // ---------------------------------------------------------------- shapes and input

  @Test
  void emptyCollectionReturnsAtOnce() {
    DoneAndNotDone<ConcurrentFuture<Object>> r =
        Futures.wait(List.of(), ReturnWhen.FIRST_COMPLETED);
    assertThat(r.done()).isEmpty();
    assertThat(r.notDone()).isEmpty();
  }

  @Test
  void defaultConditionIsAllCompleted() {
    ConcurrentFuture<Object> a = submit(pool, () -> "a");
    ConcurrentFuture<Object> b = submit(pool, () -> "b");
    DoneAndNotDone<ConcurrentFuture<Object>> r = Futures.wait(List.of(a, b));
    assertThat(r.done()).containsExactly(a, b);
    DoneAndNotDone<ConcurrentFuture<Object>> timed = Futures.wait(List.of(a, b), SHORT);
    assertThat(timed.done()).containsExactly(a, b);
  }

  @Test
  void resultSetsAreUnmodifiable() {
    ConcurrentFuture<Object> s = successful();
    ConcurrentFuture<Object> p = pending();
    DoneAndNotDone<ConcurrentFuture<Object>> r = Futures.wait(List.of(s, p), Duration.ZERO);
    assertThatThrownBy(() -> r.done().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.notDone().add(s)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void badInputIsRejectedAndLeavesTheFuturesAlone() {
    ConcurrentFuture<Object> f = pending();
    assertThatThrownBy(() -> Futures.wait(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("futures must not be null");
    assertThatThrownBy(() -> Futures.wait(Arrays.asList(f, f, null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("futures[2] must not be null");
    assertThatThrownBy(() -> Futures.wait(List.of(f), (ReturnWhen) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("returnWhen must not be null");
    assertThatThrownBy(() -> Futures.wait(List.of(f), SHORT, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("returnWhen must not be null");
    assertThatThrownBy(() -> Futures.wait(List.of(f), (Duration) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout must not be null");
    assertThatThrownBy(() -> Futures.wait(List.of(f), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must not be negative: -1 s");
    assertThat(f.rawState()).isNull();
  }

  @SuppressWarnings("unchecked")
  private static Consumer<Object> cast(Consumer<?> callback) {
    return (Consumer<Object>) callback;
  }

  private static int zero() {
    return 0;
  }

  private static void awaitCallback(ConcurrentFuture<?> running) {
    FutureFixtures.awaitCondition(
        () -> CallbackStack.inOrder((CallbackStack) running.rawState()).length > 0);
  }
}
