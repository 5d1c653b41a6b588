package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.internal.Failure;
import dev.eventual.internal.NotifyOnlyCallback;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hooks that wait() and asCompleted() build on: push/remove of NotifyOnlyCallbacks, which run
 * on FINISHED or CANCELLED_AND_NOTIFIED but survive a plain cancel (CPython's {@code _waiters} and
 * {@code set_running_or_notify_cancel}).
 */
class NotifyOnlyWaiterTest {

  /** Counts its runs. */
  static final class Waiter extends NotifyOnlyCallback {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public void accept(Object future) {
      runs.incrementAndGet();
    }
  }

  @Test
  void aWaiterRunsWhenTheFutureFinishes() {
    for (boolean alone : new boolean[] {true, false}) {
      ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
      Waiter w = new Waiter();
      if (!alone) {
        f.addDoneCallback(x -> {});
      }
      assertThat(f.push(w)).isTrue();
      f.setResult(1);
      assertThat(w.runs).hasValue(1);
    }
  }

  @Test
  void aWaiterSurvivesAPlainCancelAndRunsOnNotification() {
    for (boolean alone : new boolean[] {true, false}) {
      ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
      AtomicInteger userRuns = new AtomicInteger();
      Waiter w = new Waiter();
      f.push(w);
      if (!alone) {
        f.addDoneCallback(x -> userRuns.incrementAndGet());
      }
      f.cancel("stop");
      assertThat(w.runs).hasValue(0);
      assertThat(userRuns).hasValue(alone ? 0 : 1);
      assertThat(ConcurrentFuture.isDone(f.rawState())).isTrue();
      assertThat(ConcurrentFuture.isSettled(f.rawState())).isFalse();
      assertThat(f.setRunningOrNotifyCancel()).isFalse();
      assertThat(w.runs).hasValue(1);
      assertThat(userRuns).hasValue(alone ? 0 : 1);
      assertThat(ConcurrentFuture.isSettled(f.rawState())).isTrue();
      assertThat(f.isCancelled()).isTrue();
    }
  }

  @Test
  void aWaiterCanJoinACancelledFutureUntilItIsNotified() {
    ConcurrentFuture<Integer> f = TestFutures.cancelled();
    Waiter w = new Waiter();
    assertThat(f.push(w)).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED);
    f.setRunningOrNotifyCancel();
    assertThat(w.runs).hasValue(1);
    assertThat(f.push(new Waiter())).isFalse();
  }

  @Test
  void aWaiterIsRefusedBySettledFutures() {
    assertThat(TestFutures.succeeded(1).push(new Waiter())).isFalse();
    assertThat(TestFutures.cancelledAndNotified().push(new Waiter())).isFalse();
    ConcurrentFuture<Integer> failed = TestFutures.failed(new IllegalStateException());
    assertThat(failed.push(new Waiter())).isFalse();
    failed.exception();
  }

  @Test
  void aJdkCancelOfARunningFutureNotifiesWaitersAtOnce() {
    ConcurrentFuture<Integer> f = TestFutures.running();
    Waiter w = new Waiter();
    f.push(w);
    f.cancel(true);
    assertThat(w.runs).hasValue(1);
    assertThat(ConcurrentFuture.isSettled(f.rawState())).isTrue();
  }

  @Test
  void aWaiterCanBeRemovedBeforeAndAfterAPlainCancel() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Waiter early = new Waiter();
    Waiter late = new Waiter();
    Waiter kept = new Waiter();
    f.push(early);
    f.push(late);
    f.push(kept);
    assertThat(f.remove(early, true)).isEqualTo(1);
    f.cancel();
    assertThat(f.remove(late, true)).isEqualTo(1);
    assertThat(f.remove(late, true)).isZero();
    f.setRunningOrNotifyCancel();
    assertThat(early.runs).hasValue(0);
    assertThat(late.runs).hasValue(0);
    assertThat(kept.runs).hasValue(1);
    assertThat(f.remove(kept, true)).isZero();
  }

  @Test
  void removingTheLastWaiterOfACancelledFutureKeepsItCancelled() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Waiter w = new Waiter();
    f.push(w);
    f.cancel("msg");
    assertThat(f.remove(w, true)).isEqualTo(1);
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED);
    assertThat(f.setRunningOrNotifyCancel()).isFalse();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  void aUsersRemoveDoneCallbackNeverRemovesAWaiter() {
    ConcurrentFuture<Object> f = new ConcurrentFuture<>();
    Waiter w = new Waiter();
    f.push(w);
    java.util.function.Consumer<Object> equalToAll =
        new java.util.function.Consumer<>() {
          @Override
          public void accept(Object o) {}

          @Override
          public boolean equals(Object o) {
            return true;
          }

          @Override
          public int hashCode() {
            return 0;
          }
        };
    assertThat(f.removeDoneCallback(equalToAll)).isZero();
    f.setResult(1);
    assertThat(w.runs).hasValue(1);
  }

  @Test
  void aWaiterDoesNotRetrieveAFailure() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.push(new Waiter());
    f.setException(new IllegalStateException());
    assertThat(((Failure) f.rawState()).isRetrieved()).isFalse();
    f.exception();
    assertThat(((Failure) f.rawState()).isRetrieved()).isTrue();
  }

  @Test
  void isDoneAndIsSettledDecodeEveryState() {
    assertThat(ConcurrentFuture.isDone(TestFutures.pending().rawState())).isFalse();
    assertThat(ConcurrentFuture.isDone(TestFutures.running().rawState())).isFalse();
    assertThat(ConcurrentFuture.isSettled(TestFutures.running().rawState())).isFalse();
    assertThat(ConcurrentFuture.isSettled(TestFutures.cancelled().rawState())).isFalse();
    assertThat(ConcurrentFuture.isSettled(TestFutures.cancelledAndNotified().rawState())).isTrue();
    assertThat(ConcurrentFuture.isSettled(TestFutures.succeeded(null).rawState())).isTrue();
    ConcurrentFuture<Integer> withCallback = new ConcurrentFuture<>();
    withCallback.addDoneCallback(x -> {});
    assertThat(ConcurrentFuture.isDone(withCallback.rawState())).isFalse();
  }
}
