package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import dev.eventual.FutureIterator;
import dev.eventual.Futures;
import dev.eventual.ThreadPoolFutureExecutor;
import dev.eventual.WaitInterruptedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * A thread interrupted while blocked gets what each method documents: the Python-named waits throw
 * {@link WaitInterruptedException} with the interrupt flag set again, the JDK's {@code get} throws
 * {@link InterruptedException} (flag cleared, as the JDK does). A pool worker never carries an
 * interrupt from one task into the next.
 */
class InterruptTest {
  private static final Duration LONG = Duration.ofMinutes(5);

  /**
   * Runs {@code blocking} on a new thread, interrupts it once it is parked, returns the outcome.
   */
  private static Outcome interruptWhileBlocked(Executable blocking) throws Exception {
    AtomicReference<Outcome> outcome = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              Throwable thrown = null;
              try {
                blocking.execute();
              } catch (Throwable e) {
                thrown = e;
              }
              outcome.set(new Outcome(thrown, Thread.currentThread().isInterrupted()));
            });
    t.start();
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
      Thread.sleep(1);
    }
    t.interrupt();
    t.join();
    return outcome.get();
  }

  private static final class Outcome {
    final Throwable thrown;
    final boolean flagSet;

    Outcome(Throwable thrown, boolean flagSet) {
      this.thrown = thrown;
      this.flagSet = flagSet;
    }
  }

  private static void assertWaitInterrupted(Outcome o) {
    assertThat(o.thrown).isInstanceOf(WaitInterruptedException.class);
    assertThat(o.flagSet).as("interrupt flag set again").isTrue();
  }

  @Test
  @Timeout(30)
  void resultThrowsWaitInterruptedWithFlagSet() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertWaitInterrupted(interruptWhileBlocked(f::result));
    assertWaitInterrupted(interruptWhileBlocked(() -> f.result(LONG)));
    assertWaitInterrupted(interruptWhileBlocked(f::exception));
    assertThat(Internals.rawState(f)).as("waiter removed").isNull();
  }

  @Test
  @Timeout(30)
  void getThrowsInterruptedExceptionAsTheJdkDoes() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Outcome o = interruptWhileBlocked(f::get);
    assertThat(o.thrown).isInstanceOf(InterruptedException.class);
    assertThat(o.flagSet).isFalse();
    o = interruptWhileBlocked(() -> f.get(5, java.util.concurrent.TimeUnit.MINUTES));
    assertThat(o.thrown).isInstanceOf(InterruptedException.class);
    assertThat(Internals.rawState(f)).isNull();
  }

  @Test
  @Timeout(30)
  void futuresWaitThrowsWaitInterruptedWithFlagSet() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertWaitInterrupted(interruptWhileBlocked(() -> Futures.wait(List.of(f))));
    assertWaitInterrupted(interruptWhileBlocked(() -> Futures.wait(List.of(f), LONG)));
    assertThat(Internals.rawState(f)).isNull();
  }

  @Test
  @Timeout(30)
  void asCompletedIterationThrowsWaitInterruptedWithFlagSet() throws Exception {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertWaitInterrupted(interruptWhileBlocked(() -> Futures.asCompleted(List.of(f)).next()));
    assertWaitInterrupted(
        interruptWhileBlocked(() -> Futures.asCompleted(List.of(f), LONG).next()));
    assertThat(Internals.rawState(f)).isNull();
  }

  @Test
  @Timeout(30)
  void shutdownWaitThrowsWaitInterruptedWithFlagSetAndStaysShutDown() throws Exception {
    ThreadPoolFutureExecutor pool = new ThreadPoolFutureExecutor(1);
    CountDownLatch release = new CountDownLatch(1);
    ConcurrentFuture<Object> blocker =
        pool.submit(
            () -> {
              release.await();
              return null;
            });
    try {
      assertWaitInterrupted(interruptWhileBlocked(() -> pool.shutdown(true, false)));
      assertThat(pool.isShutdown()).isTrue();
    } finally {
      release.countDown();
    }
    pool.shutdown(true, false);
    assertThat(blocker.isSuccess()).isTrue();
  }

  @Test
  @Timeout(30)
  void mapIterationThrowsWaitInterruptedWithFlagSet() throws Exception {
    try (ThreadPoolFutureExecutor pool = new ThreadPoolFutureExecutor(2)) {
      CountDownLatch release = new CountDownLatch(1);
      FutureIterator<Integer> results =
          pool.map(
              x -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return x;
              },
              List.of(1, 2));
      try {
        assertWaitInterrupted(interruptWhileBlocked(results::next));
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  @Timeout(60)
  void poolWorkerNeverCarriesAnInterruptIntoTheNextTask() throws Exception {
    for (FutureExecutor executor :
        List.of(
            new ThreadPoolFutureExecutor(1),
            FutureExecutor.wrap(java.util.concurrent.Executors.newSingleThreadExecutor()))) {
      try (executor) {
        for (int i = 0; i < 2_000; i++) {
          executor.submit(() -> Thread.currentThread().interrupt()); // leaves its flag set
          ConcurrentFuture<Boolean> next = executor.submit(() -> Thread.interrupted());
          assertThat(next.result(LONG)).as("task %d saw an interrupt", i).isFalse();
        }
        for (int i = 0; i < 200; i++) {
          CountDownLatch started = new CountDownLatch(1);
          ConcurrentFuture<Object> victim =
              executor.submit(
                  () -> {
                    started.countDown();
                    Thread.sleep(60_000);
                    return null;
                  });
          started.await();
          victim.cancel(true);
          ConcurrentFuture<Boolean> next = executor.submit(() -> Thread.interrupted());
          assertThat(next.result(LONG)).as("task after cancel(true) %d", i).isFalse();
        }
      }
    }
  }
}
