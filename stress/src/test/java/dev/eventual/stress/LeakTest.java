package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureIterator;
import dev.eventual.Futures;
import dev.eventual.WaitTimeoutException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A million timed-out waits on one long-lived pending future, and a million callbacks added and
 * removed again, leave nothing behind: the future's state word is back to "PENDING, nothing
 * installed", the heap does not grow with the count, the iterators and callbacks become garbage,
 * and the millionth add/remove costs what the first did.
 */
class LeakTest {
  private static final int N = 1_000_000;
  private static final Duration ONE_NANO = Duration.ofNanos(1);

  /** More than a million retained nodes would take; far more than noise. */
  private static final long MAX_GROWTH = 8L << 20;

  @Test
  @Timeout(120)
  void millionTimedOutResultWaitsLeaveNoWaiterBehind() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    long before = Internals.usedHeapAfterGc();
    for (int i = 0; i < N; i++) {
      Duration timeout = (i & 1) == 0 ? Duration.ZERO : ONE_NANO;
      assertThatThrownBy(() -> f.result(timeout)).isInstanceOf(WaitTimeoutException.class);
    }
    assertClean(f, before);
  }

  @Test
  @Timeout(120)
  void millionTimedOutFuturesWaitsLeaveNoWaiterBehind() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> done = Futures.completed(1);
    List<ConcurrentFuture<Integer>> both = List.of(f, done);
    long before = Internals.usedHeapAfterGc();
    for (int i = 0; i < N; i++) {
      Duration timeout = (i & 1) == 0 ? Duration.ZERO : ONE_NANO;
      assertThat(Futures.wait(both, timeout).notDone()).containsExactly(f);
    }
    assertClean(f, before);
  }

  @Test
  @Timeout(120)
  void millionTimedOutAsCompletedIterationsLeaveNoWaiterBehind() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    List<ConcurrentFuture<Integer>> one = List.of(f);
    List<WeakReference<Object>> iterators = new ArrayList<>();
    long before = Internals.usedHeapAfterGc();
    for (int i = 0; i < N; i++) {
      FutureIterator<ConcurrentFuture<Integer>> it =
          Futures.asCompleted(one, (i & 1) == 0 ? Duration.ZERO : ONE_NANO);
      if (i % 1000 == 0) {
        iterators.add(new WeakReference<>(it));
      }
      if ((i & 2) == 0) {
        assertThatThrownBy(it::next).isInstanceOf(WaitTimeoutException.class);
      } else {
        it.close(); // abandoned early
      }
    }
    assertClean(f, before);
    assertThat(Internals.gcUntil(() -> iterators.stream().allMatch(r -> r.get() == null)))
        .as("every iterator collected")
        .isTrue();
  }

  @Test
  @Timeout(120)
  void millionCallbacksAddedAndRemovedLeaveTheFutureSmallAndStayFast() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Consumer<ConcurrentFuture<Integer>> permanent = x -> {};
    f.addDoneCallback(permanent); // so removals work on a stack, not on the single-callback form
    List<WeakReference<Object>> removed = new ArrayList<>();
    long before = Internals.usedHeapAfterGc();
    long[] batchNanos = new long[10];
    for (int batch = 0; batch < 10; batch++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < N / 10; i++) {
        Consumer<ConcurrentFuture<Integer>> cb = new Noop(); // a new object each time
        f.addDoneCallback(cb);
        if (i % 1000 == 0) {
          removed.add(new WeakReference<>(cb));
        }
        assertThat(f.removeDoneCallback(cb)).isEqualTo(1);
      }
      batchNanos[batch] = System.nanoTime() - t0;
    }
    assertThat(Internals.usedHeapAfterGc() - before).isLessThan(MAX_GROWTH);
    assertThat(Internals.gcUntil(() -> removed.stream().allMatch(r -> r.get() == null)))
        .as("every removed callback collected")
        .isTrue();
    // Flat: the second half costs no more than 4x the first (which includes JIT warm-up), with
    // half a second of slack for GC pauses on 2 loaded cores. A list that kept its removed nodes
    // would make every later removal walk them all.
    long firstHalf = 0;
    long secondHalf = 0;
    for (int b = 0; b < 10; b++) {
      if (b < 5) {
        firstHalf += batchNanos[b];
      } else {
        secondHalf += batchNanos[b];
      }
    }
    assertThat(secondHalf).isLessThan(4 * firstHalf + 500_000_000L);
    assertThat(f.removeDoneCallback(permanent)).isEqualTo(1);
    assertThat(Internals.rawState(f)).isNull();
  }

  /** A callback that does nothing; every instance distinct (a non-capturing lambda is shared). */
  private static final class Noop implements Consumer<ConcurrentFuture<Integer>> {
    @Override
    public void accept(ConcurrentFuture<Integer> f) {}
  }

  private static void assertClean(ConcurrentFuture<Integer> f, long heapBefore) throws Exception {
    assertThat(Internals.rawState(f)).as("nothing installed").isNull();
    assertThat(f.futureState()).hasToString("PENDING");
    assertThat(f.toString()).endsWith("[PENDING]");
    assertThat(Internals.usedHeapAfterGc() - heapBefore).isLessThan(MAX_GROWTH);
    f.setResult(7); // and it still works
    assertThat(f.result(Duration.ZERO)).isEqualTo(7);
  }
}
