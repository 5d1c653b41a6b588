package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ports CPython's {@code Lib/test/test_asyncio/test_locks.py}, {@code EventTests}. */
@Timeout(10)
class EventTest extends LoopTaskFixture {
  @Test // test_locks.py: EventTests.test_repr
  void toStringShowsTheFlagAndWaiters() {
    Event ev = new Event();
    assertThat(ev).hasToString("Event[unset]");
    run(
        () -> {
          Task<Boolean> t = Asyncio.createTask(ev::await);
          yieldOnce();
          assertThat(ev).hasToString("Event[unset, waiters:1]");
          ev.set();
          assertThat(ev.toString()).startsWith("Event[set");
          Await.await(t);
          return null;
        });
    assertThat(ev).hasToString("Event[set]");
  }

  @Test // test_locks.py: EventTests.test_wait
  void setWakesEveryWaiterAndLaterWaitsReturnAtOnce() {
    Event ev = new Event();
    assertThat(ev.isSet()).isFalse();
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          Task<Boolean> t1 = Asyncio.createTask(() -> ev.await() && result.add(1));
          Task<Boolean> t2 = Asyncio.createTask(() -> ev.await() && result.add(2));
          yieldOnce();
          assertThat(result).isEmpty();
          Task<Boolean> t3 = Asyncio.createTask(() -> ev.await() && result.add(3));
          ev.set();
          yieldOnce();
          assertThat(result).containsExactly(3, 1, 2);
          assertThat(t1.isDone() && t2.isDone() && t3.isDone()).isTrue();
          return null;
        });
  }

  @Test // test_locks.py: EventTests.test_wait_on_set
  void awaitOnASetEventReturnsTrueAtOnce() {
    Event ev = new Event();
    ev.set();
    assertThat(ev.await()).isTrue(); // outside a task: no suspension needed
  }

  @Test // test_locks.py: EventTests.test_wait_cancel
  void aCancelledWaitLeavesNoWaiter() {
    Event ev = new Event();
    run(
        () -> {
          Task<Boolean> wait = Asyncio.createTask(ev::await);
          loop.callSoon(wait::cancel);
          assertThatThrownBy(() -> Await.await(wait)).isInstanceOf(CancellationException.class);
          assertThat(ev).hasToString("Event[unset]");
          return null;
        });
  }

  @Test // test_locks.py: EventTests.test_clear
  void clearResetsTheFlag() {
    Event ev = new Event();
    ev.set();
    assertThat(ev.isSet()).isTrue();
    ev.clear();
    assertThat(ev.isSet()).isFalse();
  }

  @Test // test_locks.py: EventTests.test_clear_with_waiters
  void aWaiterWokenBySetStillReturnsAfterAClear() {
    Event ev = new Event();
    List<Integer> result = new ArrayList<>();
    run(
        () -> {
          Task<Boolean> t = Asyncio.createTask(() -> ev.await() && result.add(1));
          yieldOnce();
          assertThat(result).isEmpty();
          ev.set();
          ev.clear();
          assertThat(ev.isSet()).isFalse();
          ev.set();
          ev.set();
          assertThat(ev).hasToString("Event[set, waiters:1]");
          yieldOnce();
          assertThat(result).containsExactly(1);
          assertThat(ev).hasToString("Event[set]");
          assertThat(t.result()).isTrue();
          return null;
        });
  }

  @Test // issue 14: a wait on a clear event outside a task fails clearly
  void awaitOutsideATaskOnAClearEventFails() {
    Event ev = new Event();
    assertThatThrownBy(ev::await)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no running event loop");
    assertThat(ev).hasToString("Event[unset]");
  }
}
