package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** continueWith and continueWithFuture: Hazelcast's continue_with. */
@Timeout(60)
class ContinuationTest {

  @Test // Hazelcast future_test.py: test_continue_with_on_success
  void continueWithOnSuccessGetsTheFinishedFuture() {
    ConcurrentFuture<Integer> f = TestFutures.succeeded(1);
    assertThat(f.continueWith(x -> x.result() + 1).result()).isEqualTo(2);
  }

  @Test // Hazelcast future_test.py: test_continue_with_on_failure
  void continueWithOnFailureGetsTheFinishedFutureToo() {
    ConcurrentFuture<Integer> f = TestFutures.failed(new RuntimeException("error"));
    assertThat(f.continueWith(x -> x.isSuccess() ? 0 : 1).result()).isEqualTo(1);
  }

  @Test
  void continueWithOnCancellationGetsTheCancelledFuture() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    ConcurrentFuture<Boolean> next = f.continueWith(ConcurrentFuture::isCancelled);
    f.cancel();
    assertThat(next.result()).isTrue();
  }

  @Test
  void continueWithRunsOnTheCompletingThreadOnceTheSourceIsDone() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    ConcurrentFuture<Integer> next =
        f.continueWith(
            x -> {
              ranOn.set(Thread.currentThread());
              return x.result() * 10;
            });
    assertThat(next.isDone()).isFalse();
    Thread completer = new Thread(() -> f.setResult(4));
    completer.start();
    assertThat(next.result()).isEqualTo(40);
    completer.join(5_000);
    assertThat(ranOn).hasValue(completer);
  }

  @Test // Hazelcast future_test.py: test_continue_with_throws_exception
  void anExceptionThrownByTheContinuationFailsTheNextFuture() {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    RuntimeException e = new RuntimeException("error");
    ConcurrentFuture<String> n =
        f.continueWith(
            x -> {
              throw e;
            });
    f.setResult("done");
    assertThat(n.isSuccess()).isFalse();
    assertThat(n.exception()).isSameAs(e);
  }

  @Test
  void aContinuationMayRethrowTheSourcesException() {
    IOException e = new IOException("io");
    ConcurrentFuture<String> n =
        TestFutures.<String>failed(e).continueWith(ConcurrentFuture::result);
    assertThat(n.exception()).isExactlyInstanceOf(java.util.concurrent.CompletionException.class);
    assertThat(n.exception().getCause()).isSameAs(e);
  }

  @Test
  void continueWithMayReturnNull() {
    ConcurrentFuture<Object> n = TestFutures.succeeded(1).continueWith(x -> null);
    assertThat(n.isSuccess()).isTrue();
    assertThat(n.result()).isNull();
  }

  @Test
  void continueWithDoesNotFlattenAReturnedFuture() {
    ConcurrentFuture<Integer> inner = TestFutures.succeeded(1);
    ConcurrentFuture<ConcurrentFuture<Integer>> n =
        TestFutures.succeeded(0).continueWith(x -> inner);
    assertThat(n.result()).isSameAs(inner);
  }

  @Test
  void continuationsRunInRegistrationOrderWithOtherCallbacks() {
    List<String> order = new ArrayList<>();
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(x -> order.add("callback 1"));
    f.continueWith(x -> order.add("continuation"));
    f.addDoneCallback(x -> order.add("callback 2"));
    f.setResult(1);
    assertThat(order).containsExactly("callback 1", "continuation", "callback 2");
  }

  @Test
  void nullFunctionsAreRejected() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThatThrownBy(() -> f.continueWith(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fn must not be null");
    assertThatThrownBy(() -> f.continueWithFuture(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fn must not be null");
    assertThat(f.rawState()).isNull();
  }

  // ------------------------------------------------------------ flattening

  @Test // Hazelcast future_test.py: test_continue_with_with_resolved_future
  void continueWithFutureTakesTheResultOfTheReturnedFuture() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f3 = f1.continueWithFuture(x -> f2);
    f1.setResult(0);
    assertThat(f3.isDone()).isFalse();
    f2.setResult(1);
    assertThat(f3.result()).isEqualTo(1);
  }

  @Test // Hazelcast future_test.py: test_continue_with_with_rejected_future
  void continueWithFutureTakesTheExceptionOfTheReturnedFuture() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f3 = f1.continueWithFuture(x -> f2);
    f1.setResult(0);
    RuntimeException e = new RuntimeException("error");
    f2.setException(e);
    assertThat(catchThrowable(f3::result)).isSameAs(e);
  }

  @Test // Hazelcast future_test.py: test_continue_with_future_returning_future
  void aReturnedFutureWhoseResultIsAFutureIsFlattenedOneLevelPerContinueWithFuture() {
    // Hazelcast flattens nested futures recursively; in Java the result type says how deep, so
    // continueWithFuture unwraps the returned future, and a second stage unwraps its result.
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    ConcurrentFuture<ConcurrentFuture<Integer>> f2 = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> f3 = new ConcurrentFuture<>();
    ConcurrentFuture<ConcurrentFuture<Integer>> f4 = f1.continueWithFuture(x -> f2);
    ConcurrentFuture<Integer> f5 = f4.continueWithFuture(ConcurrentFuture::result);
    f1.setResult(0);
    f2.setResult(f3);
    f3.setResult(1);
    assertThat(f4.result()).isSameAs(f3);
    assertThat(f5.result()).isEqualTo(1);
  }

  @Test
  void continueWithFutureTakesTheCancellationOfTheReturnedFuture() {
    ConcurrentFuture<Integer> inner = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> n = TestFutures.succeeded(0).continueWithFuture(x -> inner);
    inner.cancel("inner gave up");
    assertThat(n.isCancelled()).isTrue();
    assertThatThrownBy(n::result)
        .isInstanceOf(CancellationException.class)
        .hasMessage("inner gave up");
  }

  @Test
  void continueWithFutureFollowsACompletableFuture() {
    CompletableFuture<String> inner = new CompletableFuture<>();
    ConcurrentFuture<String> n = TestFutures.succeeded(0).continueWithFuture(x -> inner);
    assertThat(n.isDone()).isFalse();
    inner.complete("cf");
    assertThat(n.result()).isEqualTo("cf");
    CompletableFuture<String> failing = new CompletableFuture<>();
    ConcurrentFuture<String> m = TestFutures.succeeded(0).continueWithFuture(x -> failing);
    IOException e = new IOException();
    failing.completeExceptionally(e);
    assertThat(m.exception()).isSameAs(e);
  }

  @Test
  void continueWithFutureFollowsAPlainFutureTask() throws Exception {
    FutureTask<String> task = new FutureTask<>(() -> "task");
    ConcurrentFuture<String> n = TestFutures.succeeded(0).continueWithFuture(x -> task);
    assertThat(n.isDone()).isFalse();
    new Thread(task).start();
    assertThat(n.result(java.time.Duration.ofSeconds(20))).isEqualTo("task");
  }

  @Test
  void continueWithFutureFailsTheNextFutureWhenFnReturnsNull() {
    ConcurrentFuture<Integer> n = TestFutures.succeeded(0).continueWithFuture(x -> null);
    assertThat(n.exception())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("returned null");
  }

  @Test
  void continueWithFutureFailsTheNextFutureWhenFnThrows() {
    IllegalStateException e = new IllegalStateException();
    ConcurrentFuture<Integer> n =
        TestFutures.succeeded(0)
            .<Integer>continueWithFuture(
                x -> {
                  throw e;
                });
    assertThat(n.exception()).isSameAs(e);
  }

  // ------------------------------------------------------------ cancellation

  @Test
  void cancellingTheContinuationDoesNotCancelTheSourceAndSkipsFn() {
    ConcurrentFuture<Integer> source = new ConcurrentFuture<>();
    AtomicInteger calls = new AtomicInteger();
    ConcurrentFuture<Integer> next = source.continueWith(x -> calls.incrementAndGet());
    assertThat(next.cancel()).isTrue();
    assertThat(source.isCancelled()).isFalse();
    assertThat(source.isDone()).isFalse();
    source.setResult(1);
    assertThat(calls).hasValue(0);
    assertThat(next.isCancelled()).isTrue();
    assertThat(source.result()).isEqualTo(1);
  }

  @Test
  void cancellingAFlatteningContinuationSkipsFnToo() {
    ConcurrentFuture<Integer> source = new ConcurrentFuture<>();
    AtomicInteger calls = new AtomicInteger();
    ConcurrentFuture<Integer> next =
        source.continueWithFuture(
            x -> {
              calls.incrementAndGet();
              return new ConcurrentFuture<Integer>();
            });
    next.cancel();
    source.setResult(1);
    assertThat(calls).hasValue(0);
  }

  @Test
  void cancellingAFlatteningContinuationCancelsTheInnerFuture() {
    ConcurrentFuture<Integer> source = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> inner = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> next = source.continueWithFuture(x -> inner);
    source.setResult(1);
    assertThat(next.cancel()).isTrue();
    assertThat(inner.isCancelled()).isTrue();
    assertThat(source.result()).isEqualTo(1);
  }

  @Test
  void cancellingAFlatteningContinuationCancelsAnInnerCompletableFutureAndFutureTask() {
    CompletableFuture<Integer> cf = new CompletableFuture<>();
    ConcurrentFuture<Integer> n1 = TestFutures.succeeded(0).continueWithFuture(x -> cf);
    n1.cancel();
    assertThat(cf.isCancelled()).isTrue();
    FutureTask<Integer> task = new FutureTask<>(() -> 1);
    ConcurrentFuture<Integer> n2 = TestFutures.succeeded(0).continueWithFuture(x -> task);
    n2.cancel();
    assertThat(task.isCancelled()).isTrue();
  }

  @Test
  void cancellingAFlatteningContinuationCancelsARunningInnerFuture() {
    ConcurrentFuture<Integer> inner = TestFutures.running();
    ConcurrentFuture<Integer> n = TestFutures.succeeded(0).continueWithFuture(x -> inner);
    n.cancel();
    assertThat(inner.isCancelled()).isTrue();
  }

  // ------------------------------------------------------------ deep chains

  private static final int STAGES = 1_000_000;

  /** Runs {@code body} on a thread with the JVM's default stack size. */
  private static void onDefaultStack(Runnable body) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    t.start();
    t.join(50_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(failure.get()).isNull();
  }

  @Test
  void aMillionStageContinueWithChainCompletesWithoutStackOverflow() throws Exception {
    onDefaultStack(
        () -> {
          ConcurrentFuture<Integer> root = new ConcurrentFuture<>();
          ConcurrentFuture<Integer> last = root;
          for (int i = 0; i < STAGES; i++) {
            last = last.continueWith(x -> x.result() + 1);
          }
          try (LogCapture log = LogCapture.start()) {
            root.setResult(0);
            // no callback failed on this thread (other threads: the Cleaner's reports of earlier
            // tests' futures, made when this test's million allocations start a collection)
            assertThat(log.loggedBy(Thread.currentThread())).isEmpty();
          }
          assertThat(last.result()).isEqualTo(STAGES);
        });
  }

  @Test
  void aMillionStageContinueWithFutureChainCompletesWithoutStackOverflow() throws Exception {
    onDefaultStack(
        () -> {
          ConcurrentFuture<Integer> root = new ConcurrentFuture<>();
          ConcurrentFuture<Integer> last = root;
          for (int i = 0; i < STAGES; i++) {
            last = last.continueWithFuture(x -> TestFutures.succeeded(x.result() + 1));
          }
          root.setResult(0);
          assertThat(last.result()).isEqualTo(STAGES);
        });
  }

  @Test
  void aMillionNestedFollowersCompleteWithoutStackOverflow() throws Exception {
    onDefaultStack(
        () -> {
          // each stage follows the previous one's returned future: completing the innermost
          // completes a million flattening continuations, innermost first
          ConcurrentFuture<Integer> leaf = new ConcurrentFuture<>();
          ConcurrentFuture<Integer> done = TestFutures.succeeded(0);
          ConcurrentFuture<Integer> last = leaf;
          for (int i = 0; i < STAGES; i++) {
            ConcurrentFuture<Integer> inner = last;
            last = done.continueWithFuture(x -> inner);
          }
          leaf.setResult(7);
          assertThat(last.result()).isEqualTo(7);
        });
  }

  @Test
  void aFailureTravelsDownAMillionStageChain() throws Exception {
    onDefaultStack(
        () -> {
          ConcurrentFuture<Integer> root = new ConcurrentFuture<>();
          ConcurrentFuture<Integer> last = root;
          for (int i = 0; i < STAGES; i++) {
            last = last.continueWith(ConcurrentFuture::result);
          }
          IllegalStateException e = new IllegalStateException("deep");
          root.setException(e);
          assertThat(last.exception()).isSameAs(e);
        });
  }
}
