package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TestEventLoopTest {
  private final TestEventLoop loop = new TestEventLoop();

  @Test
  void timeStartsAtZeroAndMovesOnlyWhenAdvanced() {
    assertThat(loop.time()).isZero();
    assertThat(loop.timeNanos()).isZero();
    loop.advance(Duration.ofMillis(1500));
    assertThat(loop.time()).isEqualTo(1.5);
  }

  @Test
  void advanceRunsEachTimerAtItsOwnTimeInOrder() {
    List<String> seen = new ArrayList<>();
    loop.callLater(Duration.ofSeconds(10), () -> seen.add("10 at " + loop.time()));
    loop.callLater(
        Duration.ofSeconds(3),
        () -> {
          seen.add("3 at " + loop.time());
          loop.callLater(Duration.ofSeconds(1), () -> seen.add("4 at " + loop.time()));
        });
    loop.advance(Duration.ofSeconds(9));
    assertThat(seen).containsExactly("3 at 3.0", "4 at 4.0");
    assertThat(loop.time()).isEqualTo(9.0);
    loop.advance(Duration.ofSeconds(1));
    assertThat(seen).containsExactly("3 at 3.0", "4 at 4.0", "10 at 10.0");
  }

  @Test
  void runUntilIdleRunsWhatIsReadyAndWhatItSchedulesButNotLaterTimers() {
    List<String> seen = new ArrayList<>();
    loop.callSoon(() -> loop.callSoon(() -> seen.add("chained")));
    loop.callLater(Duration.ofNanos(1), () -> seen.add("later"));
    loop.runUntilIdle();
    assertThat(seen).containsExactly("chained");
    assertThat(loop.isRunning()).isFalse();
  }

  @Test
  void callbacksSeeTheRunningLoop() {
    AtomicReference<EventLoop> seen = new AtomicReference<>();
    loop.callSoon(() -> seen.set(EventLoop.getRunningLoop()));
    loop.runUntilIdle();
    assertThat(seen.get()).isSameAs(loop);
  }

  @Test
  void runUntilCompleteJumpsToTheNextTimerInsteadOfSleeping() {
    LoopFuture<String> fut = loop.createFuture();
    loop.callLater(Duration.ofDays(1), () -> fut.setResult("a day later"));
    long t0 = System.nanoTime();
    assertThat(loop.runUntilComplete(fut)).isEqualTo("a day later");
    assertThat(loop.time()).isEqualTo(86400.0);
    assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(5).toNanos());
  }

  @Test
  void runUntilCompleteWaitsForOtherThreadsWhenNoTimerIsPending() {
    LoopFuture<Integer> fut = loop.runInExecutor(() -> 6 * 7);
    assertThat(loop.runUntilComplete(fut)).isEqualTo(42);
    loop.close();
  }

  @Test
  void stopEndsAdvanceEarly() {
    List<String> seen = new ArrayList<>();
    loop.callLater(Duration.ofSeconds(1), loop::stop);
    loop.callLater(Duration.ofSeconds(2), () -> seen.add("not yet"));
    loop.advance(Duration.ofSeconds(5));
    assertThat(seen).isEmpty();
    assertThat(loop.time()).isEqualTo(1.0);
    loop.advance(Duration.ofSeconds(1));
    assertThat(seen).containsExactly("not yet");
  }

  @Test
  void advanceRejectsBadInput() {
    assertThatThrownBy(() -> loop.advance(null)).hasMessage("delta must not be null");
    assertThatThrownBy(() -> loop.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delta must not be negative");
    assertThat(loop.time()).isZero();
    loop.close();
    assertThatThrownBy(loop::runUntilIdle).hasMessage("Event loop is closed");
  }

  @Test
  void advanceInsideARunningLoopFails() {
    AtomicReference<Throwable> error = new AtomicReference<>();
    loop.callSoon(
        () -> {
          try {
            loop.advance(Duration.ofSeconds(1));
          } catch (IllegalStateException e) {
            error.set(e);
          }
        });
    loop.runUntilIdle();
    assertThat(error.get()).hasMessage("This event loop is already running");
  }

  @Test // issue 19, defect 8: Long.MAX_VALUE kept a past-due timer from ever firing
  void aTimerAtLongMaxValueNeverDelaysAnEarlierOne() {
    boolean[] fired = {false, false};
    loop.callAtNanos(-1L, () -> fired[0] = true);
    loop.callAtNanos(Long.MAX_VALUE, () -> fired[1] = true);
    loop.runUntilIdle();
    assertThat(fired[0]).isTrue();
    assertThat(fired[1]).isFalse();
  }

  @Test // issue 19, defect 8: Long.MIN_VALUE waited behind a later timer
  void aTimerAtLongMinValueRunsBeforeALaterOne() {
    List<String> order = new ArrayList<>();
    loop.callAtNanos(5_000_000L, () -> order.add("later"));
    loop.callAtNanos(Long.MIN_VALUE, () -> order.add("min"));
    loop.advance(Duration.ofMillis(10));
    assertThat(order).containsExactly("min", "later");
  }
}
