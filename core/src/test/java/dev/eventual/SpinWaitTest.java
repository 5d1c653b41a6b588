package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SpinWait}: a back-off that never blocks, so a wait built on it ends with the store. */
@Timeout(30)
class SpinWaitTest {

  @Test
  void pauseNeverBlocksInEitherPhase() {
    Thread.interrupted();
    for (int round = 0; round < 100_000; round++) {
      SpinWait.pause(round); // spinning, then yielding: never parks, never sleeps
    }
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aWaitBuiltOnPauseEndsOnceAnotherThreadStores() throws Exception {
    AtomicBoolean stored = new AtomicBoolean();
    Thread writer =
        new Thread(
            () -> {
              try {
                Thread.sleep(20); // the waiter is well into its yielding phase by now
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              stored.set(true);
            });
    writer.start();
    int rounds = 0;
    while (!stored.get()) {
      SpinWait.pause(rounds++);
    }
    writer.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(rounds).isGreaterThan(SpinWait.SPINS_BEFORE_YIELD);
  }
}
