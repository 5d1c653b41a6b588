package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.FutureState;
import dev.eventual.InvalidStateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    assertThat(finished.toString()).endsWith("[FINISHED returned 4242]");
    LoopFuture<Object> finishedWithObject = loop.createFuture();
    Object order = new Object();
    finishedWithObject.setResult(order);
    assertThat(finishedWithObject.toString())
        .endsWith(
            "[FINISHED returned java.lang.Object@"
                + Integer.toHexString(System.identityHashCode(order))
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

  @Test // issue 19, defect 10: the report must not run the user's handler on the cleaner's thread
  void whileTheLoopRunsAnUnretrievedExceptionIsReportedOnTheLoopsThread() throws Exception {
    EventLoop running = new EventLoop();
    Thread loopThread = new Thread(running::runForever, "loop-under-test");
    List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
    running.setExceptionHandler((l, ctx) -> handlerThreads.add(Thread.currentThread()));
    loopThread.start();
    try {
      CountDownLatch failed = new CountDownLatch(1);
      running.callSoonThreadsafe(
          () -> {
            running.createFuture().setException(new RuntimeException("never retrieved"));
            failed.countDown();
          });
      assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 500 && handlerThreads.isEmpty(); i++) {
        System.gc();
        Thread.sleep(10);
      }
      assertThat(handlerThreads).containsExactly(loopThread);
    } finally {
      running.callSoonThreadsafe(running::stop);
      loopThread.join(10_000);
      running.close();
    }
  }

  @Test // issue 19, defect 10: on an idle loop the report ran the handler on the cleaner's thread
  void aReportThatFindsTheLoopIdleReachesTheHandlerAtItsNextTurnOnItsThread() throws Exception {
    List<Thread> handlerThreads = failAndForgetUntilTheReportIsFound();
    assertThat(handlerThreads).isEmpty(); // found, queued, not run on the cleaner's thread
    loop.runUntilIdle();
    assertThat(handlerThreads).containsExactly(Thread.currentThread());
  }

  @Test // issue 19, defect 10: a report still pending when the loop closes is not lost
  void closeHandsAReportStillPendingToTheHandlerOnTheClosingThread() throws Exception {
    List<Thread> handlerThreads = failAndForgetUntilTheReportIsFound();
    loop.close();
    assertThat(handlerThreads).containsExactly(Thread.currentThread());
  }

  /**
   * Fails a future nobody reads, then collects until its report is queued for the loop or (the old
   * defect) has reached the handler; returns the threads the handler ran on.
   */
  private List<Thread> failAndForgetUntilTheReportIsFound() throws InterruptedException {
    List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
    loop.setExceptionHandler((l, ctx) -> handlerThreads.add(Thread.currentThread()));
    failAndForget(new RuntimeException("never retrieved"));
    for (int i = 0; i < 300 && loop.unretrieved.isEmpty() && handlerThreads.isEmpty(); i++) {
      System.gc();
      Thread.sleep(10);
    }
    return handlerThreads;
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

  // ---------------------------------------------------------------- one outcome (issue 19)

  @Test
  void completeFromTakesAThreadSafeFuturesOutcomeOfEachKind() {
    dev.eventual.ConcurrentFuture<Object> nullResult = new dev.eventual.ConcurrentFuture<>();
    nullResult.setResult(null); // stored boxed there, raw here
    LoopFuture<Object> a = loop.createFuture();
    a.completeFrom(dev.eventual.internal.FutureAccess.get().outcomeOf(nullResult));
    assertThat(a.result()).isNull();

    Consumer<Object> callbackAsResult = x -> {};
    dev.eventual.ConcurrentFuture<Object> consumer = new dev.eventual.ConcurrentFuture<>();
    consumer.setResult(callbackAsResult);
    LoopFuture<Object> b = loop.createFuture();
    b.completeFrom(dev.eventual.internal.FutureAccess.get().outcomeOf(consumer));
    assertThat(b.result()).isSameAs(callbackAsResult);
    assertThat(b.toString()).contains("FINISHED returned");

    IOException boom = new IOException("boom");
    dev.eventual.ConcurrentFuture<Object> failed = new dev.eventual.ConcurrentFuture<>();
    failed.setException(boom);
    Object failure = dev.eventual.internal.FutureAccess.get().outcomeOf(failed);
    LoopFuture<Object> c = loop.createFuture();
    c.completeFrom(failure);
    assertThat(((dev.eventual.internal.Failure) failure).isRetrieved()).isTrue();
    assertThat(c.exception()).isSameAs(boom);

    dev.eventual.ConcurrentFuture<Object> cancelled = new dev.eventual.ConcurrentFuture<>();
    cancelled.cancel("why");
    LoopFuture<Object> d = loop.createFuture();
    d.completeFrom(dev.eventual.internal.FutureAccess.get().outcomeOf(cancelled));
    assertThat(d.futureState()).isEqualTo(FutureState.CANCELLED);
    assertThat(d.cancelMessage()).isEqualTo("why");
  }

  @Test
  void outcomeOfAPendingFutureIsRefusedAndOfADoneOneIsReadWithoutRetrieving() {
    LoopFuture<Object> f = loop.createFuture();
    assertThatThrownBy(f::outcome).isInstanceOf(InvalidStateException.class);
    f.setException(new IllegalStateException("x"));
    assertThat(((dev.eventual.internal.Failure) f.outcome()).isRetrieved()).isFalse();
    f.exception();
    assertThat(((dev.eventual.internal.Failure) f.outcome()).isRetrieved()).isTrue();
  }
}
