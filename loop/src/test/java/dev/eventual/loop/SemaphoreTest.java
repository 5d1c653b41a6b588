package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ports CPython's {@code Lib/test/test_asyncio/test_locks.py}, {@code SemaphoreTests}. */
@Timeout(10)
class SemaphoreTest extends LoopTaskFixture {
  private static TaskBody<Boolean> acquireAndRecord(Semaphore sem, List<Integer> result, int n) {
    return () -> {
      sem.acquire();
      result.add(n);
      return true;
    };
  }

  @Test // test_locks.py: SemaphoreTests.test_initial_value_zero
  void aSemaphoreWithNoPermitIsLocked() {
    assertThat(new Semaphore(0).isLocked()).isTrue();
  }

  @Test // test_locks.py: SemaphoreTests.test_repr
  void toStringShowsValueAndWaiters() {
    Semaphore sem = new Semaphore();
    assertThat(sem).hasToString("Semaphore[unlocked, value:1]");
    run(
        () -> {
          sem.acquire();
          assertThat(sem).hasToString("Semaphore[locked]");
          Task<Boolean> t1 = Asyncio.createTask(sem::acquire);
          Task<Boolean> t2 = Asyncio.createTask(sem::acquire);
          yieldOnce();
          assertThat(sem).hasToString("Semaphore[locked, waiters:2]");
          t1.cancel();
          t2.cancel();
          Await.await(Asyncio.gather(List.of(t1, t2), true));
          return null;
        });
  }

  @Test // test_locks.py: SemaphoreTests.test_semaphore
  void aNewSemaphoreHasOnePermit() {
    Semaphore sem = new Semaphore();
    assertThat(sem.value()).isEqualTo(1);
    assertThat(sem.isLocked()).isFalse();
  }

  @Test // test_locks.py: SemaphoreTests.test_semaphore_value
  void aNegativeInitialValueIsRefused() {
    assertThatThrownBy(() -> new Semaphore(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Semaphore initial value must be >= 0");
  }

  @Test // test_locks.py: SemaphoreTests.test_acquire
  void releasesHandPermitsToWaitersInOrder() {
    Semaphore sem = new Semaphore(3);
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          assertThat(sem.acquire()).isTrue();
          assertThat(sem.acquire()).isTrue();
          assertThat(sem.isLocked()).isFalse();
          Task<Boolean> t1 = Asyncio.createTask(acquireAndRecord(sem, result, 1));
          Task<Boolean> t2 = Asyncio.createTask(acquireAndRecord(sem, result, 2));
          Task<Boolean> t3 = Asyncio.createTask(acquireAndRecord(sem, result, 3));
          yieldOnce();
          assertThat(result).containsExactly(1);
          assertThat(sem.isLocked()).isTrue();
          assertThat(sem).hasToString("Semaphore[locked, waiters:2]");
          assertThat(sem.value()).isZero();

          Task<Boolean> t4 = Asyncio.createTask(acquireAndRecord(sem, result, 4));
          sem.release();
          sem.release();
          assertThat(sem.value()).isZero();
          yieldOnce();
          assertThat(sem.value()).isZero();
          assertThat(result).hasSize(3);
          assertThat(sem.isLocked()).isTrue();
          assertThat(sem).hasToString("Semaphore[locked, waiters:1]");
          assertThat(t1.result()).isTrue();
          List<Task<Boolean>> race = List.of(t2, t3, t4);
          assertThat(race.stream().filter(LoopFuture::isDone).count()).isEqualTo(2);
          sem.release();
          Await.await(Asyncio.gather(race));
          return null;
        });
  }

  @Test // test_locks.py: SemaphoreTests.test_acquire_cancel
  void aCancelledAcquireLeavesNoPendingWaiter() {
    Semaphore sem = new Semaphore();
    run(
        () -> {
          sem.acquire();
          Task<Boolean> acquire = Asyncio.createTask(sem::acquire);
          loop.callSoon(acquire::cancel);
          assertThatThrownBy(() -> Await.await(acquire)).isInstanceOf(CancellationException.class);
          assertThat(sem).hasToString("Semaphore[locked]");
          return null;
        });
  }

  @Test // test_locks.py: SemaphoreTests.test_acquire_cancel_before_awoken
  void waitersCancelledBeforeTheReleaseDoNotTakeThePermit() {
    Semaphore sem = new Semaphore(0);
    run(
        () -> {
          Task<Boolean> t1 = Asyncio.createTask(sem::acquire);
          Task<Boolean> t2 = Asyncio.createTask(sem::acquire);
          Task<Boolean> t3 = Asyncio.createTask(sem::acquire);
          Task<Boolean> t4 = Asyncio.createTask(sem::acquire);
          yieldOnce();
          t1.cancel();
          t2.cancel();
          sem.release();
          yieldOnce();
          yieldOnce();
          assertThat(t3.isDone()).isTrue();
          assertThat(t4.isDone()).isFalse();
          t3.cancel();
          t4.cancel();
          yieldOnce();
          return null;
        });
  }

  @Test // test_locks.py: SemaphoreTests.test_acquire_hang
  void aReleaseAfterTheFirstWaiterIsCancelledWakesTheSecond() {
    Semaphore sem = new Semaphore(0);
    run(
        () -> {
          Task<Boolean> t1 = Asyncio.createTask(sem::acquire);
          Task<Boolean> t2 = Asyncio.createTask(sem::acquire);
          yieldOnce();
          t1.cancel();
          sem.release();
          yieldOnce();
          yieldOnce();
          assertThat(sem.isLocked()).isTrue();
          assertThat(t2.isDone()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: SemaphoreTests.test_acquire_no_hang
  void aWaiterCancelledAfterItWasHandedThePermitGivesItBack() {
    Semaphore sem = new Semaphore(1);
    List<Task<?>> t2Holder = new ArrayList<>();
    run(
        () -> {
          Task<Void> t1 =
              Asyncio.createTask(
                  () -> {
                    try (Held held = sem.hold()) {
                      yieldOnce();
                    }
                    t2Holder.get(0).cancel();
                    return null;
                  });
          Task<Void> t2 =
              Asyncio.createTask(
                  () -> {
                    try (Held held = sem.hold()) {
                      throw new AssertionError("must not get the permit");
                    }
                  });
          t2Holder.add(t2);
          List<Object> results = Await.await(Asyncio.gather(List.of(t1, t2), true));
          assertThat(results.get(0)).isNull();
          assertThat(results.get(1)).isInstanceOf(CancellationException.class);
          Asyncio.waitFor(sem::acquire, Duration.ofSeconds(1));
          return null;
        });
  }

  @Test // test_locks.py: SemaphoreTests.test_release_no_waiters
  void releaseWithoutWaitersUnlocks() {
    Semaphore sem = new Semaphore();
    sem.acquire();
    assertThat(sem.isLocked()).isTrue();
    sem.release();
    assertThat(sem.isLocked()).isFalse();
  }

  @Test // test_locks.py: SemaphoreTests.test_acquire_fifo_order
  void tasksThatReacquireQueueBehindTheOthers() {
    Semaphore sem = new Semaphore(1);
    List<String> result = new ArrayList<>();
    run(
        () -> {
          List<Task<Void>> tasks = new ArrayList<>();
          for (String tag : List.of("c1", "c2", "c3")) {
            tasks.add(
                Asyncio.createTask(
                    () -> {
                      sem.acquire();
                      result.add(tag + "_1");
                      Asyncio.sleep(Duration.ofMillis(10));
                      sem.release();
                      sem.acquire();
                      result.add(tag + "_2");
                      Asyncio.sleep(Duration.ofMillis(10));
                      sem.release();
                      return null;
                    }));
          }
          Await.await(Asyncio.gather(tasks));
          return null;
        });
    assertThat(result).containsExactly("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2");
  }

  @Test // test_locks.py: SemaphoreTests.test_acquire_fifo_order_2
  void aTaskThatReleasesAndReacquiresGoesToTheBackOfTheLine() {
    Semaphore sem = new Semaphore(1);
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          Task<Boolean> t1 = Asyncio.createTask(acquireAndRecord(sem, result, 1));
          Task<Boolean> t2 =
              Asyncio.createTask(
                  () -> {
                    sem.acquire();
                    result.add(2);
                    sem.release();
                    sem.acquire();
                    result.add(4);
                    return true;
                  });
          Task<Boolean> t3 = Asyncio.createTask(acquireAndRecord(sem, result, 3));
          yieldOnce();
          sem.release();
          sem.release();
          Await.await(Asyncio.gather(List.of(t1, t2, t3)));
          return null;
        });
    assertThat(result).containsExactly(1, 2, 3, 4);
  }

  @Test // test_locks.py: SemaphoreTests.test_acquire_fifo_order_3
  void aWaiterCancelledBeforeAnyReleaseIsSkipped() {
    Semaphore sem = new Semaphore(0);
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          Task<Boolean> t1 = Asyncio.createTask(acquireAndRecord(sem, result, 1));
          Task<Boolean> t2 = Asyncio.createTask(acquireAndRecord(sem, result, 2));
          Task<Boolean> t3 = Asyncio.createTask(acquireAndRecord(sem, result, 3));
          yieldOnce();
          t1.cancel();
          yieldOnce();
          sem.release();
          sem.release();
          Await.await(Asyncio.gather(List.of(t1, t2, t3), true));
          return null;
        });
    assertThat(result).containsExactly(2, 3);
  }

  @Test // test_locks.py: LockTests.test_lock_by_with_statement / test_context_manager (semaphores)
  void holdTakesAndGivesBackAPermit() {
    for (Semaphore sem : List.of(new Semaphore(), new BoundedSemaphore())) {
      run(
          () -> {
            try (Held held = sem.hold()) {
              assertThat(sem.isLocked()).isTrue();
            }
            assertThat(sem.isLocked()).isFalse();
            assertThat(sem.value()).isEqualTo(1);
            return null;
          });
    }
  }

  @Test // issue 14: a plain semaphore may be released beyond its initial value (as Python's)
  void aPlainSemaphoreGrowsOnExtraReleases() {
    Semaphore sem = new Semaphore(1);
    sem.release();
    assertThat(sem.value()).isEqualTo(2);
  }
}
