package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.WaitTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The deadlines of CPython's test_timeouts.py, on virtual time (TestEventLoop) unless noted. */
@Timeout(20)
class TimeoutTest {
  private static final Duration TEN_S = Duration.ofSeconds(10);
  private static final Duration TEN_MS = Duration.ofMillis(10);

  /** Runs {@code body} as the main task of a fresh {@link TestEventLoop}. */
  private static <T> T virtual(TaskBody<T> body) {
    return Asyncio.run(body, null, TestEventLoop::new);
  }

  private static double now() {
    return EventLoop.getRunningLoop().time();
  }

  @Test // CPython test_timeouts.py: test_timeout_basic
  void aDeadlineThatPassesRaisesWaitTimeoutAndExpires() {
    virtual(
        () -> {
          dev.eventual.loop.Timeout cm = Asyncio.timeout(TEN_MS);
          assertThatThrownBy(() -> cm.run(() -> Asyncio.sleep(TEN_S, 1)))
              .isInstanceOf(WaitTimeoutException.class);
          assertThat(cm.expired()).isTrue();
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_timeout_at_basic
  void timeoutAtKeepsItsDeadline() {
    virtual(
        () -> {
          double deadline = now() + 0.01;
          dev.eventual.loop.Timeout cm = Asyncio.timeoutAt(deadline);
          assertThatThrownBy(() -> cm.run(() -> Asyncio.sleep(TEN_S, 1)))
              .isInstanceOf(WaitTimeoutException.class);
          assertThat(cm.expired()).isTrue();
          assertThat(cm.when()).isEqualTo(deadline);
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_nested_timeouts
  void onlyTheOutermostOfTwoEqualDeadlinesRaisesTimeout() {
    virtual(
        () -> {
          double deadline = now() + 0.01;
          AtomicBoolean cancelled = new AtomicBoolean();
          dev.eventual.loop.Timeout cm1 = Asyncio.timeoutAt(deadline);
          dev.eventual.loop.Timeout cm2 = Asyncio.timeoutAt(deadline);
          assertThatThrownBy(
                  () ->
                      cm1.run(
                          () -> {
                            try {
                              return cm2.run(() -> Asyncio.sleep(TEN_S, 1));
                            } catch (CancellationException e) {
                              cancelled.set(true);
                              throw e;
                            }
                          }))
              .isInstanceOf(WaitTimeoutException.class);
          assertThat(cancelled).isTrue();
          assertThat(cm1.expired()).isTrue();
          assertThat(cm2.expired()).isTrue();
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_waiter_cancelled
  void theBodySeesTheCancellationFirst() {
    virtual(
        () -> {
          AtomicBoolean cancelled = new AtomicBoolean();
          assertThatThrownBy(
                  () ->
                      Asyncio.timeout(
                          TEN_MS,
                          () -> {
                            try {
                              return Asyncio.sleep(TEN_S, 1);
                            } catch (CancellationException e) {
                              cancelled.set(true);
                              throw e;
                            }
                          }))
              .isInstanceOf(WaitTimeoutException.class)
              .hasCauseInstanceOf(CancellationException.class); // test_timeout_exception_cause
          assertThat(cancelled).isTrue();
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_timeout_not_called
  void aDeadlineThatDoesNotPassLeavesTheBodyAlone() throws Exception {
    virtual(
        () -> {
          dev.eventual.loop.Timeout cm = Asyncio.timeout(TEN_S);
          assertThat(cm.run(() -> Asyncio.sleep(TEN_MS, 7))).isEqualTo(7);
          double t1 = now();
          assertThat(cm.expired()).isFalse();
          assertThat(cm.when()).isGreaterThan(t1);
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_timeout_disabled / test_timeout_at_disabled
  void aNullDeadlineMeansNone() {
    virtual(
        () -> {
          dev.eventual.loop.Timeout cm = Asyncio.timeout((Duration) null);
          cm.run(() -> Asyncio.sleep(TEN_MS, null));
          assertThat(cm.expired()).isFalse();
          assertThat(cm.when()).isNull();
          dev.eventual.loop.Timeout at = Asyncio.timeoutAt(null);
          at.run(() -> Asyncio.sleep(Duration.ofDays(1), null));
          assertThat(at.expired()).isFalse();
          assertThat(at.when()).isNull();
          assertThat(Asyncio.timeout(null, () -> 3)).isEqualTo(3);
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_timeout_zero / test_timeout_zero_sleep_zero /
  // test_timeout_in_the_past_sleep_zero
  void aDeadlineAlreadyPastCancelsAtTheNextAwait() {
    virtual(
        () -> {
          for (Duration d : new Duration[] {Duration.ZERO, Duration.ofSeconds(-11)}) {
            double t0 = now();
            dev.eventual.loop.Timeout cm = Asyncio.timeout(d);
            assertThatThrownBy(() -> cm.run(() -> Asyncio.sleep(Duration.ZERO, 1)))
                .isInstanceOf(WaitTimeoutException.class);
            assertThat(cm.expired()).isTrue();
            assertThat(cm.when()).isLessThanOrEqualTo(now());
            if (d.isZero()) {
              assertThat(cm.when()).isGreaterThanOrEqualTo(t0);
            }
          }
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_foreign_exception_passed
  void anExceptionBeforeTheDeadlinePassesAsIs() {
    virtual(
        () -> {
          dev.eventual.loop.Timeout cm = Asyncio.timeout(TEN_MS);
          IllegalArgumentException keyError = new IllegalArgumentException("key");
          assertThatThrownBy(
                  () ->
                      cm.run(
                          () -> {
                            throw keyError;
                          }))
              .isSameAs(keyError);
          assertThat(cm.expired()).isFalse();
          assertThat(keyError.getSuppressed()).isEmpty();
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_foreign_exception_on_timeout
  void anotherExceptionRaisedByTheCancellationWinsAndCarriesTheTimeout() {
    virtual(
        () -> {
          assertThatThrownBy(
                  () ->
                      Asyncio.timeout(
                          TEN_MS,
                          () -> {
                            try {
                              return Asyncio.sleep(Duration.ofSeconds(1), 1);
                            } finally {
                              int zero = 0;
                              System.out.println(1 / zero);
                            }
                          }))
              .isInstanceOf(ArithmeticException.class)
              .satisfies(
                  e ->
                      assertThat(e.getSuppressed())
                          .singleElement()
                          .isInstanceOf(WaitTimeoutException.class));
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_foreign_cancel_doesnt_timeout_if_not_expired
  void aCancellationFromTheTaskItselfStaysACancellation() {
    virtual(
        () -> {
          dev.eventual.loop.Timeout cm = Asyncio.timeout(TEN_S);
          assertThatThrownBy(
                  () ->
                      cm.run(
                          () -> {
                            Task.currentTask().cancel();
                            return Asyncio.sleep(TEN_S, 1);
                          }))
              .isInstanceOf(CancellationException.class);
          assertThat(cm.expired()).isFalse();
          Task.currentTask().uncancel();
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_outer_task_is_not_cancelled
  void theTaskAroundAnExpiredTimeoutEndsNormally() {
    virtual(
        () -> {
          Task<Object> task =
              Asyncio.createTask(
                  () -> {
                    assertThatThrownBy(
                            () ->
                                Asyncio.timeout(
                                    Duration.ofMillis(1), () -> Asyncio.sleep(TEN_S, 1)))
                        .isInstanceOf(WaitTimeoutException.class);
                    return null;
                  });
          await(task);
          assertThat(task.isCancelled()).isFalse();
          assertThat(task.isDone()).isTrue();
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_nested_timeouts_loop_busy (real time: the loop is busy)
  void anOuterDeadlineStillCutsTheBodyAfterAnInnerOneExpired() {
    Asyncio.run(
        () -> {
          double t0 = now();
          assertThatThrownBy(
                  () ->
                      Asyncio.timeout(
                          Duration.ofMillis(100),
                          () -> {
                            // Both deadlines pass while the loop is busy, so the inner block
                            // may end with the outer one's cancellation (CPython's assertRaises
                            // lets that through too); a timeout of its own is caught here.
                            try {
                              Asyncio.timeout(
                                  TEN_MS,
                                  () -> {
                                    Thread.sleep(100); // the loop is busy meanwhile
                                    return Asyncio.sleep(Duration.ofSeconds(1), 1);
                                  });
                            } catch (WaitTimeoutException caughtByTheInnerBlock) {
                              // as CPython's inner assertRaises(TimeoutError)
                            }
                            return Asyncio.sleep(TEN_S, 2); // cut by the outer deadline
                          }))
              .isInstanceOf(WaitTimeoutException.class);
          assertThat(now()).isLessThanOrEqualTo(t0 + 5);
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_reschedule
  void rescheduleMovesOrRemovesTheDeadline() {
    virtual(
        () -> {
          LoopFuture<dev.eventual.loop.Timeout> fut = EventLoop.getRunningLoop().createFuture();
          double deadline1 = now() + 10;
          double deadline2 = deadline1 + 20;
          AtomicReference<dev.eventual.loop.Timeout> handle = new AtomicReference<>();
          Task<Object> sleeper =
              Asyncio.createTask(
                  () -> {
                    dev.eventual.loop.Timeout cm = Asyncio.timeoutAt(deadline1);
                    handle.set(cm);
                    return cm.run(
                        () -> {
                          fut.setResult(cm);
                          return Asyncio.sleep(Duration.ofSeconds(50), null);
                        });
                  });
          dev.eventual.loop.Timeout cm = await(fut);
          assertThat(cm).isSameAs(handle.get());
          assertThat(cm.when()).isEqualTo(deadline1);
          cm.reschedule(deadline2);
          assertThat(cm.when()).isEqualTo(deadline2);
          cm.reschedule(null);
          assertThat(cm.when()).isNull();
          sleeper.cancel();
          assertThatThrownBy(() -> await(sleeper)).isInstanceOf(CancellationException.class);
          assertThat(cm.expired()).isFalse();
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_reschedule (a later deadline is the one that counts)
  void aRescheduledDeadlineIsTheOneThatFires() {
    virtual(
        () -> {
          double t0 = now();
          dev.eventual.loop.Timeout cm = Asyncio.timeout(TEN_S);
          assertThatThrownBy(
                  () ->
                      cm.run(
                          () -> {
                            cm.reschedule(now() + 30);
                            return Asyncio.sleep(Duration.ofSeconds(100), 1);
                          }))
              .isInstanceOf(WaitTimeoutException.class);
          assertThat(now() - t0).isBetween(29.9, 30.1);
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_repr_active / test_repr_expired / test_repr_finished /
  // test_repr_disabled
  void toStringShowsTheState() {
    virtual(
        () -> {
          dev.eventual.loop.Timeout active = Asyncio.timeout(TEN_S);
          active.run(
              () -> {
                assertThat(active.toString()).matches("Timeout\\[active when=\\d+\\.\\d*(E\\d+)?]");
                return Asyncio.sleep(Duration.ZERO, null);
              });
          assertThat(active).hasToString("Timeout[finished]");
          dev.eventual.loop.Timeout expired = Asyncio.timeout(TEN_MS);
          assertThatThrownBy(() -> expired.run(() -> Asyncio.sleep(TEN_S, 1)));
          assertThat(expired).hasToString("Timeout[expired]");
          dev.eventual.loop.Timeout disabled = Asyncio.timeout((Duration) null);
          disabled.run(
              () -> {
                assertThat(disabled).hasToString("Timeout[active when=null]");
                return null;
              });
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_nested_timeout_in_finally
  void aTimeoutInsideTheFinallyOfAnExpiredOneWorks() {
    virtual(
        () -> {
          assertThatThrownBy(
                  () ->
                      Asyncio.timeout(
                          TEN_MS,
                          () -> {
                            try {
                              return Asyncio.sleep(Duration.ofSeconds(1), 1);
                            } finally {
                              assertThatThrownBy(
                                      () -> Asyncio.timeout(TEN_MS, () -> Asyncio.sleep(TEN_S, 1)))
                                  .isInstanceOf(WaitTimeoutException.class);
                            }
                          }))
              .isInstanceOf(WaitTimeoutException.class);
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_timeout_after_cancellation
  void aTimeoutAfterACaughtCancellationStillTimesOut() {
    virtual(
        () -> {
          try {
            Task.currentTask().cancel();
            Asyncio.sleep(Duration.ofSeconds(1));
          } catch (CancellationException expected) {
            // the work was cancelled
          } finally {
            assertThatThrownBy(
                    () ->
                        Asyncio.timeout(
                            Duration.ZERO, () -> Asyncio.sleep(Duration.ofSeconds(1), 1)))
                .isInstanceOf(WaitTimeoutException.class);
          }
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_cancel_in_timeout_after_cancellation
  void aNewCancellationInsideATimeoutAfterACaughtOneStaysACancellation() {
    virtual(
        () -> {
          try {
            Task.currentTask().cancel();
            Asyncio.sleep(Duration.ofSeconds(1));
          } catch (CancellationException expected) {
            // the work was cancelled
          } finally {
            assertThatThrownBy(
                    () ->
                        Asyncio.timeout(
                            Duration.ofSeconds(1),
                            () -> {
                              Task.currentTask().cancel();
                              return Asyncio.sleep(Duration.ofSeconds(2), 1);
                            }))
                .isInstanceOf(CancellationException.class);
          }
          Task.currentTask().uncancel();
          Task.currentTask().uncancel();
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_timeout_already_entered / test_timeout_double_enter
  void aHandleRunsOneBlockOnly() {
    virtual(
        () -> {
          dev.eventual.loop.Timeout cm = Asyncio.timeout(TEN_MS);
          cm.run(
              () -> {
                assertThatThrownBy(() -> cm.run(() -> null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has already been entered");
                return null;
              });
          assertThatThrownBy(() -> cm.run(() -> null))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("has already been entered");
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_timeout_finished / test_timeout_not_entered
  void rescheduleOutsideTheBlockIsRefused() {
    virtual(
        () -> {
          dev.eventual.loop.Timeout cm = Asyncio.timeout(TEN_MS);
          assertThatThrownBy(() -> cm.reschedule(0.02))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("has not been entered");
          cm.run(() -> null);
          assertThatThrownBy(() -> cm.reschedule(0.02))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("finished");
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_timeout_without_task
  void aBlockOutsideATaskIsRefused() {
    try (EventLoop loop = new EventLoop()) {
      AtomicReference<Throwable> seen = new AtomicReference<>();
      dev.eventual.loop.Timeout cm = Asyncio.timeoutAt(1.0);
      loop.callSoon(
          () -> {
            try {
              cm.run(() -> null);
            } catch (Exception e) {
              seen.set(e);
            }
            loop.stop();
          });
      loop.runForever();
      assertThat(seen.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("task");
      assertThatThrownBy(() -> cm.reschedule(0.02)).hasMessageContaining("has not been entered");
    }
  }

  @Test
  void badArgumentsAreRefusedNamingTheParameter() {
    assertThatThrownBy(() -> Asyncio.timeoutAt(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("when must not be NaN");
    assertThatThrownBy(() -> Asyncio.timeoutAt(1.0).run(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("body must not be null");
    assertThatThrownBy(() -> Asyncio.timeout(TEN_MS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no running event loop");
  }
}
