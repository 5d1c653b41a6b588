package dev.eventual.guava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureState;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ListenableFuture to ConcurrentFuture. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentAdapterTest {

  @Test
  void takesTheSourcesResult() {
    SettableFuture<String> source = SettableFuture.create();
    ConcurrentFuture<String> f = GuavaFutures.toConcurrentFuture(source);
    assertThat(f.futureState()).isEqualTo(FutureState.PENDING);
    source.set("done");
    assertThat(f.result()).isEqualTo("done");
  }

  @Test
  void takesTheSourcesVeryExceptionUnwrapped() {
    SettableFuture<String> source = SettableFuture.create();
    ConcurrentFuture<String> f = GuavaFutures.toConcurrentFuture(source);
    IOException boom = new IOException("boom");
    source.setException(boom);
    assertThat(f.exception()).isSameAs(boom);
    assertThatThrownBy(f::result).isInstanceOf(CompletionException.class).cause().isSameAs(boom);
  }

  @Test
  void aCancelledSourceCancelsIt() {
    SettableFuture<String> source = SettableFuture.create();
    ConcurrentFuture<String> f = GuavaFutures.toConcurrentFuture(source);
    source.cancel(false);
    assertThat(f.isCancelled()).isTrue();
    assertThatThrownBy(f::result).isInstanceOf(CancellationException.class);
  }

  @Test
  void anAlreadyDoneSourceIsCopiedAtOnce() {
    ConcurrentFuture<Integer> f =
        GuavaFutures.toConcurrentFuture(
            com.google.common.util.concurrent.Futures.immediateFuture(7));
    assertThat(f.isDone()).isTrue();
    assertThat(f.result()).isEqualTo(7);
  }

  @Test
  void pythonsCancelCancelsTheSourceWithoutInterrupt() {
    SettableFuture<String> source = SettableFuture.create();
    ConcurrentFuture<String> f = GuavaFutures.toConcurrentFuture(source);
    assertThat(f.cancel("not needed")).isTrue();
    assertThat(source.isCancelled()).isTrue();
    assertThatThrownBy(f::result).hasMessage("not needed");
  }

  @Test // Guava MoreExecutorsTest (listeningDecorator) + AbstractFutureTest: interrupt on cancel
  void cancelTrueInterruptsTheGuavaTaskRunningIt() throws Exception {
    ListeningExecutorService guava =
        MoreExecutors.listeningDecorator(Executors.newSingleThreadExecutor());
    try {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch interrupted = new CountDownLatch(1);
      ListenableFuture<String> task =
          guava.submit(
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
      ConcurrentFuture<String> f = GuavaFutures.toConcurrentFuture(task);
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(f.cancel(true)).isTrue();
      assertThat(task.isCancelled()).isTrue();
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      guava.shutdownNow();
      assertThat(guava.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void cancelFalseDoesNotInterruptTheGuavaTask() throws Exception {
    ListeningExecutorService guava =
        MoreExecutors.listeningDecorator(Executors.newSingleThreadExecutor());
    try {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch finished = new CountDownLatch(1);
      AtomicBoolean sawInterrupt = new AtomicBoolean();
      ListenableFuture<String> task =
          guava.submit(
              () -> {
                started.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  sawInterrupt.set(true);
                }
                finished.countDown();
                return "done";
              });
      ConcurrentFuture<String> f = GuavaFutures.toConcurrentFuture(task);
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(f.cancel(false)).isTrue();
      assertThat(task.isCancelled()).isTrue();
      release.countDown();
      assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(sawInterrupt).isFalse();
    } finally {
      guava.shutdownNow();
      assertThat(guava.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * The Guava source completes (or is cancelled) while the adapter is cancelled, each from its own
   * thread, many times: every future ends exactly once and both sides agree.
   */
  @Test
  void completeAndCancelRacingEndBothSidesTheSameWayExactlyOnce() throws Exception {
    int rounds = 2_000;
    @SuppressWarnings({"unchecked", "rawtypes"})
    SettableFuture<Integer>[] sources = new SettableFuture[1];
    @SuppressWarnings({"unchecked", "rawtypes"})
    ConcurrentFuture<Integer>[] adapters = new ConcurrentFuture[1];
    AtomicInteger listenerCalls = new AtomicInteger();
    AtomicInteger callbackCalls = new AtomicInteger();
    AtomicInteger cancelledRounds = new AtomicInteger();
    Races.run(
        rounds,
        r -> {
          listenerCalls.set(0);
          callbackCalls.set(0);
          SettableFuture<Integer> source = SettableFuture.create();
          ConcurrentFuture<Integer> f = GuavaFutures.toConcurrentFuture(source);
          source.addListener(listenerCalls::incrementAndGet, MoreExecutors.directExecutor());
          f.addDoneCallback(x -> callbackCalls.incrementAndGet());
          sources[0] = source;
          adapters[0] = f;
          Runnable complete = r % 3 == 0 ? () -> source.cancel(true) : () -> source.set(r);
          Runnable cancel =
              switch (r % 4) {
                case 0 -> () -> f.cancel(true);
                case 1 -> () -> f.cancel(false);
                case 2 -> () -> f.cancel("adapter cancelled");
                default -> f::cancel;
              };
          return new Runnable[] {complete, cancel};
        },
        r -> {
          SettableFuture<Integer> source = sources[0];
          ConcurrentFuture<Integer> f = adapters[0];
          assertThat(source.isDone()).isTrue();
          assertThat(f.isDone()).isTrue();
          assertThat(f.isCancelled()).as("round %d", r).isEqualTo(source.isCancelled());
          if (!source.isCancelled()) {
            assertThat(f.result()).isEqualTo(r);
          } else {
            cancelledRounds.incrementAndGet();
          }
          assertThat(listenerCalls).hasValue(1);
          assertThat(callbackCalls).hasValue(1);
        });
    assertThat(cancelledRounds.get()).isBetween(rounds / 3, rounds);
  }
}
