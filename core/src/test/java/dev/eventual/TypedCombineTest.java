package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TypedCombineTest {

  @Test // Hazelcast future_test.py: CombineFutureTest.test_combining, with types kept
  void combinesTwoFuturesOfDifferentTypes() {
    ConcurrentFuture<String> name = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> age = new ConcurrentFuture<>();
    ConcurrentFuture<String> line = Futures.combine(name, age, (n, a) -> n + " is " + (a + 1));
    age.setResult(41);
    assertThat(line.isDone()).isFalse();
    name.setResult("Ada");
    assertThat(line.result()).isEqualTo("Ada is 42");
  }

  @Test
  void combinesThreeFuturesOfDifferentTypes() {
    ConcurrentFuture<String> a = Futures.completed("x");
    ConcurrentFuture<Integer> b = Futures.completed(3);
    ConcurrentFuture<Character> c = new ConcurrentFuture<>();
    ConcurrentFuture<String> r = Futures.combine(a, b, c, (s, n, ch) -> s.repeat(n) + ch);
    c.setResult('!');
    assertThat(r.result()).isEqualTo("xxx!");
  }

  @Test
  void nullResultsArePassedToTheFunction() {
    ConcurrentFuture<String> r =
        Futures.combine(
            Futures.<String>completed(null), Futures.<Long>completed(null), (x, y) -> x + "/" + y);
    assertThat(r.result()).isEqualTo("null/null");
  }

  @Test // Hazelcast future_test.py: CombineFutureTest.test_exceptional_result
  void failsWithTheFirstFailureInCompletionOrderAndWaitsForEveryInput() {
    ConcurrentFuture<String> a = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> b = new ConcurrentFuture<>();
    ConcurrentFuture<Boolean> c = new ConcurrentFuture<>();
    AtomicInteger calls = new AtomicInteger();
    ConcurrentFuture<String> r =
        Futures.combine(
            a,
            b,
            c,
            (x, y, z) -> {
              calls.incrementAndGet();
              return "never";
            });
    IllegalStateException first = new IllegalStateException("first");
    IllegalArgumentException second = new IllegalArgumentException("second");
    b.setException(first);
    assertThat(r.isDone()).as("combine waits for every input").isFalse();
    a.setException(second);
    assertThat(r.isDone()).isFalse();
    c.setResult(true);
    // two distinct failures: a new CombinedException carries both; the inputs' own are unchanged
    assertThat(r.exception()).isInstanceOf(CombinedException.class).hasCause(first);
    assertThat(r.exception().getSuppressed()).containsExactly(second);
    assertThat(first.getSuppressed()).isEmpty();
    assertThat(calls).hasValue(0);
  }

  @Test
  void aFirstCancelledInputCancelsTheResultWithItsMessage() {
    ConcurrentFuture<String> a = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> b = new ConcurrentFuture<>();
    ConcurrentFuture<String> r = Futures.combine(a, b, (x, y) -> x + y);
    a.cancel("no longer needed");
    b.setResult(1);
    assertThat(r.isCancelled()).isTrue();
    assertThatThrownBy(r::result)
        .isInstanceOf(CancellationException.class)
        .hasMessage("no longer needed");
  }

  @Test
  void whatTheFunctionThrowsBecomesTheException() {
    IllegalStateException boom = new IllegalStateException("boom");
    ConcurrentFuture<Object> r =
        Futures.combine(
            Futures.completed(1),
            Futures.completed(2),
            (x, y) -> {
              throw boom;
            });
    assertThat(r.exception()).isSameAs(boom);
  }

  @Test
  void cancellingTheResultSkipsTheFunctionAndLeavesTheInputsAlone() {
    ConcurrentFuture<String> a = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> b = new ConcurrentFuture<>();
    AtomicInteger calls = new AtomicInteger();
    ConcurrentFuture<String> r =
        Futures.combine(
            a,
            b,
            (x, y) -> {
              calls.incrementAndGet();
              return x + y;
            });
    assertThat(r.cancel()).isTrue();
    assertThat(a.isCancelled()).isFalse();
    a.setResult("a");
    b.setResult(1);
    assertThat(calls).hasValue(0);
  }

  @Test
  void nullArgumentsAreRejectedByNameBeforeAnythingIsRegistered() {
    ConcurrentFuture<String> a = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> b = new ConcurrentFuture<>();
    assertThatThrownBy(() -> Futures.combine(null, b, (x, y) -> x))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("a must not be null");
    assertThatThrownBy(() -> Futures.combine(a, null, (x, y) -> x))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("b must not be null");
    assertThatThrownBy(() -> Futures.combine(a, b, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fn must not be null");
    assertThatThrownBy(() -> Futures.combine(a, b, null, (x, y, z) -> x))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("c must not be null");
    assertThatThrownBy(() -> Futures.combine(a, b, a, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fn must not be null");
    assertThat(a.rawState()).isNull();
    assertThat(b.rawState()).isNull();
  }

  @Test
  void aHeterogeneousListCombinesWithoutACast() {
    ConcurrentFuture<String> s = Futures.completed("s");
    ConcurrentFuture<Integer> i = Futures.completed(1);
    List<ConcurrentFuture<?>> mixed = List.of(s, i);
    ConcurrentFuture<List<Object>> fromWildcards = Futures.combine(mixed);
    ConcurrentFuture<List<Object>> fromListOf = Futures.combine(List.of(s, i));
    List<? extends ConcurrentFuture<?>> bounded = mixed;
    ConcurrentFuture<List<Object>> fromBounded = Futures.combine(bounded);
    assertThat(fromWildcards.result()).containsExactly("s", 1);
    assertThat(fromListOf.result()).containsExactly("s", 1);
    assertThat(fromBounded.result()).containsExactly("s", 1);
  }

  @Test
  void theListCombineStillAcceptsALambdaFreeCallAndTheTypedOnesAreNotAmbiguous() {
    // one argument: the list combine; three and four: the typed ones, lambdas with inferred types
    ConcurrentFuture<List<Integer>> list = Futures.combine(List.of(Futures.completed(1)));
    ConcurrentFuture<Integer> two =
        Futures.combine(Futures.completed(1), Futures.completed(2), Integer::sum);
    ConcurrentFuture<Integer> three =
        Futures.combine(
            Futures.completed(1),
            Futures.completed(2),
            Futures.completed(3),
            (x, y, z) -> x + y + z);
    assertThat(list.result()).containsExactly(1);
    assertThat(two.result()).isEqualTo(3);
    assertThat(three.result()).isEqualTo(6);
  }
}
