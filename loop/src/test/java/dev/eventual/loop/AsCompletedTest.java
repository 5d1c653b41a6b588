package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.WaitTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Asyncio.asCompleted} (Waits.AsCompleted): the {@code as_completed} cases of CPython 3.13's
 * test_tasks.py that apply to an iterator of loop futures, on virtual time.
 */
@Timeout(20)
class AsCompletedTest {

  private static <T> T virtual(TaskBody<T> body) {
    return Asyncio.run(body, null, TestEventLoop::new);
  }

  private static Task<String> sleeper(double seconds, String result) {
    return Asyncio.createTask(
        () -> Asyncio.sleep(Duration.ofMillis((long) (seconds * 1000)), result));
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_as_completed_same_tasks_in_as_out (3.13)
  void yieldsTheVeryTasksAndFuturesItWasGiven() {
    virtual(
        () -> {
          Task<String> a = sleeper(0.1, "a");
          LoopFuture<String> b = EventLoop.getRunningLoop().createFuture();
          EventLoop.getRunningLoop().callLater(Duration.ofMillis(50), () -> b.setResult("b"));
          List<LoopFuture<String>> given = List.of(a, b);
          List<LoopFuture<String>> yielded = new ArrayList<>();
          for (Iterator<LoopFuture<String>> it = Asyncio.asCompleted(given, null); it.hasNext(); ) {
            yielded.add(it.next());
          }
          assertThat(yielded).containsExactly(b, a);
          assertThat(yielded.get(0)).isSameAs(b);
          assertThat(yielded.get(1)).isSameAs(a);
          return null;
        });
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_as_completed (the order, in loop time)
  void yieldsInCompletionOrderAsTimePasses() {
    virtual(
        () -> {
          EventLoop loop = EventLoop.getRunningLoop();
          double t0 = loop.time();
          Task<String> a = sleeper(0.1, "a");
          Task<String> b = sleeper(0.05, "b");
          Task<String> c = sleeper(0.15, "c");
          List<String> values = new ArrayList<>();
          List<Double> times = new ArrayList<>();
          Iterator<Task<String>> it = Asyncio.asCompleted(List.of(a, b, c), null);
          while (it.hasNext()) {
            values.add(it.next().result());
            times.add(loop.time() - t0);
          }
          assertThat(values).containsExactly("b", "a", "c");
          assertThat(times.get(0)).isBetween(0.049, 0.06);
          assertThat(times.get(2)).isBetween(0.149, 0.16);
          return null;
        });
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_as_completed_with_timeout
  void aTimeoutRaisesAtTheNextNextAndDoneFuturesComeFirst() {
    virtual(
        () -> {
          Task<String> a = sleeper(0.1, "a");
          Task<String> b = sleeper(0.01, "b");
          Iterator<Task<String>> it = Asyncio.asCompleted(List.of(a, b), Duration.ofMillis(50));
          assertThat(it.next()).isSameAs(b);
          assertThatThrownBy(it::next).isInstanceOf(WaitTimeoutException.class);
          assertThat(it.hasNext()).isFalse();
          assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
          assertThat(a.isDone()).as("nothing is cancelled on timeout").isFalse();
          a.cancel();
          return null;
        });
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_as_completed_with_unused_timeout
  void anUnusedTimeoutChangesNothing() {
    virtual(
        () -> {
          Task<String> a = sleeper(0.01, "a");
          Iterator<Task<String>> it = Asyncio.asCompleted(List.of(a), Duration.ofMillis(50));
          assertThat(it.next().result()).isEqualTo("a");
          assertThat(it.hasNext()).isFalse();
          Asyncio.sleep(Duration.ofMillis(100)); // the timer was cancelled: nothing fires
          return null;
        });
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_as_completed_duplicate_coroutines
  void aFutureGivenTwiceIsYieldedOnce() {
    virtual(
        () -> {
          Task<String> a = sleeper(0.01, "ok");
          List<String> result = new ArrayList<>();
          for (Iterator<Task<String>> it = Asyncio.asCompleted(Arrays.asList(a, a), null);
              it.hasNext(); ) {
            result.add(it.next().result());
          }
          assertThat(result).containsExactly("ok");
          return null;
        });
  }

  @Test // CPython test_tasks.py: test_as_completed (an empty input yields nothing)
  void anEmptyInputYieldsNothing() {
    virtual(
        () -> {
          Iterator<LoopFuture<String>> it = Asyncio.asCompleted(List.of(), Duration.ofMillis(10));
          assertThat(it.hasNext()).isFalse();
          return null;
        });
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_as_completed_coroutine_without_loop /
  // test_as_completed_invalid_args (here: the running loop, null inputs, another loop's future)
  void badInputIsRefusedClearly() {
    assertThatThrownBy(() -> Asyncio.asCompleted(List.<LoopFuture<?>>of(), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no running event loop");
    virtual(
        () -> {
          assertThatThrownBy(() -> Asyncio.asCompleted(null, null))
              .isInstanceOf(NullPointerException.class)
              .hasMessage("futures must not be null");
          assertThatThrownBy(() -> Asyncio.asCompleted(Arrays.asList((LoopFuture<?>) null), null))
              .isInstanceOf(NullPointerException.class)
              .hasMessage("futures must not contain null");
          try (EventLoop other = new EventLoop()) {
            LoopFuture<String> foreign = other.createFuture();
            assertThatThrownBy(() -> Asyncio.asCompleted(List.of(foreign), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different loop");
          }
          return null;
        });
  }

  @Test // CPython test_tasks.py: as_completed's next outside a task (its __anext__ needs a task)
  void nextOutsideATaskIsRefused() {
    try (EventLoop loop = new EventLoop()) {
      List<Throwable> seen = new ArrayList<>();
      loop.callSoon(
          () -> {
            LoopFuture<String> f = loop.createFuture();
            Iterator<LoopFuture<String>> it = Asyncio.asCompleted(List.of(f), null);
            try {
              it.next();
            } catch (IllegalStateException e) {
              seen.add(e);
            }
            loop.stop();
          });
      loop.runForever();
      assertThat(seen).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("task"));
    }
  }
}
