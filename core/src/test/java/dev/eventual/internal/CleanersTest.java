package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureState;
import java.lang.ref.Cleaner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Cleaners}: the one cleaner of both kinds of future, and what happens without its thread.
 */
@Timeout(60)
class CleanersTest {
  private static final OutOfMemoryError NO_THREAD =
      new OutOfMemoryError("unable to create native thread");

  @Test
  void anActionRunsOnceItsObjectIsCollected() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    register(ran);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!ran.await(10, TimeUnit.MILLISECONDS)) {
      assertThat(System.nanoTime()).as("collected within 30 s").isLessThan(deadline);
      System.gc();
    }
  }

  private static void register(CountDownLatch ran) {
    assertThat(Cleaners.register(new Object(), ran::countDown)).isNotNull();
  }

  @Test
  void cleaningEarlyRunsTheActionOnceAndNeverAgain() {
    AtomicInteger runs = new AtomicInteger();
    Object watched = new Object();
    Cleaner.Cleanable c = Cleaners.register(watched, runs::incrementAndGet);
    c.clean();
    c.clean();
    assertThat(runs).hasValue(1);
    assertThat(watched).isNotNull();
  }

  @Test
  void withoutAThreadNothingIsWatchedAndTheNextUseTriesAgain() {
    AtomicInteger attempts = new AtomicInteger();
    Cleaners.Lazy lazy =
        new Cleaners.Lazy(
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw NO_THREAD;
              }
              return Cleaner.create();
            });
    assertThat(lazy.register(new Object(), () -> {})).isNull();
    assertThat(lazy.register(new Object(), () -> {})).isNotNull();
    assertThat(lazy.register(new Object(), () -> {})).isNotNull();
    assertThat(attempts).hasValue(2); // created once it could be, then kept
  }

  // issue 19: the loop's cleaner tolerated a thread it could not start, core's did not: its
  // setException threw OutOfMemoryError after completing the future, and NoClassDefFoundError for
  // every failure after that (shown on the old code with an address-space limit; see
  // docs/reliability.md). One cleaner now serves both, with the loop's tolerance.
  @Test
  void aFutureFailsNormallyWhileNoCleanerThreadCanStart() {
    Cleaners.Lazy real = Cleaners.shared;
    Cleaners.shared =
        new Cleaners.Lazy(
            () -> {
              throw NO_THREAD;
            });
    try {
      ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
      IllegalStateException boom = new IllegalStateException("boom");
      f.setException(boom);
      assertThat(f.futureState()).isEqualTo(FutureState.FINISHED);
      assertThat(f.exception()).isSameAs(boom);
    } finally {
      Cleaners.shared = real;
    }
    ConcurrentFuture<Integer> later = new ConcurrentFuture<>();
    later.setException(new IllegalStateException("later"));
    assertThat(later.isDone()).isTrue();
    later.exception();
  }
}
