package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ports CPython's {@code Lib/test/test_asyncio/test_locks.py}, {@code ConditionTests}. */
@Timeout(10)
class ConditionTest extends LoopTaskFixture {
  private static TaskBody<Boolean> waitAndRecord(Condition cond, List<Integer> result, int n) {
    return () -> {
      cond.acquire();
      if (cond.await()) {
        result.add(n);
      }
      return true;
    };
  }

  private static TaskBody<Boolean> waitRecordRelease(Condition cond, List<Integer> result, int n) {
    return () -> {
      cond.acquire();
      if (cond.await()) {
        result.add(n);
        cond.release();
      }
      return true;
    };
  }

  private static TaskBody<Boolean> waitHeldAndRecord(Condition cond, List<Integer> result, int n) {
    return () -> {
      try (Held held = cond.hold()) {
        cond.await();
        return result.add(n);
      }
    };
  }

  @Test // test_locks.py: ConditionTests.test_wait
  void signalledWaitersTakeTheLockBackOneByOne() {
    Condition cond = new Condition();
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          Task<Boolean> t1 = Asyncio.createTask(waitAndRecord(cond, result, 1));
          Task<Boolean> t2 = Asyncio.createTask(waitAndRecord(cond, result, 2));
          Task<Boolean> t3 = Asyncio.createTask(waitAndRecord(cond, result, 3));
          yieldOnce();
          assertThat(result).isEmpty();
          assertThat(cond.isLocked()).isFalse();

          assertThat(cond.acquire()).isTrue();
          cond.signal();
          yieldOnce();
          assertThat(result).isEmpty();
          assertThat(cond.isLocked()).isTrue();

          cond.release();
          yieldOnce();
          assertThat(result).containsExactly(1);
          assertThat(cond.isLocked()).isTrue();

          cond.signal(2);
          yieldOnce();
          assertThat(result).containsExactly(1);
          assertThat(cond.isLocked()).isTrue();

          cond.release();
          yieldOnce();
          assertThat(result).containsExactly(1, 2);
          assertThat(cond.isLocked()).isTrue();

          cond.release();
          yieldOnce();
          assertThat(result).containsExactly(1, 2, 3);
          assertThat(cond.isLocked()).isTrue();
          assertThat(t1.result() && t2.result() && t3.result()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: ConditionTests.test_wait_cancel
  void aCancelledWaitTakesTheLockBackAndLeavesNoWaiter() {
    Condition cond = new Condition();
    run(
        () -> {
          cond.acquire();
          Task<Boolean> wait = Asyncio.createTask(cond::await);
          loop.callSoon(wait::cancel);
          assertThatThrownBy(() -> Await.await(wait)).isInstanceOf(CancellationException.class);
          assertThat(cond).hasToString("Condition[locked]");
          assertThat(cond.isLocked()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: ConditionTests.test_wait_cancel_contested
  void aNotifiedWaiterCancelledWhileContestingTheLockStillGetsIt() {
    Condition cond = new Condition();
    run(
        () -> {
          cond.acquire();
          assertThat(cond.isLocked()).isTrue();
          Task<Boolean> waitTask = Asyncio.createTask(cond::await);
          yieldOnce();
          assertThat(cond.isLocked()).isFalse();
          cond.acquire();
          assertThat(cond.isLocked()).isTrue();
          cond.signal();
          loop.callSoon(waitTask::cancel);
          loop.callSoon(cond::release);
          try {
            Await.await(waitTask);
          } catch (CancellationException expected) {
            // CPython: "Should not happen, since no cancellation points"; either way it holds the
            // lock
          }
          assertThat(cond.isLocked()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: ConditionTests.test_wait_cancel_after_notify (bpo-32841)
  void aWaiterCancelledAfterTheNotifyEndsCancelled() {
    Condition cond = new Condition();
    boolean[] waited = {false};
    run(
        () -> {
          Task<Boolean> waiter =
              Asyncio.createTask(
                  () -> {
                    try (Held held = cond.hold()) {
                      waited[0] = true;
                      return cond.await();
                    }
                  });
          yieldOnce();
          cond.acquire();
          cond.signal();
          yieldOnce();
          waiter.cancel();
          yieldOnce();
          cond.release();
          yieldOnce();
          assertThat(waiter.isCancelled()).isTrue();
          assertThat(waited[0]).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: ConditionTests.test_wait_unacquired
  void awaitWithoutTheLockRaises() {
    Condition cond = new Condition();
    assertThatThrownBy(() -> run(cond::await))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot wait on un-acquired lock");
  }

  @Test // test_locks.py: ConditionTests.test_wait_for
  void awaitForReturnsOnlyOnceThePredicateHolds() {
    Condition cond = new Condition();
    boolean[] presult = {false};
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          Task<Boolean> t =
              Asyncio.createTask(
                  () -> {
                    cond.acquire();
                    if (cond.awaitFor(() -> presult[0])) {
                      result.add(1);
                      cond.release();
                    }
                    return true;
                  });
          yieldOnce();
          assertThat(result).isEmpty();
          cond.acquire();
          cond.signal();
          cond.release();
          yieldOnce();
          assertThat(result).isEmpty();
          presult[0] = true;
          cond.acquire();
          cond.signal();
          cond.release();
          yieldOnce();
          assertThat(result).containsExactly(1);
          assertThat(t.result()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: ConditionTests.test_wait_for_unacquired
  void awaitForWithoutTheLockRaisesOnlyIfItMustWait() {
    Condition cond = new Condition();
    assertThat(cond.awaitFor(() -> true)).isTrue();
    assertThatThrownBy(() -> run(() -> cond.awaitFor(() -> false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot wait on un-acquired lock");
  }

  @Test // test_locks.py: ConditionTests.test_notify
  void signalWakesAtMostNWaitersInOrder() {
    Condition cond = new Condition();
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          Task<Boolean> t1 = Asyncio.createTask(waitRecordRelease(cond, result, 1));
          Task<Boolean> t2 = Asyncio.createTask(waitRecordRelease(cond, result, 2));
          Task<Boolean> t3 = Asyncio.createTask(waitRecordRelease(cond, result, 3));
          yieldOnce();
          assertThat(result).isEmpty();
          cond.acquire();
          cond.signal(1);
          cond.release();
          yieldOnce();
          assertThat(result).containsExactly(1);
          cond.acquire();
          cond.signal(1);
          cond.signal(2048);
          cond.release();
          yieldOnce();
          assertThat(result).containsExactly(1, 2, 3);
          assertThat(t1.result() && t2.result() && t3.result()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: ConditionTests.test_notify_all
  void signalAllWakesEveryWaiter() {
    Condition cond = new Condition();
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          Task<Boolean> t1 = Asyncio.createTask(waitRecordRelease(cond, result, 1));
          Task<Boolean> t2 = Asyncio.createTask(waitRecordRelease(cond, result, 2));
          yieldOnce();
          assertThat(result).isEmpty();
          cond.acquire();
          cond.signalAll();
          cond.release();
          yieldOnce();
          assertThat(result).containsExactly(1, 2);
          assertThat(t1.result() && t2.result()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: ConditionTests.test_notify_unacquired, test_notify_all_unacquired
  void signalWithoutTheLockRaises() {
    Condition cond = new Condition();
    assertThatThrownBy(cond::signal)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot notify on un-acquired lock");
    assertThatThrownBy(cond::signalAll)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot notify on un-acquired lock");
  }

  @Test // test_locks.py: ConditionTests.test_repr
  void toStringShowsTheLockAndWaiters() {
    Condition cond = new Condition();
    assertThat(cond).hasToString("Condition[unlocked]");
    run(
        () -> {
          cond.acquire();
          assertThat(cond).hasToString("Condition[locked]");
          TaskBody<Boolean> waitHeld =
              () -> {
                try (Held held = cond.hold()) {
                  return cond.await();
                }
              };
          Task<Boolean> w1 = Asyncio.createTask(waitHeld);
          Task<Boolean> w2 = Asyncio.createTask(waitHeld);
          cond.release();
          yieldOnce();
          yieldOnce();
          assertThat(cond).hasToString("Condition[unlocked, waiters:2]");
          w1.cancel();
          w2.cancel();
          Await.await(Asyncio.gather(List.of(w1, w2), true));
          return null;
        });
  }

  @Test // test_locks.py: ConditionTests.test_context_manager
  void holdTakesAndReleasesTheLock() {
    Condition cond = new Condition();
    run(
        () -> {
          assertThat(cond.isLocked()).isFalse();
          try (Held held = cond.hold()) {
            assertThat(cond.isLocked()).isTrue();
          }
          assertThat(cond.isLocked()).isFalse();
          return null;
        });
  }

  @Test // test_locks.py: ConditionTests.test_explicit_lock
  void aConditionOverAGivenLockSharesItsState() {
    Lock lock = new Lock();
    Condition cond = new Condition(lock);
    assertThat(cond.lock()).isSameAs(lock);
    run(
        () -> {
          try (Held held = cond.hold()) {
            assertThat(lock.isLocked()).isTrue();
          }
          assertThat(lock.isLocked()).isFalse();
          try (Held held = lock.hold()) {
            assertThat(cond.isLocked()).isTrue();
          }
          assertThat(cond.isLocked()).isFalse();
          return null;
        });
    assertThatThrownBy(() -> new Condition(null)).isInstanceOf(NullPointerException.class);
  }

  @Test // test_locks.py: ConditionTests.test_timeout_in_block
  void aTimedOutAwaitTakesTheLockBack() {
    Condition cond = new Condition();
    run(
        () -> {
          try (Held held = cond.hold()) {
            assertThatThrownBy(() -> Asyncio.waitFor(cond::await, Duration.ofMillis(50)))
                .isInstanceOf(dev.eventual.WaitTimeoutException.class);
            assertThat(cond.isLocked()).isTrue();
          }
          return null;
        });
  }

  @Test // CPython 3.13 locks.py Condition.wait: a notified waiter that fails passes the notify on
  void aNotifiedWaiterThatIsCancelledPassesTheNotificationOn() {
    Condition cond = new Condition();
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          Task<Boolean> t1 = Asyncio.createTask(waitHeldAndRecord(cond, result, 1));
          Task<Boolean> t2 = Asyncio.createTask(waitHeldAndRecord(cond, result, 2));
          yieldOnce();
          cond.acquire();
          cond.signal(1); // t1 is notified ...
          t1.cancel(); // ... and cancelled before it runs
          cond.release();
          Await.await(t2);
          assertThat(result).containsExactly(2);
          assertThat(t1.isCancelled()).isTrue();
          assertThat(cond.isLocked()).isFalse();
          return null;
        });
  }

  @Test // issue 14: an await outside a task fails before it touches the lock or the waiters
  void awaitOutsideATaskFailsAndKeepsTheLock() {
    Condition cond = new Condition();
    List<Object> seen = new ArrayList<>();
    run(
        () -> {
          cond.acquire();
          Task<Boolean> queued = Asyncio.createTask(cond::acquire); // waits for the lock
          Asyncio.sleep(Duration.ZERO);
          LoopFuture<Void> done = loop.createFuture();
          loop.callSoon(
              () -> { // a loop callback, not a task: cannot suspend
                try {
                  cond.await();
                } catch (IllegalStateException e) {
                  seen.add(e.getMessage());
                }
                seen.add(cond.isLocked());
                seen.add(queued.isDone());
                done.setResult(null);
              });
          Await.await(done);
          assertThat(cond).hasToString("Condition[locked]");
          cond.release();
          Await.await(queued);
          cond.release();
          return null;
        });
    assertThat(seen.get(0).toString()).contains("must be called inside a task");
    assertThat(seen.subList(1, 3)).containsExactly(true, false);
  }
}
