package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** addDoneCallback and removeDoneCallback: when, where, in which order, and failures. */
@Timeout(10)
class ConcurrentFutureCallbackTest {

  @Test // CPython test_future.py: FutureTests.test_done_callback_with_result
  void aCallbackSeesTheResult() {
    AtomicReference<Integer> seen = new AtomicReference<>();
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(cf -> seen.set(cf.result()));
    f.setResult(5);
    assertThat(seen).hasValue(5);
  }

  @Test // CPython test_future.py: FutureTests.test_done_callback_with_exception
  void aCallbackSeesTheException() {
    AtomicReference<Throwable> seen = new AtomicReference<>();
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(cf -> seen.set(cf.exception()));
    f.setException(new Exception("test"));
    assertThat(seen.get()).hasMessage("test");
  }

  @Test // CPython test_future.py: FutureTests.test_done_callback_with_cancel
  void aCallbackSeesTheCancellation() {
    AtomicReference<Boolean> wasCancelled = new AtomicReference<>();
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(cf -> wasCancelled.set(cf.isCancelled()));
    assertThat(f.cancel()).isTrue();
    assertThat(wasCancelled).hasValue(true);
  }

  @Test // CPython test_future.py: FutureTests.test_done_callback_raises;
  // Hazelcast future_test.py: test_callback_throws_exception
  void aRaisingCallbackIsLoggedAndTheNextOneStillRuns() {
    AtomicInteger raisingCalls = new AtomicInteger();
    AtomicInteger fnCalls = new AtomicInteger();
    RuntimeException doh = new RuntimeException("doh!");
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(
        cf -> {
          raisingCalls.incrementAndGet();
          throw doh;
        });
    f.addDoneCallback(cf -> fnCalls.incrementAndGet());
    try (LogCapture log = LogCapture.start()) {
      f.setResult(5); // does not throw
      assertThat(raisingCalls).hasValue(1);
      assertThat(fnCalls).hasValue(1);
      List<LogRecord> logged = log.containing("exception calling callback for");
      assertThat(logged).hasSize(1);
      assertThat(logged.get(0).getThrown()).isSameAs(doh);
      assertThat(logged.get(0).getLevel()).isEqualTo(Level.SEVERE);
      assertThat(logged.get(0).getMessage()).contains(f.toString());
    }
  }

  @Test // CPython test_future.py: FutureTests.test_done_callback_raises_already_succeeded
  void aRaisingCallbackAddedAfterCompletionIsLoggedNotThrown() {
    ConcurrentFuture<Integer> f = TestFutures.succeeded(5);
    AssertionError doh = new AssertionError("doh!");
    try (LogCapture log = LogCapture.start()) {
      f.addDoneCallback(
          cf -> {
            throw doh;
          });
      List<LogRecord> logged = log.containing("exception calling callback for");
      assertThat(logged).hasSize(1);
      assertThat(logged.get(0).getThrown()).isSameAs(doh);
    }
  }

  @Test // CPython test_future.py: FutureTests.test_done_callback_already_successful;
  // Hazelcast future_test.py: test_add_callback_after_completion_with_success
  void aCallbackAddedToASuccessfulFutureRunsAtOnceInTheCaller() {
    ConcurrentFuture<String> f = TestFutures.succeeded("done");
    List<String> seen = new ArrayList<>();
    Thread caller = Thread.currentThread();
    f.addDoneCallback(
        cf -> {
          assertThat(Thread.currentThread()).isSameAs(caller);
          seen.add(cf.result());
        });
    assertThat(seen).containsExactly("done");
  }

  @Test // CPython test_future.py: FutureTests.test_done_callback_already_failed;
  // Hazelcast future_test.py: test_add_callback_after_completion_with_error
  void aCallbackAddedToAFailedFutureRunsAtOnce() {
    RuntimeException error = new RuntimeException("error");
    ConcurrentFuture<String> f = TestFutures.failed(error);
    List<Throwable> seen = new ArrayList<>();
    f.addDoneCallback(cf -> seen.add(cf.exception()));
    assertThat(seen).containsExactly(error);
  }

  @Test // CPython test_future.py: FutureTests.test_done_callback_already_cancelled
  void aCallbackAddedToACancelledFutureRunsAtOnce() {
    List<Boolean> seen = new ArrayList<>();
    TestFutures.cancelled().addDoneCallback(cf -> seen.add(cf.isCancelled()));
    TestFutures.cancelledAndNotified().addDoneCallback(cf -> seen.add(cf.isCancelled()));
    assertThat(seen).containsExactly(true, true);
  }

  @Test // Hazelcast future_test.py: test_add_callback_with_success
  void aCallbackRunsOnTheCompletingThread() throws Exception {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    f.addDoneCallback(
        cf -> {
          ranOn.set(Thread.currentThread());
          assertThat(cf.result()).isEqualTo("done");
          ran.countDown();
        });
    Thread completer = new Thread(() -> f.setResult("done"), "completer");
    completer.start();
    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    completer.join(5_000);
    assertThat(ranOn).hasValue(completer);
  }

  @Test // Hazelcast future_test.py: test_add_callback_with_failure
  void aCallbackOnAnotherThreadSeesTheExceptionAndItsTraceback() throws Exception {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    IllegalArgumentException error = new IllegalArgumentException("invalid_key");
    CountDownLatch ran = new CountDownLatch(1);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    AtomicReference<StackTraceElement[]> trace = new AtomicReference<>();
    f.addDoneCallback(
        cf -> {
          seen.set(cf.exception());
          trace.set(cf.traceback());
          ran.countDown();
        });
    new Thread(() -> f.setException(error)).start();
    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).hasValue(error);
    assertThat(trace.get()).isEqualTo(error.getStackTrace());
  }

  @Test
  void callbacksRunInRegistrationOrder() {
    for (int n = 1; n <= 6; n++) {
      List<Integer> order = new ArrayList<>();
      ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
      for (int i = 0; i < n; i++) {
        int id = i;
        f.addDoneCallback(cf -> order.add(id));
      }
      f.setResult(0);
      assertThat(order).hasSize(n).isSorted();
    }
  }

  @Test
  void callbacksRunInRegistrationOrderAcrossSetRunningAndOnCancel() {
    List<String> order = new ArrayList<>();
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(cf -> order.add("a"));
    f.addDoneCallback(cf -> order.add("b"));
    f.setRunningOrNotifyCancel();
    f.addDoneCallback(cf -> order.add("c"));
    f.cancel(false);
    assertThat(order).containsExactly("a", "b", "c");
  }

  @Test
  void removalInterleavedWithAdditionsKeepsTheOrderOfTheRest() {
    List<String> order = new ArrayList<>();
    Consumer<ConcurrentFuture<Integer>> a = cf -> order.add("a");
    Consumer<ConcurrentFuture<Integer>> b = cf -> order.add("b");
    Consumer<ConcurrentFuture<Integer>> c = cf -> order.add("c");
    Consumer<ConcurrentFuture<Integer>> d = cf -> order.add("d");
    Consumer<ConcurrentFuture<Integer>> e = cf -> order.add("e");
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(a);
    f.addDoneCallback(b);
    assertThat(f.removeDoneCallback(a)).isEqualTo(1);
    f.addDoneCallback(c);
    f.addDoneCallback(a);
    f.addDoneCallback(d);
    assertThat(f.removeDoneCallback(c)).isEqualTo(1);
    f.addDoneCallback(e);
    assertThat(f.removeDoneCallback(e)).isEqualTo(1);
    f.addDoneCallback(c);
    f.setResult(1);
    assertThat(order).containsExactly("b", "a", "d", "c");
  }

  @Test
  void removeDoneCallbackRemovesEveryCopyAndCountsThem() {
    AtomicInteger calls = new AtomicInteger();
    Consumer<ConcurrentFuture<Integer>> cb = cf -> calls.incrementAndGet();
    Consumer<ConcurrentFuture<Integer>> other = cf -> calls.addAndGet(100);
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(cb);
    f.addDoneCallback(other);
    f.addDoneCallback(cb);
    f.addDoneCallback(cb);
    assertThat(f.removeDoneCallback(cb)).isEqualTo(3);
    assertThat(f.removeDoneCallback(cb)).isZero();
    f.setResult(1);
    assertThat(calls).hasValue(100);
  }

  @Test
  void removeDoneCallbackOfTheOnlyCallbackLeavesNoCallback() {
    AtomicInteger calls = new AtomicInteger();
    Consumer<ConcurrentFuture<Integer>> cb = cf -> calls.incrementAndGet();
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(cb);
    assertThat(f.removeDoneCallback(cb)).isEqualTo(1);
    assertThat(f.rawState()).isNull();
    f.setResult(1);
    assertThat(calls).hasValue(0);
  }

  @Test
  void removeDoneCallbackMatchesByEquals() {
    List<String> ran = new ArrayList<>();
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(new Named("x", ran));
    f.addDoneCallback(new Named("y", ran));
    f.addDoneCallback(new Named("x", ran));
    assertThat(f.removeDoneCallback(new Named("x", ran))).isEqualTo(2);
    f.setResult(1);
    assertThat(ran).containsExactly("y");
  }

  @Test
  void removeDoneCallbackReturnsZeroOnceDone() {
    Consumer<ConcurrentFuture<Integer>> cb = cf -> {};
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(cb);
    f.setResult(1);
    assertThat(f.removeDoneCallback(cb)).isZero();
    ConcurrentFuture<Integer> g = new ConcurrentFuture<>();
    g.addDoneCallback(cb);
    g.cancel();
    assertThat(g.removeDoneCallback(cb)).isZero();
    assertThat(TestFutures.<Integer>pending().removeDoneCallback(cb)).isZero();
  }

  @Test
  void nullArgumentsAreRejectedWithTheParameterName() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThatThrownBy(() -> f.addDoneCallback(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("callback must not be null");
    assertThatThrownBy(() -> f.removeDoneCallback(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("callback must not be null");
    assertThat(f.rawState()).isNull();
    ConcurrentFuture<Integer> done = TestFutures.succeeded(1);
    assertThatThrownBy(() -> done.addDoneCallback(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void theFirstCallbackIsStoredWithoutANode() {
    Consumer<ConcurrentFuture<Integer>> cb = cf -> {};
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(cb);
    assertThat(f.rawState()).isSameAs(cb);
  }

  @Test
  void aCallbackAddingAnotherCallbackToTheDoneFutureRunsItAtOnce() {
    List<String> order = new ArrayList<>();
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(
        cf -> {
          order.add("outer");
          cf.addDoneCallback(x -> order.add("inner"));
          order.add("outer end");
        });
    f.addDoneCallback(cf -> order.add("second"));
    f.setResult(1);
    assertThat(order).containsExactly("outer", "inner", "outer end", "second");
  }

  @Test // Hazelcast future_test.py: test_callback_called_exactly_once
  void aCallbackRacingWithSetResultRunsExactlyOnce() throws Exception {
    for (int i = 0; i < 200; i++) {
      ConcurrentFuture<String> f = new ConcurrentFuture<>();
      Thread t = new Thread(() -> f.setResult("done"));
      t.start();
      AtomicInteger calls = new AtomicInteger();
      f.addDoneCallback(cf -> calls.incrementAndGet());
      t.join(5_000);
      assertThat(calls).hasValue(1);
    }
  }

  @Test // Hazelcast future_test.py: test_callback_called_exactly_once_when_exception
  void aCallbackRacingWithSetExceptionRunsExactlyOnce() throws Exception {
    for (int i = 0; i < 200; i++) {
      ConcurrentFuture<String> f = new ConcurrentFuture<>();
      Thread t = new Thread(() -> f.setException(new RuntimeException("error")));
      t.start();
      AtomicInteger calls = new AtomicInteger();
      AtomicReference<Throwable> seen = new AtomicReference<>();
      f.addDoneCallback(
          cf -> {
            calls.incrementAndGet();
            seen.set(cf.exception());
          });
      t.join(5_000);
      assertThat(calls).hasValue(1);
      assertThat(seen.get()).hasMessage("error");
    }
  }

  @Test
  void aRaisingCallbackOnAFailedFutureStillCountsAsRetrieval() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(
        cf -> {
          throw new IllegalStateException("callback");
        });
    try (LogCapture log = LogCapture.start()) {
      f.setException(new IOException("io"));
      assertThat(log.containing("exception calling callback")).hasSize(1);
    }
    assertThat(((dev.eventual.internal.Failure) f.rawState()).isRetrieved()).isTrue();
  }

  /** A callback with value equality. */
  static final class Named implements Consumer<ConcurrentFuture<Integer>> {
    final String name;
    final List<String> ran;

    Named(String name, List<String> ran) {
      this.name = name;
      this.ran = ran;
    }

    @Override
    public void accept(ConcurrentFuture<Integer> f) {
      ran.add(name);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Named && ((Named) o).name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }
  }

  // issue 19, defect 10: a VirtualMachineError from a callback was logged and swallowed. The policy
  // (dev.eventual.internal.FatalErrors): never swallowed, the other callbacks still run once, and
  // the first such error is rethrown to whoever completed the future.
  @Test
  void aVirtualMachineErrorFromACallbackIsRethrownAfterTheOtherCallbacksRan() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    java.util.List<String> ran = new java.util.ArrayList<>();
    StackOverflowError fatal = new StackOverflowError("from a callback");
    f.addDoneCallback(x -> ran.add("first"));
    f.addDoneCallback(
        x -> {
          ran.add("fatal");
          throw fatal;
        });
    f.addDoneCallback(x -> ran.add("third"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.setResult(1)).isSameAs(fatal);
    assertThat(ran).containsExactly("first", "fatal", "third");
    assertThat(f.result()).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                f.addDoneCallback(
                    x -> {
                      throw fatal;
                    }))
        .isSameAs(fatal);
  }

  @Test // issue 19, defect 10: the task's worker sees it too; the task's own outcome is kept
  void aVirtualMachineErrorFromACallbackOfATaskReachesTheWorkerNotTheTasksOutcome() {
    TaskFuture<Integer> task = new TaskFuture<>(() -> 5);
    OutOfMemoryError fatal = new OutOfMemoryError("from a callback");
    task.addDoneCallback(
        x -> {
          throw fatal;
        });
    org.assertj.core.api.Assertions.assertThatThrownBy(task::run).isSameAs(fatal);
    assertThat(task.result()).isEqualTo(5);
  }
}
