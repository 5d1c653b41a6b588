package dev.eventual.guava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.eventual.ConcurrentFuture;
import dev.eventual.ThreadPoolFutureExecutor;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ConcurrentFuture to ListenableFuture. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ListenableAdapterTest {

  @Test // Guava ListenableFutureTester.testCompletedFuture
  void takesTheSourcesResult() throws Exception {
    ConcurrentFuture<String> source = new ConcurrentFuture<>();
    ListenableFuture<String> lf = GuavaFutures.toListenableFuture(source);
    ListenableFutureChecks checks = new ListenableFutureChecks(lf);
    assertThat(lf.isDone()).isFalse();
    source.setResult("done");
    checks.completedWith("done");
  }

  @Test // Guava ListenableFutureTester.testFailedFuture
  void takesTheSourcesVeryExceptionAndCountsItRetrieved() throws Exception {
    ConcurrentFuture<String> source = new ConcurrentFuture<>();
    ListenableFuture<String> lf = GuavaFutures.toListenableFuture(source);
    ListenableFutureChecks checks = new ListenableFutureChecks(lf);
    IOException boom = new IOException("boom");
    source.setException(boom);
    checks.failedWith(boom);
  }

  @Test // Guava ListenableFutureTester.testCancelledFuture
  void aCancelledSourceCancelsIt() throws Exception {
    ConcurrentFuture<String> source = new ConcurrentFuture<>();
    ListenableFuture<String> lf = GuavaFutures.toListenableFuture(source);
    ListenableFutureChecks checks = new ListenableFutureChecks(lf);
    source.cancel("stop");
    checks.cancelled();
  }

  @Test // Guava AbstractFutureTest.testCancel_notDoneNoInterrupt
  void cancellingItCancelsThePendingSource() throws Exception {
    ConcurrentFuture<String> source = new ConcurrentFuture<>();
    ListenableFuture<String> lf = GuavaFutures.toListenableFuture(source);
    ListenableFutureChecks checks = new ListenableFutureChecks(lf);
    assertThat(lf.cancel(false)).isTrue();
    checks.cancelled();
    assertThat(source.isCancelled()).isTrue();
  }

  @Test // Guava AbstractFutureTest.testCancel_done
  void cancelAfterTheSourceFinishedFailsAndChangesNothing() throws Exception {
    ConcurrentFuture<String> source = new ConcurrentFuture<>();
    ListenableFuture<String> lf = GuavaFutures.toListenableFuture(source);
    source.setResult("first");
    assertThat(lf.cancel(true)).isFalse();
    assertThat(lf.get()).isEqualTo("first");
    assertThat(source.result()).isEqualTo("first");
  }

  @Test // Guava AbstractFutureTest.testCancel_notDoneInterrupt, with a real running task
  void cancelTrueInterruptsTheExecutorsRunningTask() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(1)) {
      ConcurrentFuture<String> task =
          executor.submit(
              () -> {
                started.countDown();
                try {
                  Thread.sleep(60_000);
                  return "slept";
                } catch (InterruptedException e) {
                  interrupted.countDown();
                  throw e;
                }
              });
      ListenableFuture<String> lf = GuavaFutures.toListenableFuture(task);
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(lf.cancel(true)).isTrue();
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(task.isCancelled()).isTrue();
    }
  }

  @Test
  void cancelFalseAbandonsTheRunningTaskWithoutInterruptingIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean sawInterrupt = new AtomicBoolean();
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(1)) {
      ConcurrentFuture<String> task =
          executor.submit(
              () -> {
                started.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  sawInterrupt.set(true);
                }
                return "done";
              });
      ListenableFuture<String> lf = GuavaFutures.toListenableFuture(task);
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(lf.cancel(false)).isTrue();
      assertThat(task.isCancelled()).isTrue();
      release.countDown();
    }
    assertThat(sawInterrupt).isFalse();
  }

  @Test
  void cancellingItKeepsAQueuedTaskFromEverRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean ran = new AtomicBoolean();
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(1)) {
      executor.submit(() -> release.await(10, TimeUnit.SECONDS));
      ListenableFuture<?> queued =
          GuavaFutures.toListenableFuture(executor.submit(() -> ran.set(true)));
      assertThat(queued.cancel(true)).isTrue();
      release.countDown();
    }
    assertThat(ran).isFalse();
  }

  @Test // Guava AbstractFutureTest.testToString_pending (the source is described)
  void toStringOfAPendingAdapterNamesItsSource() {
    ConcurrentFuture<String> source = new ConcurrentFuture<>();
    assertThat(GuavaFutures.toListenableFuture(source).toString())
        .contains("PENDING")
        .contains("source=[ConcurrentFuture@");
  }

  /**
   * The source completes while the adapter is cancelled, each from its own thread, many times:
   * every future ends exactly once (one listener call, one callback call) and both sides agree.
   */
  @Test
  void completeAndCancelRacingEndBothSidesTheSameWayExactlyOnce() throws Exception {
    int rounds = 2_000;
    @SuppressWarnings({"unchecked", "rawtypes"})
    ConcurrentFuture<Integer>[] sources = new ConcurrentFuture[1];
    @SuppressWarnings({"unchecked", "rawtypes"})
    ListenableFuture<Integer>[] adapters = new ListenableFuture[1];
    AtomicInteger listenerCalls = new AtomicInteger();
    AtomicInteger callbackCalls = new AtomicInteger();
    AtomicInteger cancelledRounds = new AtomicInteger();
    Races.run(
        rounds,
        r -> {
          listenerCalls.set(0);
          callbackCalls.set(0);
          ConcurrentFuture<Integer> source = new ConcurrentFuture<>();
          ListenableFuture<Integer> lf = GuavaFutures.toListenableFuture(source);
          source.addDoneCallback(f -> callbackCalls.incrementAndGet());
          lf.addListener(listenerCalls::incrementAndGet, MoreExecutors.directExecutor());
          sources[0] = source;
          adapters[0] = lf;
          Runnable complete =
              r % 3 == 0 ? () -> source.cancel("source cancelled") : () -> source.trySetResult(r);
          Runnable cancel = () -> lf.cancel(r % 2 == 0);
          return new Runnable[] {complete, cancel};
        },
        r -> {
          ConcurrentFuture<Integer> source = sources[0];
          ListenableFuture<Integer> lf = adapters[0];
          assertThat(source.isDone()).isTrue();
          assertThat(lf.isDone()).isTrue();
          assertThat(lf.isCancelled()).as("round %d", r).isEqualTo(source.isCancelled());
          if (source.isCancelled()) {
            cancelledRounds.incrementAndGet();
            assertThatThrownBy(lf::get).isInstanceOf(CancellationException.class);
          } else {
            assertThat(source.result()).isEqualTo(r);
            try {
              assertThat(lf.get()).isEqualTo(r);
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          }
          assertThat(listenerCalls).hasValue(1);
          assertThat(callbackCalls).hasValue(1);
        });
    assertThat(cancelledRounds.get()).isBetween(rounds / 3, rounds);
  }
}
