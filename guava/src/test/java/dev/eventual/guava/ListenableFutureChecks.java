package dev.eventual.guava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port of Guava testlib's {@code ListenableFutureTester}: a listener is added before the future
 * completes; once it has, the listener has run exactly once and {@code get} reports the outcome.
 */
final class ListenableFutureChecks {
  private final ListenableFuture<?> future;
  private final CountDownLatch latch = new CountDownLatch(1);
  private final AtomicInteger calls = new AtomicInteger();

  ListenableFutureChecks(ListenableFuture<?> future) {
    this.future = future;
    future.addListener(
        () -> {
          calls.incrementAndGet();
          latch.countDown();
        },
        MoreExecutors.directExecutor());
  }

  private void awaitListener() throws InterruptedException {
    assertThat(latch.await(10, TimeUnit.SECONDS)).as("listener ran").isTrue();
    assertThat(calls).hasValue(1);
  }

  // ListenableFutureTester.testCompletedFuture
  void completedWith(Object expected) throws Exception {
    awaitListener();
    assertThat(future.isDone()).isTrue();
    assertThat(future.isCancelled()).isFalse();
    assertThat(future.get()).isEqualTo(expected);
  }

  // ListenableFutureTester.testCancelledFuture
  void cancelled() throws Exception {
    awaitListener();
    assertThat(future.isDone()).isTrue();
    assertThat(future.isCancelled()).isTrue();
    assertThatThrownBy(future::get).isInstanceOf(CancellationException.class);
  }

  // ListenableFutureTester.testFailedFuture
  void failedWith(Throwable expected) throws Exception {
    awaitListener();
    assertThat(future.isDone()).isTrue();
    assertThat(future.isCancelled()).isFalse();
    assertThatThrownBy(future::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(expected);
  }
}
