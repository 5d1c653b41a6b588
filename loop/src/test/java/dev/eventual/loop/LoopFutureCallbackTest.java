package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.Context;
import dev.eventual.ContextVar;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LoopFuture}'s done-callbacks: CPython's {@code BaseFutureDoneCallbackTests}, and how a
 * done future keeps its callbacks in the loop's ready queue until its turn runs them.
 */
@Timeout(20)
class LoopFutureCallbackTest {
  private final TestEventLoop loop = new TestEventLoop();

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
  void aDoneFutureListsNoCallbacksAndHasNoneToRemoveThoughTheyHaveNotRunYet() {
    List<String> seen = new ArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    Consumer<LoopFuture<Integer>> cb = x -> seen.add("ran");
    f.addDoneCallback(cb);
    f.addDoneCallback(cb);
    f.setResult(1);
    assertThat(f.toString()).doesNotContain("cb=");
    assertThat(f.removeDoneCallback(cb)).isZero(); // asyncio clears its list when scheduling
    loop.runUntilIdle();
    assertThat(seen).containsExactly("ran", "ran");
  }

  @Test
  void callbacksOfOneFutureRunInSeparateCopiesOfTheirContexts() {
    ContextVar<String> var = new ContextVar<>("var", "default");
    List<String> seen = new ArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    f.addDoneCallback(
        x -> {
          seen.add("first saw " + var.get());
          var.set("set by first");
        });
    f.addDoneCallback(x -> seen.add("second saw " + var.get()));
    var.set("changed after adding");
    f.addDoneCallback(x -> seen.add("third saw " + var.get()));
    f.setResult(1);
    loop.runUntilIdle();
    assertThat(seen)
        .containsExactly(
            "first saw default", "second saw default", "third saw changed after adding");
    assertThat(var.get()).isEqualTo("changed after adding");
  }

  @Test
  void aSoleCallbackThatSetsAVariableLeavesTheLoopThreadsContextAlone() {
    ContextVar<String> var = new ContextVar<>("var", "default");
    AtomicReference<ContextVar.Token<String>> token = new AtomicReference<>();
    LoopFuture<Integer> f = loop.createFuture();
    f.addDoneCallback(x -> token.set(var.set("in callback")));
    LoopFuture<Integer> g = loop.createFuture();
    List<String> seen = new ArrayList<>();
    g.addDoneCallback(
        x -> {
          seen.add(var.get());
          assertThatThrownBy(() -> var.reset(token.get()))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("different Context");
          seen.add("checked");
        });
    f.setResult(1);
    loop.runUntilIdle();
    g.setResult(2);
    loop.runUntilIdle();
    assertThat(var.get()).isEqualTo("default");
    assertThat(seen).containsExactly("default", "checked");
  }

  @Test
  void aFailingCallbackIsReportedWithAHandleHoldingItsContext() {
    ContextVar<String> var = new ContextVar<>("var", "default");
    List<ExceptionContext> reports = new ArrayList<>();
    loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
    LoopFuture<Integer> f = loop.createFuture();
    var.set("captured");
    f.addDoneCallback(
        x -> {
          throw new IllegalStateException("boom");
        });
    var.set("later");
    f.setResult(1);
    loop.runUntilIdle();
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).handle().getContext().get(var)).isEqualTo("captured");
    assertThat(reports.get(0).message()).contains(" for " + f);
  }

  @Test
  void anErrorTheLoopDoesNotHandleLeavesTheRemainingCallbacksForTheNextTurn() {
    List<String> seen = new ArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    StackOverflowError fatal = new StackOverflowError("fatal");
    f.addDoneCallback(x -> seen.add("one"));
    f.addDoneCallback(
        x -> {
          seen.add("two");
          throw fatal;
        });
    f.addDoneCallback(x -> seen.add("three"));
    f.addDoneCallback(x -> seen.add("four"));
    loop.callSoon(() -> seen.add("handle before"));
    f.setResult(1);
    loop.callSoon(() -> seen.add("scheduled after the callbacks"));
    assertThatThrownBy(loop::runUntilIdle).isSameAs(fatal);
    assertThat(seen).containsExactly("handle before", "one", "two");
    loop.runUntilIdle();
    assertThat(seen)
        .containsExactly(
            "handle before", "one", "two", "three", "four", "scheduled after the callbacks");
  }

  @Test
  void anErrorTheLoopDoesNotHandleInALoneFuturesTurnLeavesItsRemainingCallbacksFirst() {
    List<String> seen = new ArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    StackOverflowError fatal = new StackOverflowError("fatal");
    f.addDoneCallback(x -> seen.add("one"));
    f.addDoneCallback(
        x -> {
          seen.add("two");
          loop.callSoon(() -> seen.add("scheduled by two"));
          throw fatal;
        });
    f.addDoneCallback(x -> seen.add("three"));
    f.setResult(1); // the future is the only entry of its turn
    assertThatThrownBy(loop::runUntilIdle).isSameAs(fatal);
    assertThat(seen).containsExactly("one", "two");
    loop.runUntilIdle();
    assertThat(seen).containsExactly("one", "two", "three", "scheduled by two");
  }

  @Test
  void inDebugModeEachCallbackGetsItsHandleWithWhereItWasScheduled() {
    loop.setDebug(true);
    List<ExceptionContext> reports = new ArrayList<>();
    loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
    List<String> seen = new ArrayList<>();
    LoopFuture<Integer> f = loop.createFuture();
    f.addDoneCallback(
        x -> {
          throw new IllegalStateException("boom");
        });
    f.addDoneCallback(x -> seen.add("second"));
    f.setResult(1);
    loop.runUntilIdle();
    assertThat(seen).containsExactly("second");
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).handle().getSourceTraceback()).isNotNull();
  }
}
