package dev.eventual;

import static dev.eventual.FutureFixtures.awaitWaiter;
import static dev.eventual.FutureFixtures.cancelledAndNotified;
import static dev.eventual.FutureFixtures.exception;
import static dev.eventual.FutureFixtures.isCollected;
import static dev.eventual.FutureFixtures.pending;
import static dev.eventual.FutureFixtures.running;
import static dev.eventual.FutureFixtures.submit;
import static dev.eventual.FutureFixtures.successful;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.internal.Outcome.Cancelled;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FuturesAsCompletedTest {
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

  // CPython test_as_completed.py: AsCompletedTests.test_no_timeout
  @Test
  void yieldsEveryFutureWithoutTimeout() {
    List<ConcurrentFuture<Object>> fs =
        List.of(
            cancelledAndNotified(),
            exception(),
            successful(),
            submit(pool, () -> 2 * 21),
            submit(pool, () -> 7 * 6));
    Set<ConcurrentFuture<Object>> completed = new HashSet<>();
    for (ConcurrentFuture<Object> f : Futures.asCompleted(fs)) {
      completed.add(f);
    }
    assertThat(completed).containsExactlyInAnyOrderElementsOf(fs);
  }

  // CPython test_as_completed.py: AsCompletedTests.test_future_times_out
  @Test
  void timesOutBeforeTheLastFuture() {
    for (Duration timeout : List.of(Duration.ZERO, Duration.ofMillis(100))) {
      Set<ConcurrentFuture<Object>> alreadyCompleted =
          Set.of(cancelledAndNotified(), exception(), successful());
      CountDownLatch event = new CountDownLatch(1);
      ConcurrentFuture<Object> future = submit(pool, () -> event.await(20, TimeUnit.SECONDS));
      Set<ConcurrentFuture<Object>> all = new LinkedHashSet<>(alreadyCompleted);
      all.add(future);
      Set<ConcurrentFuture<Object>> completed = new HashSet<>();
      try {
        for (ConcurrentFuture<Object> f : Futures.asCompleted(all, timeout)) {
          completed.add(f);
        }
      } catch (WaitTimeoutException expected) {
        // as in CPython, the loop ends with a timeout
      } finally {
        event.countDown();
      }
      assertThat(completed).as("timeout %s", timeout).isEqualTo(alreadyCompleted);
    }
  }

  // CPython test_as_completed.py: AsCompletedTests.test_duplicate_futures
  @Test
  void duplicateFuturesAreYieldedOnce() {
    ConcurrentFuture<Object> future1 = submit(pool, () -> "slept");
    List<ConcurrentFuture<Object>> completed = new ArrayList<>();
    Futures.asCompleted(Collections.nCopies(3, future1)).forEachRemaining(completed::add);
    assertThat(completed).containsExactly(future1);
  }

  // CPython test_as_completed.py: AsCompletedTests.test_free_reference_yielded_future
  @Test
  void doesNotKeepYieldedFuturesReachable() throws Exception {
    List<ConcurrentFuture<Object>> futuresList = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      futuresList.add(pending());
    }
    futuresList.add(cancelledAndNotified());
    futuresList.add(successful());

    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(futuresList, Duration.ZERO);
    assertThatThrownBy(
            () -> {
              while (it.hasNext()) {
                WeakReference<ConcurrentFuture<Object>> wr = yieldAndForget(it, futuresList);
                assertThat(isCollected(wr)).as("yielded future collected").isTrue();
              }
            })
        .isInstanceOf(WaitTimeoutException.class);
    assertThat(futuresList).hasSize(8);

    futuresList.get(0).setResult("test");
    FutureIterator<ConcurrentFuture<Object>> again = Futures.asCompleted(futuresList);
    while (again.hasNext()) {
      WeakReference<ConcurrentFuture<Object>> wr = yieldAndForget(again, futuresList);
      assertThat(isCollected(wr)).as("yielded future collected").isTrue();
      if (!futuresList.isEmpty()) {
        futuresList.get(0).setResult("test");
      }
    }
    assertThat(futuresList).isEmpty();
  }

  /** Takes the next future, drops it from the list, and keeps only a weak reference to it. */
  private static WeakReference<ConcurrentFuture<Object>> yieldAndForget(
      FutureIterator<ConcurrentFuture<Object>> it, List<ConcurrentFuture<Object>> list) {
    ConcurrentFuture<Object> future = it.next();
    assertThat(list.remove(future)).isTrue();
    return new WeakReference<>(future);
  }

  // CPython test_as_completed.py: AsCompletedTests.test_correct_timeout_exception_msg
  @Test
  void timeoutMessageIsCPythons() {
    List<ConcurrentFuture<Object>> fs =
        List.of(cancelledAndNotified(), pending(), running(), successful());
    List<ConcurrentFuture<Object>> yielded = new ArrayList<>();
    assertThatThrownBy(() -> Futures.asCompleted(fs, Duration.ZERO).forEachRemaining(yielded::add))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage("2 (of 4) futures unfinished");
    assertThat(yielded).containsExactlyInAnyOrder(fs.get(0), fs.get(3));
  }

  // CPython test_as_completed.py: AsCompletedTests.test_zero_timeout (CPython 3.8-3.12)
  @Test
  void zeroTimeoutYieldsOnlyWhatIsAlreadyDone() {
    ConcurrentFuture<Object> notified = cancelledAndNotified();
    ConcurrentFuture<Object> failed = exception();
    ConcurrentFuture<Object> successful = successful();
    ConcurrentFuture<Object> future1 = pending();
    Set<ConcurrentFuture<Object>> completed = new HashSet<>();
    try {
      for (ConcurrentFuture<Object> f :
          Futures.asCompleted(List.of(notified, failed, successful, future1), Duration.ZERO)) {
        completed.add(f);
      }
    } catch (WaitTimeoutException expected) {
      // the pending future
    }
    assertThat(completed).containsExactlyInAnyOrder(notified, failed, successful);
    assertThat(future1.rawState()).as("waiter removed").isNull();
  }

  // ---------------------------------------------------------------- order and laziness

  @Test
  void isLazyUntilTheFirstNext() {
    ConcurrentFuture<Object> s = successful();
    ConcurrentFuture<Object> p = pending();
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(p, s));
    assertThat(p.rawState()).as("nothing installed before next()").isNull();
    assertThat(it.hasNext()).isTrue();
    assertThat(p.rawState()).isNull();
    assertThat(it.next()).as("already done comes first").isSameAs(s);
    assertThat(p.rawState()).as("waiter installed").isNotNull();
    p.setResult("late");
    assertThat(it.next()).isSameAs(p);
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void yieldsInCompletionOrder() {
    ConcurrentFuture<Object> a = pending();
    ConcurrentFuture<Object> b = pending();
    ConcurrentFuture<Object> c = pending();
    ConcurrentFuture<Object> s = successful();
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(a, b, c, s));
    assertThat(it.next()).isSameAs(s);
    c.setResult(3);
    a.setException(new IllegalStateException("a"));
    assertThat(it.next()).isSameAs(c);
    assertThat(it.next()).isSameAs(a);
    b.cancel(false);
    b.setRunningOrNotifyCancel();
    assertThat(it.next()).isSameAs(b);
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    a.exception();
  }

  @Test
  void nextBlocksUntilAFutureIsDone() throws Exception {
    ConcurrentFuture<Object> f = pending();
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(f));
    Future<ConcurrentFuture<Object>> taken = pool.submit(it::next);
    awaitWaiter(f);
    assertThat(it.hasNext()).as("unyielded futures remain").isTrue();
    f.setResult("x");
    assertThat(taken.get(20, TimeUnit.SECONDS)).isSameAs(f);
  }

  @Test
  void cancelledFutureIsYieldedOnlyOnceNotified() throws Exception {
    ConcurrentFuture<Object> s = successful();
    ConcurrentFuture<Object> f = pending();
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(s, f));
    assertThat(it.next()).isSameAs(s);
    f.cancel();
    Future<ConcurrentFuture<Object>> taken = pool.submit(it::next);
    assertThatThrownBy(() -> taken.get(200, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    f.setRunningOrNotifyCancel();
    assertThat(taken.get(20, TimeUnit.SECONDS)).isSameAs(f);
  }

  @Test
  void yieldsEachOfManyConcurrentlyCompletedFuturesOnce() {
    List<ConcurrentFuture<Object>> fs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      int n = i;
      fs.add(submit(pool, () -> n));
    }
    List<ConcurrentFuture<Object>> yielded = new ArrayList<>();
    Futures.asCompleted(fs, Duration.ofSeconds(20)).forEachRemaining(yielded::add);
    assertThat(yielded).hasSize(1000).doesNotHaveDuplicates();
    assertThat(new HashSet<>(yielded)).isEqualTo(new HashSet<>(fs));
  }

  // ---------------------------------------------------------------- timeout, close, interrupt

  @Test
  void timeoutCountsFromTheAsCompletedCall() throws Exception {
    ConcurrentFuture<Object> f = pending();
    FutureIterator<ConcurrentFuture<Object>> it =
        Futures.asCompleted(List.of(f), Duration.ofSeconds(1));
    Thread.sleep(1100);
    long start = System.nanoTime();
    assertThatThrownBy(it::next)
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage("1 (of 1) futures unfinished");
    // counted from next(), it would have blocked for another second
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
  }

  @Test
  void timeoutEndsTheIterationAndRemovesTheWaiter() {
    ConcurrentFuture<Object> s = successful();
    ConcurrentFuture<Object> f = pending();
    ConcurrentFuture<Object> c = FutureFixtures.cancelled();
    FutureIterator<ConcurrentFuture<Object>> it =
        Futures.asCompleted(List.of(s, f, c), Duration.ofMillis(50));
    assertThat(it.next()).isSameAs(s);
    assertThatThrownBy(it::next)
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage("2 (of 3) futures unfinished");
    assertThat(f.rawState()).isNull();
    assertThat(((Cancelled) c.rawState()).waiters).isNull();
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void closeRemovesTheWaiterFromUnfinishedFutures() {
    ConcurrentFuture<Object> s = successful();
    ConcurrentFuture<Object> f = pending();
    ConcurrentFuture<Object> g = pending();
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(s, f, g));
    assertThat(it.next()).isSameAs(s);
    assertThat(f.rawState()).isNotNull();
    assertThat(g.rawState()).isNotNull();
    it.close();
    assertThat(f.rawState()).isNull();
    assertThat(g.rawState()).isNull();
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    it.close(); // again: nothing happens
    f.setResult("after close");
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void tryWithResourcesReleasesTheFuturesLeftUnyielded() {
    ConcurrentFuture<Object> s = successful();
    ConcurrentFuture<Object> f = FutureFixtures.cancelled();
    try (FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(s, f))) {
      assertThat(it.next()).isSameAs(s);
      assertThat(((Cancelled) f.rawState()).waiters).as("waiter kept by the cancel").isNotNull();
    }
    assertThat(((Cancelled) f.rawState()).waiters).isNull();
  }

  @Test
  void closeBeforeTheFirstNextInstallsNothing() {
    ConcurrentFuture<Object> f = pending();
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(f));
    it.close();
    assertThat(f.rawState()).isNull();
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void interruptWhileBlockedEndsTheIterationAndRestoresTheFlag() throws Exception {
    ConcurrentFuture<Object> f = pending();
    ConcurrentFuture<Object> outcome = pending();
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(f));
    Thread reader =
        new Thread(
            () -> {
              try {
                it.next();
                outcome.setResult("returned");
              } catch (WaitInterruptedException e) {
                outcome.setResult(
                    Thread.currentThread().isInterrupted() ? "flag set" : "flag lost");
              }
            });
    reader.start();
    awaitWaiter(f);
    reader.interrupt();
    assertThat(outcome.result(Duration.ofSeconds(20))).isEqualTo("flag set");
    reader.join();
    assertThat(f.rawState()).as("waiter removed").isNull();
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void interruptedReaderStillGetsFuturesThatAreReady() {
    ConcurrentFuture<Object> s = successful();
    ConcurrentFuture<Object> p = pending();
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(s, p));
    Thread.currentThread().interrupt();
    try {
      assertThat(it.next()).isSameAs(s);
      assertThatThrownBy(it::next).isInstanceOf(WaitInterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(p.rawState()).isNull();
  }

  // ---------------------------------------------------------------- shape and input

  @Test
  void iteratorCanBeTakenOnlyOnce() {
    ConcurrentFuture<Object> s = successful();
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(s));
    List<ConcurrentFuture<Object>> seen = new ArrayList<>();
    for (ConcurrentFuture<Object> f : it) {
      seen.add(f);
    }
    assertThat(seen).containsExactly(s);
    assertThatThrownBy(it::iterator).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void emptyCollectionHasNothingToYield() {
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(List.of(), Duration.ZERO);
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void theCollectionIsCopiedAtTheCall() {
    ConcurrentFuture<Object> s = successful();
    List<ConcurrentFuture<Object>> fs = new ArrayList<>(List.of(s));
    FutureIterator<ConcurrentFuture<Object>> it = Futures.asCompleted(fs);
    fs.add(pending());
    assertThat(it.next()).isSameAs(s);
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void badInputIsRejected() {
    ConcurrentFuture<Object> f = pending();
    assertThatThrownBy(() -> Futures.asCompleted(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("futures must not be null");
    assertThatThrownBy(() -> Futures.asCompleted(Arrays.asList(f, null), Duration.ZERO))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("futures[1] must not be null");
    assertThatThrownBy(() -> Futures.asCompleted(List.of(f), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout must not be null");
    assertThatThrownBy(() -> Futures.asCompleted(List.of(f), Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must not be negative: -5 ms");
    assertThat(f.rawState()).isNull();
  }

  // issue 19, defect 9. CPython: as_completed's finally clause removes its waiter from every future
  // when the generator is closed, which a dropped generator is when it is collected.
  @Test
  void anIterationLeftByBreakWithoutCloseRemovesItsWaitersOnceUnreachable() throws Exception {
    List<ConcurrentFuture<Integer>> pending = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pending.add(new ConcurrentFuture<>());
    }
    List<ConcurrentFuture<Integer>> all = new java.util.ArrayList<>(pending);
    all.add(Futures.completed(0));
    abandonAfterFirst(all);
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (pending.stream().anyMatch(f -> f.rawState() != null) && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    for (ConcurrentFuture<Integer> f : pending) {
      assertThat(f.rawState()).as("waiter left on %s", f).isNull();
    }
  }

  private static void abandonAfterFirst(List<ConcurrentFuture<Integer>> fs) {
    for (ConcurrentFuture<Integer> f : Futures.asCompleted(fs)) {
      assertThat(f.isDone()).isTrue();
      break; // no close(): the iterator becomes unreachable here
    }
    for (int i = 0; i < 3; i++) {
      assertThat(fs.get(i).rawState()).isNotNull(); // the waiters are on
    }
  }
}
