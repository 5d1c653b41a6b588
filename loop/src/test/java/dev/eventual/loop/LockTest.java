package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ports CPython's {@code Lib/test/test_asyncio/test_locks.py}, {@code LockTests}. */
@Timeout(10)
class LockTest extends LoopTaskFixture {
  @Test // test_locks.py: LockTests.test_repr
  void toStringShowsLockedAndWaiters() {
    Lock lock = new Lock();
    assertThat(lock).hasToString("Lock[unlocked]");
    run(
        () -> {
          lock.acquire();
          assertThat(lock).hasToString("Lock[locked]");
          Task<Boolean> t = Asyncio.createTask(lock::acquire);
          yieldOnce();
          assertThat(lock).hasToString("Lock[locked, waiters:1]");
          t.cancel();
          yieldOnce();
          return null;
        });
  }

  @Test // test_locks.py: LockTests.test_lock
  void aNewLockIsUnlocked() {
    assertThat(new Lock().isLocked()).isFalse();
  }

  @Test // test_locks.py: LockTests.test_acquire
  void waitersAcquireInFifoOrderOneReleaseAtATime() {
    Lock lock = new Lock();
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          assertThat(lock.acquire()).isTrue();
          Task<Boolean> t1 = Asyncio.createTask(() -> lock.acquire() && result.add(1));
          Task<Boolean> t2 = Asyncio.createTask(() -> lock.acquire() && result.add(2));
          yieldOnce();
          assertThat(result).isEmpty();
          lock.release();
          yieldOnce();
          assertThat(result).containsExactly(1);
          yieldOnce();
          assertThat(result).containsExactly(1);
          Task<Boolean> t3 = Asyncio.createTask(() -> lock.acquire() && result.add(3));
          lock.release();
          yieldOnce();
          assertThat(result).containsExactly(1, 2);
          lock.release();
          yieldOnce();
          assertThat(result).containsExactly(1, 2, 3);
          assertThat(t1.result()).isTrue();
          assertThat(t2.result()).isTrue();
          assertThat(t3.result()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: LockTests.test_acquire_cancel
  void aCancelledAcquireLeavesNoWaiter() {
    Lock lock = new Lock();
    run(
        () -> {
          lock.acquire();
          Task<Boolean> task = Asyncio.createTask(lock::acquire);
          loop.callSoon(task::cancel);
          assertThatThrownBy(() -> Await.await(task)).isInstanceOf(CancellationException.class);
          assertThat(lock).hasToString("Lock[locked]");
          return null;
        });
  }

  @Test // test_locks.py: LockTests.test_cancel_race
  void aReleaseSkipsAWaiterCancelledInTheSameTurn() {
    Lock lock = new Lock();
    run(
        () -> {
          LoopFuture<Void> fa = loop.createFuture();
          Task<Void> ta = Asyncio.createTask(() -> lockIt(lock, fa));
          yieldOnce();
          assertThat(lock.isLocked()).isTrue();
          Task<Void> tb = Asyncio.createTask(() -> lockIt(lock, null));
          yieldOnce();
          assertThat(lock).hasToString("Lock[locked, waiters:1]");
          Task<Void> tc = Asyncio.createTask(() -> lockIt(lock, null));
          yieldOnce();
          assertThat(lock).hasToString("Lock[locked, waiters:2]");
          fa.setResult(null);
          tb.cancel();
          yieldOnce();
          assertThat(lock.isLocked()).isFalse();
          assertThat(ta.isDone()).isTrue();
          assertThat(tb.isCancelled()).isTrue();
          Await.await(tc);
          return null;
        });
  }

  private static Void lockIt(Lock lock, LoopFuture<Void> blocker) {
    lock.acquire();
    try {
      if (blocker != null) {
        Await.await(blocker);
      }
    } finally {
      lock.release();
    }
    return null;
  }

  @Test // test_locks.py: LockTests.test_cancel_release_race (bpo-32734)
  void cancellingTheFirstWaiterWhileReleasingLetsExactlyOneTaskIn() {
    Lock lock = new Lock();
    int[] lockCount = {0};
    int[] callCount = {0};
    run(
        () -> {
          lock.acquire();
          TaskBody<Void> lockIt =
              () -> {
                callCount[0]++;
                lock.acquire();
                lockCount[0]++;
                return null;
              };
          Task<Void> t1 = Asyncio.createTask(lockIt);
          Task<Void> t2 = Asyncio.createTask(lockIt);
          Task<Void> t3 = Asyncio.createTask(lockIt);
          yieldOnce();
          loop.callSoon(
              () -> {
                t1.cancel();
                lock.release();
              });
          assertThatThrownBy(() -> Await.await(t1)).isInstanceOf(CancellationException.class);
          assertThat(lockCount[0]).isEqualTo(1);
          assertThat(callCount[0]).isEqualTo(3);
          assertThat(t1.isCancelled() && t2.isDone()).isTrue();
          t3.cancel();
          yieldOnce();
          assertThat(t3.isCancelled()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: LockTests.test_finished_waiter_cancelled
  void aWaiterCancelledAfterItWasWokenPassesTheLockOn() {
    Lock lock = new Lock();
    run(
        () -> {
          lock.acquire();
          Task<Boolean> tb = Asyncio.createTask(lock::acquire);
          yieldOnce();
          assertThat(lock).hasToString("Lock[locked, waiters:1]");
          Task<Boolean> tc = Asyncio.createTask(lock::acquire);
          tb.cancel();
          lock.release();
          yieldOnce();
          assertThat(lock.isLocked()).isTrue();
          assertThat(tb.isCancelled()).isTrue();
          assertThat(Await.await(tc)).isTrue();
          return null;
        });
  }

  @Test // issue 14: a waiter woken by release() and then cancelled does not lose the wake-up
  void aWokenWaiterCancelledBeforeItRunsWakesTheNextOne() {
    Lock lock = new Lock();
    List<String> got = new ArrayList<>();
    run(
        () -> {
          lock.acquire();
          Task<Boolean> tb = Asyncio.createTask(() -> lock.acquire() && got.add("b"));
          Task<Boolean> tc = Asyncio.createTask(() -> lock.acquire() && got.add("c"));
          yieldOnce();
          lock.release(); // wakes b
          tb.cancel(); // b's future is done: the cancel is delivered when b resumes
          Await.await(tc);
          assertThat(got).containsExactly("c");
          assertThat(tb.isCancelled()).isTrue();
          assertThat(lock.isLocked()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: LockTests.test_release_not_acquired
  void releasingAnUnlockedLockRaises() {
    Lock lock = new Lock();
    assertThatThrownBy(lock::release)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Lock is not acquired.");
    assertThat(lock.isLocked()).isFalse();
  }

  @Test // test_locks.py: LockTests.test_release_no_waiters
  void releaseWithoutWaitersUnlocks() {
    Lock lock = new Lock();
    run(
        () -> {
          lock.acquire();
          assertThat(lock.isLocked()).isTrue();
          lock.release();
          assertThat(lock.isLocked()).isFalse();
          return null;
        });
  }

  @Test // test_locks.py: LockTests.test_context_manager
  void holdIsReleasedAtTheEndOfTheTryBlock() {
    Lock lock = new Lock();
    run(
        () -> {
          try (Held held = lock.hold()) {
            assertThat(lock.isLocked()).isTrue();
          }
          assertThat(lock.isLocked()).isFalse();
          return null;
        });
  }

  @Test // issue 14: a Held closed twice releases once
  void closingAHoldTwiceReleasesOnce() {
    Lock lock = new Lock();
    Held held = lock.hold();
    held.close();
    lock.acquire();
    held.close();
    assertThat(lock.isLocked()).isTrue();
  }

  @Test // test_locks.py: ConditionTests.test_ambiguous_loops (the lock's side)
  void aLockBoundToOneLoopRefusesToWaitOnAnother() {
    Lock lock = new Lock();
    run(
        () -> {
          lock.acquire();
          Task<Boolean> t = Asyncio.createTask(lock::acquire);
          yieldOnce();
          t.cancel();
          yieldOnce();
          return null;
        });
    try (EventLoop other = new EventLoop()) {
      Task<Boolean> t = other.createTask(lock::acquire);
      assertThatThrownBy(() -> other.runUntilComplete(t))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is bound to a different event loop");
    }
  }

  @Test // issue 14: an acquire that must wait outside a task fails clearly, leaving no waiter
  void anAcquireThatMustWaitOutsideATaskFails() {
    Lock lock = new Lock();
    lock.acquire();
    assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class);
    assertThat(lock).hasToString("Lock[locked]");
  }
}
