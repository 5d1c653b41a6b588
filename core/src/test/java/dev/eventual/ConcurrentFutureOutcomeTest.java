package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eventual.internal.CallbackStack;
import dev.eventual.internal.Failure;
import dev.eventual.internal.Outcome;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What result(), exception(), get() and the JDK 19+ methods report for each outcome. */
@Timeout(10)
class ConcurrentFutureOutcomeTest {

  // ------------------------------------------------------------ results

  @Test // Hazelcast future_test.py: ImmediateFutureTest.test_result / test_exception /
  // test_traceback
  void aSuccessfulFutureReportsItsResultAndNoException() throws Exception {
    ConcurrentFuture<String> f = TestFutures.succeeded("done");
    assertThat(f.result()).isEqualTo("done");
    assertThat(f.result(Duration.ZERO)).isEqualTo("done");
    assertThat(f.get()).isEqualTo("done");
    assertThat(f.get(0, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(f.resultNow()).isEqualTo("done");
    assertThat(f.exception()).isNull();
    assertThat(f.exception(Duration.ZERO)).isNull();
    assertThat(f.traceback()).isNull();
  }

  @Test
  void theResultIsReturnedAsTheVerySameObject() {
    Object value = new Object();
    assertThat(TestFutures.succeeded(value).result()).isSameAs(value);
  }

  @Test
  void nullIsAValidResult() throws Exception {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    f.setResult(null);
    assertThat(f.isDone()).isTrue();
    assertThat(f.isSuccess()).isTrue();
    assertThat(f.result()).isNull();
    assertThat(f.get()).isNull();
    assertThat(f.resultNow()).isNull();
    assertThat(f.exception()).isNull();
    assertThatThrownBy(() -> f.setResult("later")).isInstanceOf(InvalidStateException.class);
  }

  @Test
  void aResultThatIsACallbackIsAResultNotACallback() {
    Consumer<String> value = s -> {};
    ConcurrentFuture<Consumer<String>> f = new ConcurrentFuture<>();
    f.setResult(value);
    assertThat(f.isDone()).isTrue();
    assertThat(f.result()).isSameAs(value);
    assertThat(f.removeDoneCallback(x -> {})).isZero();
  }

  /** A plain record: the result class of CreateCompleteBenchmark's record scenario. */
  private record Point(int x, int y) {}

  /** A record that is also a callback type: stored boxed, still a result. */
  private record ConsumerPoint(int x) implements Consumer<Object> {
    @Override
    public void accept(Object o) {}
  }

  @Test
  void aRecordResultIsDoneAndReturnedAsTheSameObject() throws Exception {
    Point p = new Point(1, 2);
    ConcurrentFuture<Point> f = new ConcurrentFuture<>();
    assertThat(f.isDone()).isFalse();
    f.setResult(p);
    assertThat(f.isDone()).isTrue();
    assertThat(f.isSuccess()).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.FINISHED);
    assertThat(f.result()).isSameAs(p);
    assertThat(f.get()).isSameAs(p);
    assertThat(f.rawState()).isSameAs(p); // stored raw: no box
    assertThatThrownBy(() -> f.setResult(new Point(3, 4)))
        .isInstanceOf(InvalidStateException.class);
  }

  @Test
  void aRecordThatIsAConsumerIsAResultWhetherItIsACallbackOrAValue() {
    ConsumerPoint asCallback = new ConsumerPoint(1);
    ConcurrentFuture<Object> pending = new ConcurrentFuture<>();
    pending.addDoneCallback(asCallback);
    assertThat(pending.isDone()).isFalse();
    assertThat(pending.futureState()).isEqualTo(FutureState.PENDING);

    ConsumerPoint asValue = new ConsumerPoint(2);
    ConcurrentFuture<ConsumerPoint> done = new ConcurrentFuture<>();
    done.setResult(asValue);
    assertThat(done.isDone()).isTrue();
    assertThat(done.result()).isSameAs(asValue);
    assertThat(done.rawState()).isNotSameAs(asValue); // boxed: it could be a lone callback
  }

  @Test
  void aResultThatLooksLikeAnInternalStateIsStillAResult() {
    // On the class path anyone can reach the internal classes; a result must never be taken
    // for a state of the future.
    Object[] odd = {
      new Failure(new IllegalStateException("not thrown")),
      new CallbackStack(null, null, true),
      CallbackStack.RUNNING,
      new Outcome.Cancelled("not cancelled", null, true),
      new Outcome.Boxed("inner"),
    };
    for (Object value : odd) {
      ConcurrentFuture<Object> f = new ConcurrentFuture<>();
      f.setResult(value);
      assertThat(f.futureState()).as("%s", value.getClass()).isEqualTo(FutureState.FINISHED);
      assertThat(f.isSuccess()).isTrue();
      assertThat(f.result()).isSameAs(value);
      assertThat(f.exception()).isNull();
    }
  }

  // ------------------------------------------------------------ exceptions: the rule

  @Test // CPython test_future.py: FutureTests.test_exception_with_timeout (finished cases)
  void exceptionReturnsTheVeryThrowableThatWasSet() throws Exception {
    IOException checked = new IOException("io");
    assertThat(TestFutures.failed(checked).exception()).isSameAs(checked);
    assertThat(TestFutures.failed(checked).exception(Duration.ZERO)).isSameAs(checked);
    assertThat(TestFutures.failed(checked).exceptionNow()).isSameAs(checked);
    Error error = new AssertionError("err");
    assertThat(TestFutures.failed(error).exception()).isSameAs(error);
  }

  @Test // CPython test_future.py: FutureTests.test_result_with_timeout (EXCEPTION_FUTURE)
  void resultRethrowsAnUncheckedExceptionAsTheSameObject() {
    IllegalArgumentException e = new IllegalArgumentException("bad");
    ConcurrentFuture<Integer> f = TestFutures.failed(e);
    assertThat(catchThrowable(f::result)).isSameAs(e);
    assertThat(catchThrowable(() -> f.result(Duration.ofSeconds(1)))).isSameAs(e);
  }

  @Test
  void resultRethrowsAnErrorAsTheSameObject() {
    StackOverflowError e = new StackOverflowError();
    assertThat(catchThrowable(TestFutures.failed(e)::result)).isSameAs(e);
  }

  @Test
  void resultWrapsACheckedExceptionExactlyOnceInCompletionException() {
    IOException e = new IOException("io");
    Throwable thrown = catchThrowable(TestFutures.failed(e)::result);
    assertThat(thrown).isExactlyInstanceOf(CompletionException.class);
    assertThat(thrown.getCause()).isSameAs(e);
  }

  @Test
  void resultRethrowsACompletionExceptionThatWasSetAsItIs() {
    // A CompletionException is unchecked: it comes back as the same object, not wrapped again.
    CompletionException e = new CompletionException(new IOException());
    assertThat(catchThrowable(TestFutures.failed(e)::result)).isSameAs(e);
  }

  @Test
  void getWrapsEveryExceptionInExecutionException() {
    for (Throwable e :
        new Throwable[] {new IOException(), new IllegalStateException(), new AssertionError()}) {
      Throwable thrown = catchThrowable(TestFutures.failed(e)::get);
      assertThat(thrown).isExactlyInstanceOf(ExecutionException.class);
      assertThat(thrown.getCause()).isSameAs(e);
      Throwable timed = catchThrowable(() -> TestFutures.failed(e).get(1, TimeUnit.SECONDS));
      assertThat(timed).isExactlyInstanceOf(ExecutionException.class);
      assertThat(timed.getCause()).isSameAs(e);
    }
  }

  @Test // Hazelcast future_test.py: test_set_exception /
  // test_result_raises_exception_with_traceback
  void tracebackIsTheStackTraceOfTheException() {
    IllegalStateException e = new IllegalStateException("x");
    ConcurrentFuture<Integer> f = TestFutures.failed(e);
    assertThat(f.traceback()).isEqualTo(e.getStackTrace()).isNotEmpty();
    assertThat(catchThrowable(f::result).getStackTrace()).isEqualTo(e.getStackTrace());
    assertThat(TestFutures.pending().traceback()).isNull();
    assertThat(TestFutures.cancelled().traceback()).isNull();
  }

  // ------------------------------------------------------------ cancellation

  @Test // CPython test_future.py: FutureTests.test_result_with_timeout /
  // test_exception_with_timeout
  void cancelledFuturesThrowCancellationExceptionFromEveryRead() {
    for (ConcurrentFuture<Integer> f :
        java.util.List.of(
            TestFutures.<Integer>cancelled(), TestFutures.<Integer>cancelledAndNotified())) {
      assertThatThrownBy(f::result).isInstanceOf(CancellationException.class);
      assertThatThrownBy(() -> f.result(Duration.ZERO)).isInstanceOf(CancellationException.class);
      assertThatThrownBy(f::exception).isInstanceOf(CancellationException.class);
      assertThatThrownBy(() -> f.exception(Duration.ZERO))
          .isInstanceOf(CancellationException.class);
      assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
      assertThatThrownBy(() -> f.get(0, TimeUnit.SECONDS))
          .isInstanceOf(CancellationException.class);
    }
  }

  @Test
  void theCancelMessageTravelsInEveryCancellationException() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.cancel("shutting down");
    assertThatThrownBy(f::result).hasMessage("shutting down");
    assertThatThrownBy(f::exception).hasMessage("shutting down");
    assertThatThrownBy(f::get).hasMessage("shutting down");
    f.setRunningOrNotifyCancel();
    assertThatThrownBy(f::result).hasMessage("shutting down");
  }

  // ------------------------------------------------------------ cancel(boolean), the JDK's

  @Test
  void jdkCancelOfAPendingFutureActsLikePythonsCancel() {
    RecordingFuture<Integer> f = new RecordingFuture<>();
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED);
    assertThat(f.hookCalls).isEmpty();
    assertThat(f.setRunningOrNotifyCancel()).isFalse();
  }

  @Test
  void jdkCancelOfARunningFutureCancelsAndNotifiesAndCallsTheHookOnce() {
    RecordingFuture<Integer> f = new RecordingFuture<>();
    f.setRunningOrNotifyCancel();
    StringBuilder order = new StringBuilder();
    f.addDoneCallback(x -> order.append("callback saw hook calls=").append(f.hookCalls));
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThat(f.hookCalls).isEqualTo("true");
    assertThat(order).hasToString("callback saw hook calls=true");
    assertThat(f.cancel(false)).isTrue();
    assertThat(f.hookCalls).isEqualTo("true");
    assertThat(f.trySetResult(1)).isFalse();
    assertThat(f.isCancelled()).isTrue();
  }

  @Test
  void jdkCancelPassesFalseToTheHook() {
    RecordingFuture<Integer> f = new RecordingFuture<>();
    f.setRunningOrNotifyCancel();
    assertThat(f.cancel(false)).isTrue();
    assertThat(f.hookCalls).isEqualTo("false");
  }

  @Test
  void jdkCancelOfAFinishedFutureFailsAndDoesNotCallTheHook() {
    RecordingFuture<Integer> f = new RecordingFuture<>();
    f.setResult(1);
    assertThat(f.cancel(true)).isFalse();
    assertThat(f.result()).isEqualTo(1);
    RecordingFuture<Integer> g = new RecordingFuture<>();
    g.setException(new IllegalStateException());
    assertThat(g.cancel(true)).isFalse();
    assertThat(f.hookCalls).isEmpty();
    assertThat(g.hookCalls).isEmpty();
  }

  @Test
  void jdkCancelOfACancelledFutureSucceedsWithoutTheHook() {
    RecordingFuture<Integer> f = new RecordingFuture<>();
    f.cancel();
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED);
    assertThat(f.hookCalls).isEmpty();
  }

  @Test
  void pythonCancelNeverCallsTheHook() {
    RecordingFuture<Integer> f = new RecordingFuture<>();
    f.setRunningOrNotifyCancel();
    assertThat(f.cancel()).isFalse();
    assertThat(f.cancel("msg")).isFalse();
    assertThat(f.hookCalls).isEmpty();
  }

  /** Records calls of the executor hook. */
  static final class RecordingFuture<V> extends ConcurrentFuture<V> {
    volatile String hookCalls = "";

    @Override
    protected void cancelRunningTask(boolean mayInterruptIfRunning) {
      hookCalls += mayInterruptIfRunning;
    }
  }

  // ------------------------------------------------------------ JDK 19+ methods

  @Test
  void resultNowAndExceptionNowKeepTheJdkMeaning() {
    IOException e = new IOException();
    assertThat(TestFutures.succeeded(7).resultNow()).isEqualTo(7);
    assertThat(TestFutures.failed(e).exceptionNow()).isSameAs(e);

    assertThatThrownBy(() -> TestFutures.pending().resultNow())
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TestFutures.running().resultNow())
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TestFutures.failed(e).resultNow())
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TestFutures.cancelled().resultNow())
        .isExactlyInstanceOf(IllegalStateException.class);

    assertThatThrownBy(() -> TestFutures.pending().exceptionNow())
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TestFutures.succeeded(1).exceptionNow())
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TestFutures.succeeded(null).exceptionNow())
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TestFutures.cancelledAndNotified().exceptionNow())
        .isExactlyInstanceOf(IllegalStateException.class);
  }

  @Test
  void theJdkStateMethodSeesEveryOutcome() throws Exception {
    Method state;
    try {
      state = Future.class.getMethod("state");
    } catch (NoSuchMethodException beforeJdk19) {
      org.junit.jupiter.api.Assumptions.abort("Future.state() needs JDK 19+");
      return;
    }
    assertThat(state.invoke(TestFutures.pending())).hasToString("RUNNING");
    assertThat(state.invoke(TestFutures.running())).hasToString("RUNNING");
    assertThat(state.invoke(TestFutures.succeeded(1))).hasToString("SUCCESS");
    assertThat(state.invoke(TestFutures.succeeded(null))).hasToString("SUCCESS");
    assertThat(state.invoke(TestFutures.failed(new IOException()))).hasToString("FAILED");
    assertThat(state.invoke(TestFutures.cancelled())).hasToString("CANCELLED");
    assertThat(state.invoke(TestFutures.cancelledAndNotified())).hasToString("CANCELLED");
  }

  @Test
  void theJdkMethodsAreTheClassesOwnOnEveryJdk() throws Exception {
    // On JDK 19+ these override the interface's defaults; their meaning must be the JDK's.
    assertThat(ConcurrentFuture.class.getMethod("resultNow").getDeclaringClass())
        .isEqualTo(ConcurrentFuture.class);
    assertThat(ConcurrentFuture.class.getMethod("exceptionNow").getReturnType())
        .isEqualTo(Throwable.class);
    for (Method m : ConcurrentFuture.class.getDeclaredMethods()) {
      assertThat(m.getName()).as("state() belongs to the JDK").isNotEqualTo("state");
    }
  }
}
