package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.internal.CallbackStack;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The state machine: CPython's FutureTests for states, repr, cancel and the setters. */
@Timeout(10)
class ConcurrentFutureTest {

  // ------------------------------------------------------------ predicates per state

  @Test // CPython test_future.py: FutureTests.test_cancelled
  void isCancelledIsTrueOnlyForBothCancelledStates() {
    assertThat(TestFutures.pending().isCancelled()).isFalse();
    assertThat(TestFutures.running().isCancelled()).isFalse();
    assertThat(TestFutures.cancelled().isCancelled()).isTrue();
    assertThat(TestFutures.cancelledAndNotified().isCancelled()).isTrue();
    assertThat(TestFutures.failed(new IOException()).isCancelled()).isFalse();
    assertThat(TestFutures.succeeded(42).isCancelled()).isFalse();
  }

  @Test // CPython test_future.py: FutureTests.test_done
  void isDoneIsTrueForCancelledAndFinishedStates() {
    assertThat(TestFutures.pending().isDone()).isFalse();
    assertThat(TestFutures.running().isDone()).isFalse();
    assertThat(TestFutures.cancelled().isDone()).isTrue();
    assertThat(TestFutures.cancelledAndNotified().isDone()).isTrue();
    assertThat(TestFutures.failed(new IOException()).isDone()).isTrue();
    assertThat(TestFutures.succeeded(42).isDone()).isTrue();
  }

  @Test // CPython test_future.py: FutureTests.test_running; Hazelcast future_test.py: test_running
  void isRunningIsTrueOnlyWhileRunning() {
    assertThat(TestFutures.pending().isRunning()).isFalse();
    assertThat(TestFutures.running().isRunning()).isTrue();
    assertThat(TestFutures.cancelled().isRunning()).isFalse();
    assertThat(TestFutures.cancelledAndNotified().isRunning()).isFalse();
    assertThat(TestFutures.failed(new IOException()).isRunning()).isFalse();
    assertThat(TestFutures.succeeded(42).isRunning()).isFalse();
  }

  @Test // Hazelcast future_test.py: test_done
  void isDoneBecomesTrueWhenTheResultIsSet() {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    assertThat(f.isDone()).isFalse();
    f.setResult("done");
    assertThat(f.isDone()).isTrue();
  }

  @Test // Hazelcast future_test.py: ImmediateFutureTest /
  // ImmediateExceptionFutureTest.test_is_succcess
  void isSuccessIsTrueOnlyForAFutureFinishedWithAResult() {
    assertThat(TestFutures.pending().isSuccess()).isFalse();
    assertThat(TestFutures.running().isSuccess()).isFalse();
    assertThat(TestFutures.cancelled().isSuccess()).isFalse();
    assertThat(TestFutures.cancelledAndNotified().isSuccess()).isFalse();
    assertThat(TestFutures.failed(new IOException()).isSuccess()).isFalse();
    assertThat(TestFutures.succeeded("done").isSuccess()).isTrue();
    assertThat(TestFutures.succeeded(null).isSuccess()).isTrue();
  }

  @Test
  void futureStateNamesEveryState() {
    assertThat(TestFutures.pending().futureState()).isEqualTo(FutureState.PENDING);
    assertThat(TestFutures.running().futureState()).isEqualTo(FutureState.RUNNING);
    assertThat(TestFutures.cancelled().futureState()).isEqualTo(FutureState.CANCELLED);
    assertThat(TestFutures.cancelledAndNotified().futureState())
        .isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThat(TestFutures.failed(new IOException()).futureState()).isEqualTo(FutureState.FINISHED);
    assertThat(TestFutures.succeeded(42).futureState()).isEqualTo(FutureState.FINISHED);
  }

  @Test
  void callbacksDoNotChangeTheState() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(x -> {});
    assertThat(f.futureState()).isEqualTo(FutureState.PENDING);
    f.addDoneCallback(x -> {});
    assertThat(f.futureState()).isEqualTo(FutureState.PENDING);
    assertThat(f.setRunningOrNotifyCancel()).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.RUNNING);
    f.addDoneCallback(x -> {});
    assertThat(f.isRunning()).isTrue();
    assertThat(f.isDone()).isFalse();
  }

  // ------------------------------------------------------------ toString

  @Test // CPython test_future.py: FutureTests.test_repr
  void toStringNamesTheStateOfEachFuture() {
    String head = "ConcurrentFuture@[0-9a-f]+";
    assertThat(TestFutures.pending().toString()).matches(head + "\\[PENDING]");
    assertThat(TestFutures.running().toString()).matches(head + "\\[RUNNING]");
    assertThat(TestFutures.cancelled().toString()).matches(head + "\\[CANCELLED]");
    assertThat(TestFutures.cancelledAndNotified().toString())
        .matches(head + "\\[CANCELLED_AND_NOTIFIED]");
    assertThat(TestFutures.failed(new IOException("secret")).toString())
        .matches(head + "\\[FINISHED raised java.io.IOException]");
    assertThat(TestFutures.succeeded(42).toString()).matches(head + "\\[FINISHED returned 42]");
    assertThat(TestFutures.succeeded(null).toString()).matches(head + "\\[FINISHED returned null]");
  }

  @Test
  void toStringShowsJdkValueTypesByValueAndEverythingElseByIdentity() {
    assertThat(TestFutures.succeeded("done").toString()).endsWith("[FINISHED returned \"done\"]");
    assertThat(TestFutures.succeeded(TimeUnit.SECONDS).toString())
        .endsWith("[FINISHED returned java.util.concurrent.TimeUnit.SECONDS]");
    Object order = new ArrayList<>(List.of("secret"));
    assertThat(TestFutures.succeeded(order).toString())
        .endsWith(
            "[FINISHED returned java.util.ArrayList@"
                + Integer.toHexString(System.identityHashCode(order))
                + "]");
  }

  @Test // CPython test_future.py: FutureTests.test_repr (the result's own repr is not used)
  void toStringNeverCallsTheResultsToStringOrHashCode() {
    AtomicInteger calls = new AtomicInteger();
    Object result =
        new Object() {
          @Override
          public String toString() {
            calls.incrementAndGet();
            throw new AssertionError("toString called");
          }

          @Override
          public int hashCode() {
            calls.incrementAndGet();
            throw new AssertionError("hashCode called");
          }
        };
    ConcurrentFuture<Object> f = TestFutures.succeeded(result);
    assertThat(f.toString())
        .endsWith(
            "[FINISHED returned "
                + result.getClass().getName()
                + "@"
                + Integer.toHexString(System.identityHashCode(result))
                + "]");
    assertThat(calls).hasValue(0);
  }

  @Test
  void toStringOfAFutureWhoseResultIsACallbackShowsTheResult() {
    Consumer<Object> value = x -> {};
    ConcurrentFuture<Consumer<Object>> f = TestFutures.succeeded(value);
    assertThat(f.toString()).contains("FINISHED returned " + value.getClass().getName() + "@");
  }

  @Test
  void toStringOfASubclassUsesItsName() {
    class Special<V> extends ConcurrentFuture<V> {}
    assertThat(new Special<String>().toString()).matches("Special@[0-9a-f]+\\[PENDING]");
  }

  // ------------------------------------------------------------ cancel()

  @Test // CPython test_future.py: FutureTests.test_cancel
  void cancelSucceedsOnlyWhenPendingOrAlreadyCancelled() {
    ConcurrentFuture<Integer> f1 = TestFutures.pending();
    ConcurrentFuture<Integer> f2 = TestFutures.running();
    ConcurrentFuture<Integer> f3 = TestFutures.cancelled();
    ConcurrentFuture<Integer> f4 = TestFutures.cancelledAndNotified();
    ConcurrentFuture<Integer> f5 = TestFutures.failed(new IOException());
    ConcurrentFuture<Integer> f6 = TestFutures.succeeded(5);

    assertThat(f1.cancel()).isTrue();
    assertThat(f1.futureState()).isEqualTo(FutureState.CANCELLED);
    assertThat(f2.cancel()).isFalse();
    assertThat(f2.futureState()).isEqualTo(FutureState.RUNNING);
    assertThat(f3.cancel()).isTrue();
    assertThat(f3.futureState()).isEqualTo(FutureState.CANCELLED);
    assertThat(f4.cancel()).isTrue();
    assertThat(f4.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThat(f5.cancel()).isFalse();
    assertThat(f5.futureState()).isEqualTo(FutureState.FINISHED);
    assertThat(f6.cancel()).isFalse();
    assertThat(f6.futureState()).isEqualTo(FutureState.FINISHED);
    assertThat(f6.result()).isEqualTo(5);
  }

  @Test
  void cancelWithMessageKeepsTheFirstMessage() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThat(f.cancel("first")).isTrue();
    assertThat(f.cancel("second")).isTrue();
    assertThat(f.cancel()).isTrue();
    assertThatThrownBy(f::result).hasMessage("first");
  }

  @Test
  void cancelWithMessageFailsOnceRunning() {
    ConcurrentFuture<Integer> f = TestFutures.running();
    assertThat(f.cancel("too late")).isFalse();
    assertThat(f.isRunning()).isTrue();
    f.setResult(1);
    assertThat(f.result()).isEqualTo(1);
  }

  // ------------------------------------------------------------ setResult / setException

  @Test // CPython test_future.py: FutureTests.test_multiple_set_result
  void setResultOnAFinishedFutureThrowsAndKeepsTheFirstResult() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.setResult(1);
    assertThatThrownBy(() -> f.setResult(2))
        .isInstanceOf(InvalidStateException.class)
        .hasMessageMatching("FINISHED: ConcurrentFuture@[0-9a-f]+\\[FINISHED returned 1]");
    assertThat(f.isDone()).isTrue();
    assertThat(f.result()).isEqualTo(1);
  }

  @Test // CPython test_future.py: FutureTests.test_multiple_set_exception
  void setExceptionOnAFailedFutureThrowsAndKeepsTheFirstException() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    IllegalArgumentException e = new IllegalArgumentException();
    f.setException(e);
    assertThatThrownBy(() -> f.setException(new RuntimeException()))
        .isInstanceOf(InvalidStateException.class)
        .hasMessageMatching(
            "FINISHED: ConcurrentFuture@[0-9a-f]+\\[FINISHED raised"
                + " java.lang.IllegalArgumentException]");
    assertThat(f.exception()).isSameAs(e);
  }

  @Test
  void settersOnACancelledFutureThrowAndLeaveItCancelled() {
    ConcurrentFuture<Integer> f = TestFutures.cancelled();
    assertThatThrownBy(() -> f.setResult(1))
        .isInstanceOf(InvalidStateException.class)
        .hasMessageStartingWith("CANCELLED: ");
    assertThatThrownBy(() -> f.setException(new RuntimeException()))
        .isInstanceOf(InvalidStateException.class);
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED);
    ConcurrentFuture<Integer> g = TestFutures.cancelledAndNotified();
    assertThatThrownBy(() -> g.setResult(1))
        .isInstanceOf(InvalidStateException.class)
        .hasMessageStartingWith("CANCELLED_AND_NOTIFIED: ");
    assertThat(g.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  void trySettersReturnFalseOnceDoneAndChangeNothing() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThat(f.trySetResult(1)).isTrue();
    assertThat(f.trySetResult(2)).isFalse();
    assertThat(f.trySetException(new RuntimeException())).isFalse();
    assertThat(f.result()).isEqualTo(1);
    ConcurrentFuture<Integer> g = TestFutures.cancelled();
    assertThat(g.trySetResult(2)).isFalse();
    assertThat(g.trySetException(new RuntimeException())).isFalse();
    assertThat(g.futureState()).isEqualTo(FutureState.CANCELLED);
  }

  @Test // Hazelcast future_test.py: test_set_exception_with_non_exception
  void setExceptionRejectsNullAndLeavesTheFuturePending() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThatThrownBy(() -> f.setException(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("exception must not be null");
    assertThatThrownBy(() -> f.trySetException(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("exception must not be null");
    assertThat(f.futureState()).isEqualTo(FutureState.PENDING);
  }

  @Test
  void setResultAndSetExceptionWorkFromRunning() {
    ConcurrentFuture<Integer> f = TestFutures.running();
    f.setResult(3);
    assertThat(f.futureState()).isEqualTo(FutureState.FINISHED);
    ConcurrentFuture<Integer> g = TestFutures.running();
    IllegalStateException e = new IllegalStateException();
    g.setException(e);
    assertThat(g.exception()).isSameAs(e);
  }

  // ------------------------------------------------------------ setRunningOrNotifyCancel

  @Test
  void setRunningOrNotifyCancelMovesPendingToRunning() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThat(f.setRunningOrNotifyCancel()).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.RUNNING);
  }

  @Test
  void setRunningOrNotifyCancelMovesCancelledToCancelledAndNotified() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.cancel("stop");
    assertThat(f.setRunningOrNotifyCancel()).isFalse();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThatThrownBy(f::result).hasMessage("stop");
  }

  @Test
  void setRunningOrNotifyCancelRejectsRunningFinishedAndNotifiedFutures() {
    ConcurrentFuture<Integer> running = TestFutures.running();
    assertThatThrownBy(running::setRunningOrNotifyCancel)
        .isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("unexpected state: RUNNING");
    assertThat(running.futureState()).isEqualTo(FutureState.RUNNING);

    ConcurrentFuture<Integer> finished = TestFutures.succeeded(1);
    assertThatThrownBy(finished::setRunningOrNotifyCancel)
        .isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("unexpected state: FINISHED");
    assertThat(finished.result()).isEqualTo(1);

    ConcurrentFuture<Integer> notified = TestFutures.cancelledAndNotified();
    assertThatThrownBy(notified::setRunningOrNotifyCancel)
        .isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("unexpected state: CANCELLED_AND_NOTIFIED");
    assertThat(notified.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  void setRunningOrNotifyCancelKeepsCallbacksRegisteredBefore() {
    AtomicInteger calls = new AtomicInteger();
    ConcurrentFuture<Integer> one = new ConcurrentFuture<>();
    one.addDoneCallback(x -> calls.incrementAndGet());
    one.setRunningOrNotifyCancel();
    ConcurrentFuture<Integer> two = new ConcurrentFuture<>();
    two.addDoneCallback(x -> calls.incrementAndGet());
    two.addDoneCallback(x -> calls.incrementAndGet());
    two.setRunningOrNotifyCancel();
    assertThat(calls).hasValue(0);
    one.setResult(1);
    two.setResult(2);
    assertThat(calls).hasValue(3);
  }

  @Test
  void removingTheOnlyCallbackOfARunningFutureKeepsItRunning() {
    Consumer<ConcurrentFuture<Integer>> cb = x -> {};
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(cb);
    f.setRunningOrNotifyCancel();
    assertThat(f.removeDoneCallback(cb)).isEqualTo(1);
    assertThat(f.futureState()).isEqualTo(FutureState.RUNNING);
    assertThat(f.cancel()).isFalse();
    f.setResult(1);
    assertThat(f.result()).isEqualTo(1);
  }

  @Test
  void startingAFutureWithALoneCallbackKeepsCallbackAndRunningBitInOneNode() {
    Consumer<ConcurrentFuture<Integer>> cb = x -> {};
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(cb);
    f.setRunningOrNotifyCancel();
    CallbackStack head = (CallbackStack) f.rawState();
    assertThat(head.callback).isSameAs(cb);
    assertThat(head.running).isTrue();
    assertThat(head.next).isNull();
    assertThat(f.removeDoneCallback(cb)).isEqualTo(1);
    assertThat(f.rawState()).isSameAs(CallbackStack.RUNNING);
  }

  @Test
  void aCallbackAddedAfterTheLoneOneIsStartedRunsSecondAndTheFutureStaysRunning() {
    List<String> order = new ArrayList<>();
    Consumer<ConcurrentFuture<Integer>> first = x -> order.add("first");
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(first);
    f.setRunningOrNotifyCancel();
    f.addDoneCallback(x -> order.add("second"));
    assertThat(f.removeDoneCallback(first)).isEqualTo(1);
    assertThat(f.isRunning()).isTrue();
    f.addDoneCallback(x -> order.add("third"));
    f.setResult(1);
    assertThat(order).containsExactly("second", "third");
  }

  @Test
  void removingEveryCallbackOfARunningFutureKeepsItRunning() {
    Consumer<ConcurrentFuture<Integer>> a = x -> {};
    Consumer<ConcurrentFuture<Integer>> b = x -> {};
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(a);
    f.setRunningOrNotifyCancel();
    f.addDoneCallback(b);
    assertThat(f.removeDoneCallback(a)).isEqualTo(1);
    assertThat(f.isRunning()).isTrue();
    assertThat(f.removeDoneCallback(b)).isEqualTo(1);
    assertThat(f.isRunning()).isTrue();
    assertThat(f.cancel()).isFalse();
  }
}
