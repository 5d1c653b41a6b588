package dev.eventual;

import static dev.eventual.FutureFixtures.pending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FuturesCombineTest {

  // ---------------------------------------------------------------- Hazelcast ports

  // Hazelcast future_test.py: CombineFutureTest.test_combining
  @Test
  void completesWithAllResultsOnceEveryInputIsDone() {
    ConcurrentFuture<String> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<String> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<String> f3 = new ConcurrentFuture<>();
    ConcurrentFuture<List<String>> combined = Futures.combine(List.of(f1, f2, f3));
    f1.setResult("done1");
    assertThat(combined.isDone()).isFalse();
    f2.setResult("done2");
    assertThat(combined.isDone()).isFalse();
    f3.setResult("done3");
    assertThat(combined.result()).containsExactly("done1", "done2", "done3");
  }

  // Hazelcast future_test.py: CombineFutureTest.test_exceptional_result
  @Test
  void failsWithTheInputsException() {
    ConcurrentFuture<String> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<String> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<String> f3 = new ConcurrentFuture<>();
    ConcurrentFuture<List<String>> combined = Futures.combine(List.of(f1, f2, f3));
    RuntimeException e = new RuntimeException("error");
    f1.setResult("done");
    f2.setResult("done");
    f3.setException(e);
    assertThat(combined.exception()).isSameAs(e);
  }

  // Hazelcast future_test.py: CombineFutureTest.test_empty_input
  @Test
  void emptyInputGivesACompletedEmptyList() {
    ConcurrentFuture<List<Object>> combined = Futures.combine(List.of());
    assertThat(combined.isDone()).isTrue();
    assertThat(combined.futureState()).isEqualTo(FutureState.FINISHED);
    assertThat(combined.result()).isEmpty();
  }

  // Hazelcast future_test.py: CombineFutureTest.test_completion_order
  @Test
  void resultsFollowTheInputOrderNotTheCompletionOrder() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f3 = new ConcurrentFuture<>();
    ConcurrentFuture<List<Integer>> combined = Futures.combine(List.of(f1, f2, f3));
    f3.setResult(3);
    f1.setResult(1);
    f2.setResult(2);
    assertThat(combined.result()).containsExactly(1, 2, 3);
  }

  // Hazelcast future_test.py: CombineFutureTest.test_waiting_for_all_inputs
  @Test
  void waitsForEveryInputEvenAfterAFailure() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f3 = new ConcurrentFuture<>();
    ConcurrentFuture<List<Integer>> combined = Futures.combine(List.of(f1, f2, f3));
    RuntimeException e = new RuntimeException("expected");
    f1.setException(e);
    assertThat(combined.isDone()).isFalse();
    f2.setResult(1);
    assertThat(combined.isDone()).isFalse();
    f3.setResult(2);
    assertThat(combined.isDone()).isTrue();
    assertThat(combined.isSuccess()).isFalse();
    assertThat(combined.exception()).isSameAs(e);
  }

  // Hazelcast future_test.py: CombineFutureTest.test_returning_first_error; issue 19, defect 7
  @Test
  void failsWithANewExceptionCausedByTheFirstErrorWithTheLaterOnesSuppressed() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f3 = new ConcurrentFuture<>();
    ConcurrentFuture<List<Integer>> combined = Futures.combine(List.of(f1, f2, f3));
    RuntimeException e1 = new RuntimeException("expected");
    RuntimeException e2 = new RuntimeException("expected2");
    RuntimeException e3 = new RuntimeException("expected3");
    f2.setException(e1); // first by completion time, not by position
    assertThat(combined.isDone()).isFalse();
    f3.setException(e2);
    assertThat(combined.isDone()).isFalse();
    f1.setException(e3);
    assertThat(combined.isDone()).isTrue();
    assertThat(combined.isSuccess()).isFalse();
    Throwable combinedException = combined.exception();
    assertThat(combinedException)
        .isInstanceOf(CombinedException.class)
        .hasMessage("3 of 3 combined futures failed; the first to fail is the cause")
        .hasCause(e1);
    assertThat(combinedException.getSuppressed()).containsExactly(e2, e3);
    assertThat(((CombinedException) combinedException).failures()).containsExactly(e1, e2, e3);
    assertThat(e1.getSuppressed()).isEmpty(); // the input's own exception is left as it was
    assertThatThrownBy(combined::result).isSameAs(combinedException);
  }

  @Test // issue 19, defect 7: combine added suppressed exceptions to its inputs' own exceptions
  void combineNeverMutatesAnInputsExceptionAndOppositeOrdersMakeNoCycle() {
    ConcurrentFuture<Integer> a = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> b = new ConcurrentFuture<>();
    ConcurrentFuture<List<Integer>> ab = Futures.combine(List.of(a, b));
    ConcurrentFuture<List<Integer>> ba = Futures.combine(List.of(b, a));
    IllegalStateException ea = new IllegalStateException("a");
    IllegalStateException eb = new IllegalStateException("b");
    a.setException(ea);
    b.setException(eb);
    ConcurrentFuture<List<Integer>> later = Futures.combine(List.of(b, a)); // inputs done: b first
    assertThat(ea.getSuppressed()).isEmpty();
    assertThat(eb.getSuppressed()).isEmpty();
    assertThat(a.exception()).isSameAs(ea);
    assertThat(ab.exception()).hasCause(ea);
    assertThat(ab.exception().getSuppressed()).containsExactly(eb);
    assertThat(ba.exception()).hasCause(ea); // completion order, whatever the list order
    assertThat(ba.exception().getSuppressed()).containsExactly(eb);
    assertThat(later.exception()).hasCause(eb);
    assertThat(later.exception().getSuppressed()).containsExactly(ea);
    assertThat(ab.exception()).isNotSameAs(ba.exception()); // each combine has its own
  }

  @Test // issue 19, defect 7: concurrent combines listed one exception twice on the input
  void concurrentCombinesOfTheSameFailuresEachReportEveryFailureOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      ConcurrentFuture<Integer> a = new ConcurrentFuture<>();
      ConcurrentFuture<Integer> b = new ConcurrentFuture<>();
      List<ConcurrentFuture<List<Integer>>> combined = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        combined.add(Futures.combine(i % 2 == 0 ? List.of(a, b) : List.of(b, a)));
      }
      IllegalStateException ea = new IllegalStateException("a");
      IllegalStateException eb = new IllegalStateException("b");
      Thread t = new Thread(() -> b.setException(eb));
      t.start();
      a.setException(ea);
      t.join();
      for (ConcurrentFuture<List<Integer>> c : combined) {
        CombinedException e = (CombinedException) c.exception();
        assertThat(e.failures()).containsExactlyInAnyOrder(ea, eb);
      }
      assertThat(ea.getSuppressed()).isEmpty();
      assertThat(eb.getSuppressed()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- cancellation and failures

  @Test
  void firstFailureBeingACancellationCancelsTheCombinedFutureWithItsMessage() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<List<Integer>> combined = Futures.combine(List.of(f1, f2));
    assertThat(f2.cancel("stop")).isTrue();
    assertThat(combined.isDone()).isFalse();
    f1.setException(new IllegalStateException("later"));
    assertThat(combined.isCancelled()).isTrue();
    assertThatThrownBy(combined::result)
        .isInstanceOf(CancellationException.class)
        .hasMessage("stop");
  }

  @Test
  void laterCancellationIsSuppressedAsACancellationException() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<List<Integer>> combined = Futures.combine(List.of(f1, f2));
    IllegalStateException e = new IllegalStateException("first");
    f1.setException(e);
    f2.cancel("too late");
    assertThat(combined.exception()).isInstanceOf(CombinedException.class).hasCause(e);
    assertThat(combined.exception().getSuppressed()).hasSize(1);
    assertThat(combined.exception().getSuppressed()[0])
        .isInstanceOf(CancellationException.class)
        .hasMessage("too late");
    assertThat(e.getSuppressed()).isEmpty();
  }

  @Test
  void anExceptionIsNeverSuppressedByItselfNorTwice() {
    IllegalStateException shared = new IllegalStateException("shared");
    IllegalStateException other = new IllegalStateException("other");
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f3 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f4 = new ConcurrentFuture<>();
    ConcurrentFuture<List<Integer>> combined = Futures.combine(List.of(f1, f2, f3, f4));
    f1.setException(shared);
    f2.setException(shared);
    f3.setException(other);
    f4.setException(other);
    assertThat(combined.exception()).hasCause(shared);
    assertThat(combined.exception().getSuppressed()).containsExactly(other);
    assertThat(((CombinedException) combined.exception()).failures())
        .containsExactly(shared, other);
    assertThat(shared.getSuppressed()).isEmpty();

    ConcurrentFuture<Integer> g1 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> g2 = new ConcurrentFuture<>();
    ConcurrentFuture<List<Integer>> oneDistinct = Futures.combine(List.of(g1, g2));
    g1.setException(shared);
    g2.setException(shared);
    assertThat(oneDistinct.exception()).isSameAs(shared); // one failure: the very exception
  }

  @Test
  void alreadyDoneInputsCompleteTheCombinedFutureAtOnce() {
    ConcurrentFuture<List<Object>> ok =
        Futures.combine(List.of(Futures.completed("a"), Futures.completed(null)));
    assertThat(ok.result()).containsExactly("a", null);
    IllegalStateException e = new IllegalStateException("x");
    ConcurrentFuture<List<Object>> bad =
        Futures.combine(List.of(Futures.completed("a"), Futures.failed(e)));
    assertThat(bad.exception()).isSameAs(e);
  }

  @Test
  void resultListIsUnmodifiableAndKeepsNulls() {
    ConcurrentFuture<String> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<String> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<List<String>> combined = Futures.combine(List.of(f1, f2));
    f2.setResult("two");
    f1.setResult(null);
    List<String> results = combined.result();
    assertThat(results).containsExactly(null, "two");
    assertThatThrownBy(() -> results.set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> results.add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aFutureListedTwiceAppearsAtBothPositions() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> g = new ConcurrentFuture<>();
    ConcurrentFuture<List<Integer>> combined = Futures.combine(List.of(f, g, f));
    f.setResult(1);
    assertThat(combined.isDone()).isFalse();
    g.setResult(2);
    assertThat(combined.result()).containsExactly(1, 2, 1);
  }

  @Test
  void cancellingTheCombinedFutureDoesNotCancelTheInputs() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<List<Integer>> combined = Futures.combine(List.of(f1, f2));
    assertThat(combined.cancel()).isTrue();
    assertThat(f1.isCancelled()).isFalse();
    assertThat(f2.isCancelled()).isFalse();
    f1.setResult(1);
    f2.setResult(2);
    assertThat(combined.isCancelled()).isTrue();
  }

  @Test
  void theListIsCopiedAtTheCall() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    List<ConcurrentFuture<Integer>> inputs = new ArrayList<>(List.of(f));
    ConcurrentFuture<List<Integer>> combined = Futures.combine(inputs);
    inputs.clear();
    f.setResult(7);
    assertThat(combined.result()).containsExactly(7);
  }

  @Test
  void nullsAreRejectedByPositionAndNothingIsRegistered() {
    ConcurrentFuture<Integer> f = pendingInt();
    assertThatThrownBy(() -> Futures.combine(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("futures must not be null");
    assertThatThrownBy(() -> Futures.combine(Arrays.asList(f, null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("futures[1] must not be null");
    assertThat(f.rawState()).isNull();
  }

  // ---------------------------------------------------------------- scale and threads

  @Test
  void inputsCompletedFromManyThreadsKeepTheirOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<ConcurrentFuture<Integer>> inputs = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        inputs.add(new ConcurrentFuture<>());
      }
      ConcurrentFuture<List<Integer>> combined = Futures.combine(inputs);
      CountDownLatch go = new CountDownLatch(1);
      for (int t = 0; t < 4; t++) {
        int first = t;
        pool.execute(
            () -> {
              try {
                go.await();
              } catch (InterruptedException e) {
                return;
              }
              for (int i = first; i < 1000; i += 4) {
                inputs.get(i).setResult(i);
              }
            });
      }
      go.countDown();
      List<Integer> results = combined.result(Duration.ofSeconds(30));
      for (int i = 0; i < 1000; i++) {
        assertThat(results.get(i)).isEqualTo(i);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  @Timeout(20)
  void manyDistinctFailuresAreAllSuppressedInLinearTime() {
    int n = 100_000;
    List<ConcurrentFuture<Integer>> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      inputs.add(new ConcurrentFuture<>());
    }
    ConcurrentFuture<List<Integer>> combined = Futures.combine(inputs);
    for (int i = 0; i < n; i++) {
      inputs.get(i).setException(new IllegalStateException("failure " + i));
    }
    Throwable all = combined.exception();
    assertThat(all.getCause()).hasMessage("failure 0");
    assertThat(all.getSuppressed()).hasSize(n - 1);
    assertThat(all.getSuppressed()[n - 2]).hasMessage("failure " + (n - 1));
  }

  @Test
  void aMillionInputsDoNotOverflowTheStack() {
    int n = 1_000_000;
    List<ConcurrentFuture<Integer>> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      inputs.add(new ConcurrentFuture<>());
    }
    ConcurrentFuture<List<Integer>> combined = Futures.combine(inputs);
    for (int i = n - 1; i >= 0; i--) {
      inputs.get(i).setResult(i);
    }
    List<Integer> results = combined.result();
    assertThat(results).hasSize(n);
    assertThat(results.get(0)).isZero();
    assertThat(results.get(n - 1)).isEqualTo(n - 1);

    List<ConcurrentFuture<Integer>> done = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      done.add(Futures.completed(i));
    }
    assertThat(Futures.combine(done).result()).hasSize(n);
  }

  @Test
  void deeplyNestedCombinesDoNotOverflowTheStack() {
    int depth = 100_000;
    ConcurrentFuture<Object> leaf = pending();
    ConcurrentFuture<?> outer = leaf;
    for (int i = 0; i < depth; i++) {
      outer = Futures.<Object>combine(List.of(outer));
    }
    leaf.setResult("leaf");
    assertThat(outer.isDone()).isTrue();
    Object value = outer.result();
    for (int i = 0; i < depth; i++) {
      assertThat(value).isInstanceOf(List.class);
      value = ((List<?>) value).get(0);
    }
    assertThat(value).isEqualTo("leaf");

    ConcurrentFuture<Object> failingLeaf = pending();
    ConcurrentFuture<?> failingOuter = failingLeaf;
    for (int i = 0; i < depth; i++) {
      failingOuter = Futures.<Object>combine(List.of(failingOuter, Futures.completed(i)));
    }
    IllegalStateException e = new IllegalStateException("deep");
    failingLeaf.setException(e);
    assertThat(failingOuter.exception()).isSameAs(e);
    assertThat(e.getSuppressed()).isEmpty();
  }

  private static ConcurrentFuture<Integer> pendingInt() {
    return new ConcurrentFuture<>();
  }
}
