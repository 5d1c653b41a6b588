package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A thread marked with {@link BlockingGuard} fails fast instead of blocking on a future. */
@Timeout(20)
class BlockingGuardTest {
  @AfterEach
  void allow() {
    BlockingGuard.allowBlocking();
  }

  @Test
  void aMarkedThreadFailsAtOnceInResultOfAPendingFutureAndLeavesNoWaiter() {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    BlockingGuard.forbidBlocking("TestLoop@1");
    assertThat(BlockingGuard.blockingForbiddenBy()).isEqualTo("TestLoop@1");
    assertThatThrownBy(f::result)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TestLoop@1")
        .hasMessageContaining(Thread.currentThread().getName())
        .hasMessageContaining("deadlock");
    assertThatThrownBy(() -> f.result(Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(f::exception).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(f::get).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    assertThat(f.rawState()).as("no waiter left behind").isNull();
    assertThat(f.futureState()).isEqualTo(FutureState.PENDING);
  }

  @Test
  void aMarkedThreadStillReadsDoneFuturesAndZeroTimeoutLooks() throws Exception {
    ConcurrentFuture<String> pending = new ConcurrentFuture<>();
    BlockingGuard.forbidBlocking("TestLoop@2");
    assertThat(Futures.completed("x").result()).isEqualTo("x");
    assertThat(Futures.completed("y").get()).isEqualTo("y");
    assertThatThrownBy(() -> pending.result(Duration.ZERO))
        .isInstanceOf(WaitTimeoutException.class);
    assertThat(Futures.wait(List.of(pending), Duration.ZERO).notDone()).containsExactly(pending);
  }

  @Test
  void aMarkedThreadFailsInWaitAndAsCompletedOnlyWhenTheyWouldBlock() {
    ConcurrentFuture<String> done = Futures.completed("done");
    ConcurrentFuture<String> pending = new ConcurrentFuture<>();
    BlockingGuard.forbidBlocking("TestLoop@3");
    assertThat(Futures.wait(List.of(done, pending), ReturnWhen.FIRST_COMPLETED).done())
        .containsExactly(done);
    assertThatThrownBy(() -> Futures.wait(List.of(done, pending)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Futures.wait");
    FutureIterator<ConcurrentFuture<String>> it = Futures.asCompleted(List.of(done, pending));
    assertThat(it.next()).isSameAs(done);
    assertThatThrownBy(it::next).isInstanceOf(IllegalStateException.class);
    it.close();
    assertThat(pending.rawState()).as("no waiter left behind").isNull();
  }

  @Test
  void aMarkedThreadMayNotWaitForAnExecutorToShutDownButMayCloseAnIdleOne() throws Exception {
    ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    ConcurrentFuture<Boolean> busy =
        executor.submit(
            () -> {
              started.countDown();
              return release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            });
    started.await();
    BlockingGuard.forbidBlocking("TestLoop@4");
    assertThatThrownBy(executor::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shutdown(wait=true)");
    assertThat(executor.isShutdown()).isTrue();
    BlockingGuard.allowBlocking();
    release.countDown();
    assertThat(busy.result()).isTrue();
    executor.close();

    ThreadPoolFutureExecutor idle = new ThreadPoolFutureExecutor(1); // issue 14
    BlockingGuard.forbidBlocking("TestLoop@4");
    idle.close(); // nothing to wait for
    assertThat(idle.isShutdown()).isTrue();
  }

  @Test // issue 14: the asyncio docs' run_in_executor example closes its pool right after a result
  void aMarkedThreadMayCloseAnExecutorWhoseTaskEndedWhileItsWorkerStillRunsCallbacks()
      throws Exception {
    ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(1);
    java.util.concurrent.CountDownLatch inCallback = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    ConcurrentFuture<String> f =
        executor.submit(
            () -> {
              go.await(10, TimeUnit.SECONDS);
              return "result";
            });
    // The worker completes the future and then runs this callback: the task is over, but the
    // worker is not back on the queue yet (as while it hands the result to an event loop).
    f.addDoneCallback(
        done -> {
          inCallback.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    go.countDown();
    assertThat(inCallback.await(10, TimeUnit.SECONDS)).isTrue();
    BlockingGuard.forbidBlocking("TestLoop@6");
    try {
      executor.close(); // nothing left to wait for: no task is unfinished
      assertThat(executor.isShutdown()).isTrue();
    } finally {
      BlockingGuard.allowBlocking();
      release.countDown();
    }
    executor.close();
    assertThat(f.result()).isEqualTo("result");
  }

  @Test
  void allowBlockingLiftsTheMarkAndNullOwnerIsRejected() {
    BlockingGuard.forbidBlocking("TestLoop@5");
    BlockingGuard.allowBlocking();
    assertThat(BlockingGuard.blockingForbiddenBy()).isNull();
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    new Thread(() -> f.setResult("late")).start();
    assertThat(f.result(Duration.ofSeconds(10))).isEqualTo("late");
    assertThatThrownBy(() -> BlockingGuard.forbidBlocking(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("owner must not be null");
    assertThat(BlockingGuard.blockingForbiddenBy()).isNull();
  }
}
