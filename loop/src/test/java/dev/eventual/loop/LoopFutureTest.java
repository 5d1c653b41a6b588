package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.Context;
import dev.eventual.ContextVar;
import dev.eventual.FutureState;
import dev.eventual.InvalidStateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class LoopFutureTest {
  private final TestEventLoop loop = new TestEventLoop();

  @Test // CPython test_futures.py: BaseFutureTests.test_initial_state
  void aNewFutureIsPending() {
    LoopFuture<Object> f = loop.createFuture();
    assertThat(f.isCancelled()).isFalse();
    assertThat(f.isDone()).isFalse();
    assertThat(f.futureState()).isEqualTo(FutureState.PENDING);
    assertThat(f.getLoop()).isSameAs(loop);
    f.cancel();
    assertThat(f.isCancelled()).isTrue();
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_constructor_without_loop
  void theNoLoopConstructorFailsWithoutARunningLoop() {
    assertThatThrownBy(LoopFuture::new)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no running event loop");
    assertThatThrownBy(() -> new LoopFuture<>(null)).hasMessage("loop must not be null");
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_constructor_use_running_loop
  void theNoLoopConstructorUsesTheRunningLoop() {
    List<LoopFuture<?>> made = new ArrayList<>();
    loop.callSoon(() -> made.add(new LoopFuture<>()));
    loop.runUntilIdle();
    assertThat(made.get(0).getLoop()).isSameAs(loop);
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_cancel
  void cancel() {
    LoopFuture<Object> f = loop.createFuture();
    assertThat(f.cancel()).isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThat(f.isDone()).isTrue();
    assertThatThrownBy(f::result).isInstanceOf(CancellationException.class);
    assertThatThrownBy(f::exception).isInstanceOf(CancellationException.class);
    assertThatThrownBy(() -> f.setResult(null)).isInstanceOf(InvalidStateException.class);
    assertThatThrownBy(() -> f.setException(new RuntimeException()))
        .isInstanceOf(InvalidStateException.class);
    assertThat(f.cancel()).isFalse();
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_result
  void result() {
    LoopFuture<Integer> f = loop.createFuture();
    assertThatThrownBy(f::result)
        .isInstanceOf(InvalidStateException.class)
        .hasMessage("Result is not ready.");
    f.setResult(42);
    assertThat(f.isCancelled()).isFalse();
    assertThat(f.isDone()).isTrue();
    assertThat(f.result()).isEqualTo(42);
    assertThat(f.exception()).isNull();
    assertThatThrownBy(() -> f.setResult(null))
        .isInstanceOf(InvalidStateException.class)
        .hasMessageStartingWith("FINISHED: ");
    assertThat(f.cancel()).isFalse();
    assertThat(f.result()).isEqualTo(42);
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_exception
  void exception() {
    RuntimeException exc = new RuntimeException("oops");
    LoopFuture<Object> f = loop.createFuture();
    assertThatThrownBy(f::exception)
        .isInstanceOf(InvalidStateException.class)
        .hasMessage("Exception is not set.");
    f.setException(exc);
    assertThat(f.isDone()).isTrue();
    assertThatThrownBy(f::result).isSameAs(exc);
    assertThat(f.exception()).isSameAs(exc);
    assertThatThrownBy(() -> f.setResult(null)).isInstanceOf(InvalidStateException.class);
    assertThatThrownBy(() -> f.setException(exc)).isInstanceOf(InvalidStateException.class);
    assertThat(f.cancel()).isFalse();
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_exception_class (Java: checked exceptions)
  void aCheckedExceptionIsWrappedOnceByResult() {
    IOException io = new IOException("disk");
    LoopFuture<Object> f = loop.createFuture();
    f.setException(io);
    assertThatThrownBy(f::result).isInstanceOf(CompletionException.class).hasCause(io);
    assertThat(f.exception()).isSameAs(io);
    assertThatThrownBy(() -> loop.createFuture().setException(null))
        .hasMessage("exception must not be null");
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_future_cancel_message_getter
  void theCancelMessageTravelsInTheCancellationException() {
    LoopFuture<Object> f = loop.createFuture();
    assertThat(f.cancel("my message")).isTrue();
    assertThat(f.cancelMessage()).isEqualTo("my message");
    assertThatThrownBy(f::result)
        .isInstanceOf(CancellationException.class)
        .hasMessage("my message");
    assertThatThrownBy(f::exception).hasMessage("my message");
    assertThat(f.cancel("another")).isFalse();
    assertThat(f.cancelMessage()).isEqualTo("my message");
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_future_repr
  void toStringLooksLikeAsynciosRepr() {
    LoopFuture<Object> pending = loop.createFuture();
    assertThat(pending.toString()).matches("LoopFuture@\\p{XDigit}+\\[PENDING]");
    LoopFuture<Object> cancelled = loop.createFuture();
    cancelled.cancel();
    assertThat(cancelled.toString()).endsWith("[CANCELLED]");
    LoopFuture<Object> finished = loop.createFuture();
    Integer big = 4242;
    finished.setResult(big);
    assertThat(finished.toString())
        .endsWith(
            "[FINISHED returned java.lang.Integer@"
                + Integer.toHexString(System.identityHashCode(big))
                + "]");
    LoopFuture<Object> failed = loop.createFuture();
    failed.setException(new IllegalStateException());
    assertThat(failed.toString()).endsWith("[FINISHED raised java.lang.IllegalStateException]");
    failed.exception();
    LoopFuture<Object> withCallbacks = loop.createFuture();
    Consumer<LoopFuture<Object>> cb = f -> {};
    withCallbacks.addDoneCallback(cb);
    assertThat(withCallbacks.toString()).contains("cb=[" + cb.getClass().getName());
    for (int i = 0; i < 3; i++) {
      withCallbacks.addDoneCallback(cb);
    }
    assertThat(withCallbacks.toString()).contains("<2 more>");
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_future_source_traceback
  void debugModeRecordsWhereTheFutureWasCreated() {
    loop.setDebug(true);
    LoopFuture<Object> f = loop.createFuture();
    assertThat(f.toString()).contains("created at LoopFutureTest.java:");
    assertThat(f.getSourceTraceback()[0].getMethodName())
        .isEqualTo("debugModeRecordsWhereTheFutureWasCreated");
  }

  @Test // CPython test_futures.py: BaseFutureDoneCallbackTests.test_callbacks_invoked_on_set_result
  void callbacksAreScheduledInOrderNeverRunInline() {
    List<Integer> seen = new ArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    f.addDoneCallback(x -> seen.add(1));
    f.addDoneCallback(x -> seen.add(2));
    f.addDoneCallback(x -> seen.add(3));
    f.setResult(10);
    assertThat(seen).isEmpty();
    loop.runUntilIdle();
    assertThat(seen).containsExactly(1, 2, 3);
    assertThat(f.result()).isEqualTo(10);
  }

  @Test // CPython test_futures.py:
  // BaseFutureDoneCallbackTests.test_callbacks_invoked_on_set_exception
  void callbacksRunOnExceptionAndOnCancel() {
    List<LoopFuture<?>> seen = new ArrayList<>();
    LoopFuture<Integer> failed = loop.createFuture();
    failed.addDoneCallback(seen::add);
    failed.setException(new IllegalArgumentException());
    LoopFuture<Integer> cancelled = loop.createFuture();
    cancelled.addDoneCallback(seen::add);
    cancelled.cancel();
    loop.runUntilIdle();
    assertThat(seen).containsExactly(failed, cancelled);
    failed.exception();
  }

  @Test
  void aCallbackAddedWhenDoneIsStillScheduledNotRunInline() {
    List<String> seen = new ArrayList<>();
    LoopFuture<String> f = loop.createFuture();
    f.setResult("x");
    f.addDoneCallback(x -> seen.add("late"));
    assertThat(seen).isEmpty();
    loop.runUntilIdle();
    assertThat(seen).containsExactly("late");
  }

  @Test // CPython test_futures.py: BaseFutureDoneCallbackTests.test_callbacks_remove_first_callback
  void removeDoneCallbackRemovesEveryRegistrationAndCountsThem() {
    List<Integer> seen = new ArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    Consumer<LoopFuture<Integer>> cb1 = x -> seen.add(1);
    Consumer<LoopFuture<Integer>> cb2 = x -> seen.add(2);
    Consumer<LoopFuture<Integer>> cb3 = x -> seen.add(3);
    f.addDoneCallback(cb1);
    f.addDoneCallback(cb2);
    f.addDoneCallback(cb3);
    f.addDoneCallback(cb1);
    assertThat(f.removeDoneCallback(cb1)).isEqualTo(2);
    assertThat(f.removeDoneCallback(cb1)).isZero();
    f.setResult(1);
    loop.runUntilIdle();
    assertThat(seen).containsExactly(2, 3);
    assertThat(f.removeDoneCallback(cb2)).isZero(); // done: nothing left to remove
  }

  @Test // CPython test_futures.py: BaseFutureDoneCallbackTests.test_callbacks_remove_third_callback
  void removingTheLastCallbackKeepsTheOthers() {
    List<Integer> seen = new ArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    Consumer<LoopFuture<Integer>> cb3 = x -> seen.add(3);
    f.addDoneCallback(x -> seen.add(1));
    f.addDoneCallback(x -> seen.add(2));
    f.addDoneCallback(cb3);
    assertThat(f.removeDoneCallback(cb3)).isEqualTo(1);
    f.setResult(1);
    loop.runUntilIdle();
    assertThat(seen).containsExactly(1, 2);
  }

  @Test // CPython test_futures.py:
  // BaseFutureDoneCallbackTests.test_remove_done_callbacks_list_mutation
  void aCallbackWhoseEqualsMutatesTheListDoesNotBreakRemoval() {
    LoopFuture<Integer> f = loop.createFuture();
    Consumer<LoopFuture<Integer>> id = x -> {};
    f.addDoneCallback(x -> {});
    for (int i = 0; i < 63; i++) {
      f.addDoneCallback(id);
    }
    Consumer<LoopFuture<Integer>> evil =
        new Consumer<>() {
          @Override
          public void accept(LoopFuture<Integer> x) {}

          @Override
          public boolean equals(Object other) {
            f.removeDoneCallback(id);
            f.addDoneCallback(id);
            return false;
          }

          @Override
          public int hashCode() {
            return 0;
          }
        };
    assertThat(f.removeDoneCallback(evil)).isZero();
  }

  @Test // CPython test_futures.py:
  // BaseFutureDoneCallbackTests.test_schedule_callbacks_list_mutation_1
  void aCallbackThatRemovesAnotherAfterSchedulingDoesNotUnscheduleIt() {
    List<Integer> seen = new ArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    Consumer<LoopFuture<Integer>> second = x -> seen.add(2);
    f.addDoneCallback(x -> seen.add(f.removeDoneCallback(second)));
    f.addDoneCallback(second);
    f.setResult(1);
    loop.runUntilIdle();
    assertThat(seen).containsExactly(0, 2); // already scheduled: nothing to remove
  }

  @Test
  void eachCallbackRunsInTheContextCapturedWhenAddedOrTheOneGiven() {
    ContextVar<String> var = new ContextVar<>("var", "default");
    List<String> seen = new CopyOnWriteArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    Context given = new Context();
    given.run(() -> var.set("given"));
    Context.copyContext()
        .run(
            () -> {
              var.set("captured");
              f.addDoneCallback(x -> seen.add(var.get()));
            });
    f.addDoneCallback(x -> seen.add(var.get()), given);
    f.addDoneCallback(x -> seen.add(var.get()));
    f.setResult(1);
    loop.runUntilIdle();
    assertThat(seen).containsExactly("captured", "given", "default");
    assertThatThrownBy(() -> f.addDoneCallback(null)).hasMessage("callback must not be null");
    assertThatThrownBy(() -> f.addDoneCallback(x -> {}, null))
        .hasMessage("context must not be null");
  }

  @Test
  void aCallbackThatThrowsGoesToTheExceptionHandler() {
    List<ExceptionContext> reports = new ArrayList<>();
    loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
    LoopFuture<Integer> f = loop.createFuture();
    RuntimeException boom = new RuntimeException("in callback");
    List<String> seen = new ArrayList<>();
    f.addDoneCallback(
        x -> {
          throw boom;
        });
    f.addDoneCallback(x -> seen.add("still runs"));
    f.setResult(1);
    loop.runUntilIdle();
    assertThat(seen).containsExactly("still runs");
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).exception()).isSameAs(boom);
    assertThat(reports.get(0).message()).contains("for LoopFuture@");
  }

  @Test
  void aSoleCallbackCanBeRemovedAndReplaced() {
    List<String> seen = new ArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    Consumer<LoopFuture<Integer>> first = x -> seen.add("first");
    f.addDoneCallback(first);
    assertThat(f.removeDoneCallback(x -> {})).isZero();
    assertThat(f.removeDoneCallback(first)).isEqualTo(1);
    assertThat(f.toString()).doesNotContain("cb=");
    f.addDoneCallback(x -> seen.add("second"));
    f.addDoneCallback(x -> seen.add("third"));
    assertThat(f.removeDoneCallback(first)).isZero();
    f.setResult(1);
    loop.runUntilIdle();
    assertThat(seen).containsExactly("second", "third");
  }

  @Test
  void toStringNamesOneOrTwoCallbacksAndAHandleNamesItsFuture() {
    LoopFuture<Integer> f = loop.createFuture();
    Consumer<LoopFuture<Integer>> a = x -> {};
    Consumer<LoopFuture<Integer>> b = x -> {};
    f.addDoneCallback(a);
    assertThat(f.toString()).endsWith(" cb=[" + a.getClass().getName() + "@" + hash(a) + "]]");
    f.addDoneCallback(b);
    assertThat(f.toString())
        .endsWith(
            " cb=["
                + a.getClass().getName()
                + "@"
                + hash(a)
                + ", "
                + b.getClass().getName()
                + "@"
                + hash(b)
                + "]]");
    LoopFuture<Integer> done = loop.createFuture();
    done.setResult(1);
    List<String> handles = new ArrayList<>();
    loop.setExceptionHandler((l, ctx) -> handles.add(String.valueOf(ctx.handle())));
    done.addDoneCallback(
        x -> {
          throw new IllegalStateException();
        });
    loop.runUntilIdle();
    assertThat(handles.get(0)).startsWith("Handle@").contains(" for " + done);
  }

  private static String hash(Object o) {
    return Integer.toHexString(System.identityHashCode(o));
  }

  @Test
  void completingAFutureWithCallbacksOnAClosedLoopFailsAndLeavesItPending() {
    LoopFuture<Integer> f = loop.createFuture();
    f.addDoneCallback(x -> {});
    loop.close();
    assertThatThrownBy(() -> f.setResult(1)).hasMessage("Event loop is closed");
    assertThatThrownBy(f::cancel).hasMessage("Event loop is closed");
    assertThat(f.isDone()).isFalse();
    LoopFuture<Integer> plain = loop.createFuture();
    plain.setResult(1); // no callbacks: nothing to schedule
    assertThat(plain.result()).isEqualTo(1);
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_future_exception_never_retrieved
  void anUnretrievedExceptionIsReportedWhenTheFutureIsCollected() throws Exception {
    List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
    loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
    RuntimeException boom = new RuntimeException("never retrieved");
    failAndForget(boom);
    LoopFuture<Object> retrieved = loop.createFuture();
    retrieved.setException(new RuntimeException("retrieved"));
    retrieved.exception();
    for (int i = 0; i < 200 && reports.isEmpty(); i++) {
      System.gc();
      Thread.sleep(10);
      loop.runUntilIdle();
    }
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).exception()).isSameAs(boom);
    assertThat(reports.get(0).message())
        .startsWith("Future exception was never retrieved: LoopFuture@")
        .contains("FINISHED raised java.lang.RuntimeException");
  }

  private void failAndForget(RuntimeException boom) {
    LoopFuture<Object> f = loop.createFuture();
    f.setException(boom);
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_tb_logger_exception_retrieved
  void aRetrievedExceptionIsNeverReported() throws Exception {
    List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
    loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
    for (int i = 0; i < 10; i++) {
      LoopFuture<Object> f = loop.createFuture();
      f.setException(new RuntimeException());
      if (i % 2 == 0) {
        f.exception();
      } else {
        assertThatThrownBy(f::result).isInstanceOf(RuntimeException.class);
      }
    }
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(20);
      loop.runUntilIdle();
    }
    assertThat(reports).isEmpty();
  }
}
