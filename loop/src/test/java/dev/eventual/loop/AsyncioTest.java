package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ConcurrentFuture;
import dev.eventual.ContextVar;
import dev.eventual.ThreadPoolFutureExecutor;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AsyncioTest {
  private final EventLoop loop = new EventLoop();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_wrap_future
  void wrapFutureDeliversAWorkersResultOnTheLoop() {
    try (ThreadPoolFutureExecutor ex = new ThreadPoolFutureExecutor(1)) {
      Thread me = Thread.currentThread();
      ConcurrentFuture<Thread> f1 = ex.submit(Thread::currentThread);
      LoopFuture<Thread> f2 = Asyncio.wrapFuture(f1, loop);
      AtomicReference<Thread> callbackThread = new AtomicReference<>();
      f2.addDoneCallback(f -> callbackThread.set(Thread.currentThread()));
      Thread worker = loop.runUntilComplete(f2);
      assertThat(worker).isNotSameAs(me);
      loop.callSoon(loop::stop);
      loop.runForever();
      assertThat(callbackThread.get()).isSameAs(me);
    }
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_wrap_future_without_loop
  void wrapFutureWithoutALoopFailsOutsideARunningLoop() {
    assertThatThrownBy(() -> Asyncio.wrapFuture(new ConcurrentFuture<>()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no running event loop");
    assertThatThrownBy(() -> Asyncio.wrapFuture(null, loop)).hasMessage("future must not be null");
    assertThatThrownBy(() -> Asyncio.wrapFuture(new ConcurrentFuture<>(), null))
        .hasMessage("loop must not be null");
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_wrap_future_use_running_loop
  void wrapFutureUsesTheRunningLoop() {
    ConcurrentFuture<String> f1 = new ConcurrentFuture<>();
    AtomicReference<LoopFuture<String>> f2 = new AtomicReference<>();
    loop.callSoon(
        () -> {
          f2.set(Asyncio.wrapFuture(f1));
          loop.stop();
        });
    loop.runForever();
    assertThat(f2.get().getLoop()).isSameAs(loop);
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_wrap_future_cancel
  void cancellingTheLoopFutureCancelsTheSource() {
    ConcurrentFuture<String> f1 = new ConcurrentFuture<>();
    LoopFuture<String> f2 = Asyncio.wrapFuture(f1, loop);
    f2.cancel("stop it");
    runBriefly();
    assertThat(f1.isCancelled()).isTrue();
    assertThat(f2.isCancelled()).isTrue();
    assertThatThrownBy(f1::result).isInstanceOf(CancellationException.class).hasMessage("stop it");
  }

  @Test // CPython test_futures.py: BaseFutureTests.test_wrap_future_cancel2
  void aResultThatArrivedFirstIsKeptWhenTheLoopFutureIsCancelled() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    LoopFuture<Integer> f2 = Asyncio.wrapFuture(f1, loop);
    f1.setResult(42);
    f2.cancel();
    runBriefly();
    assertThat(f1.isCancelled()).isFalse();
    assertThat(f1.result()).isEqualTo(42);
    assertThat(f2.isCancelled()).isTrue();
  }

  @Test
  void cancellingTheSourceCancelsTheLoopFutureWithItsMessage() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    LoopFuture<Integer> f2 = Asyncio.wrapFuture(f1, loop);
    f1.cancel("from the source");
    runBriefly();
    assertThat(f2.isCancelled()).isTrue();
    assertThatThrownBy(f2::result).hasMessage("from the source");
  }

  @Test
  void theSourcesExceptionIsDeliveredAsIs() throws Exception {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    LoopFuture<Integer> f2 = Asyncio.wrapFuture(f1, loop);
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch set = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              f1.setException(boom);
              set.countDown();
            });
    t.start();
    assertThat(set.await(5, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> loop.runUntilComplete(f2)).isSameAs(boom);
    assertThat(f2.exception()).isSameAs(boom);
    t.join();
  }

  @Test
  void anOutcomeArrivingAfterCloseIsDropped() {
    ConcurrentFuture<Integer> f1 = new ConcurrentFuture<>();
    LoopFuture<Integer> f2 = Asyncio.wrapFuture(f1, loop);
    loop.close();
    f1.setResult(1); // must not throw into the completing thread
    assertThat(f2.isDone()).isFalse();
  }

  private void runBriefly() {
    loop.callSoon(loop::stop);
    loop.runForever();
  }

  // DESIGN.md: the loop refuses to block itself
  @Test
  void aBlockingResultOnTheLoopThreadFailsAtOnceInsteadOfDeadlocking() {
    ConcurrentFuture<String> pending = new ConcurrentFuture<>();
    ConcurrentFuture<String> done = new ConcurrentFuture<>();
    done.setResult("ready");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<String> read = new AtomicReference<>();
    loop.callSoon(
        () -> {
          try {
            pending.result();
          } catch (Throwable t) {
            failure.set(t);
          }
          read.set(done.result());
          loop.stop();
        });
    loop.runForever();
    assertThat(failure.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("deadlock");
    assertThat(read.get()).isEqualTo("ready");
    assertThat(dev.eventual.BlockingGuard.blockingForbiddenBy())
        .as("the mark is lifted when the loop stops")
        .isNull();
    pending.setResult("late");
    assertThat(pending.result()).isEqualTo("late");
  }

  @Test // as CPython's asyncio.Runner, which runs the main task in a copy of the caller's context
  void runGivesTheMainTaskACopyOfTheCallersContext() {
    ContextVar<String> request = new ContextVar<>("request");
    ContextVar.Token<String> token = request.set("r-42");
    try {
      String seen =
          Asyncio.run(
              () -> {
                String value = request.get();
                request.set("changed in the task"); // a copy: the caller keeps its value
                return value;
              });
      assertThat(seen).isEqualTo("r-42");
      assertThat(request.get()).isEqualTo("r-42");
    } finally {
      request.reset(token);
    }
  }

  @Test
  void runRethrowsTheMainTasksExceptionItself() {
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    assertThatThrownBy(
            () ->
                Asyncio.run(
                    () -> {
                      throw boom;
                    }))
        .isSameAs(boom);
  }
}
