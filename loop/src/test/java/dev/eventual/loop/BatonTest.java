package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatonTest {
  @Test
  void aPermitReleasedBeforehandIsTakenAtOnce() {
    Baton baton = new Baton();
    baton.release();

    baton.acquire(); // returns: the permit was waiting
  }

  @Test
  void acquireWaitsUntilAnotherThreadReleases() throws InterruptedException {
    Baton baton = new Baton();
    AtomicBoolean taken = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Thread waiter =
        new Thread(
            () -> {
              started.countDown();
              baton.acquire();
              taken.set(true);
            });
    waiter.start();
    started.await();
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // long past the spinning
    assertThat(taken).isFalse();

    baton.release();
    waiter.join();

    assertThat(taken).isTrue();
  }

  @Test
  void anInterruptWhileWaitingIsKeptAndSetAgainAfterThePermitIsTaken() throws InterruptedException {
    Baton baton = new Baton();
    AtomicBoolean flagAfter = new AtomicBoolean();
    AtomicBoolean parkedWhileInterrupted = new AtomicBoolean(true);
    Thread waiter =
        new Thread(
            () -> {
              baton.acquire();
              flagAfter.set(Thread.currentThread().isInterrupted());
            });
    waiter.start();
    while (waiter.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    waiter.interrupt();
    // the waiter must go back to waiting, not spin on its interrupt flag
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (waiter.getState() != Thread.State.WAITING) {
      if (System.nanoTime() > deadline) {
        parkedWhileInterrupted.set(false);
        break;
      }
      Thread.onSpinWait();
    }

    baton.release();
    waiter.join();

    assertThat(parkedWhileInterrupted).isTrue();
    assertThat(flagAfter).isTrue();
  }

  @Test
  void twoThreadsPassingPermitsBackAndForthNeverLoseOne() throws InterruptedException {
    Baton toB = new Baton();
    Baton toA = new Baton();
    int rounds = 200_000;
    AtomicInteger bTurns = new AtomicInteger();
    Thread b =
        new Thread(
            () -> {
              for (int i = 0; i < rounds; i++) {
                toB.acquire();
                bTurns.incrementAndGet();
                toA.release();
              }
            });
    b.start();
    for (int i = 0; i < rounds; i++) {
      toB.release();
      toA.acquire();
      assertThat(bTurns.get()).isEqualTo(i + 1); // b's turn happened before a's came back
    }
    b.join();
  }
}
