package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.Context;
import dev.eventual.ContextVar;
import dev.eventual.WaitInterruptedException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class EventLoopTest {
  private final EventLoop loop = new EventLoop();

  @AfterEach
  void closeLoop() {
    if (!loop.isRunning()) {
      loop.close();
    }
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_call_soon
  void callSoonRunsCallbacksInFifoOrder() {
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      loop.callSoon(() -> seen.add(n));
    }
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(seen).containsExactly(0, 1, 2, 3, 4);
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_call_later
  void callLaterRunsAfterTheDelay() {
    List<Double> at = new ArrayList<>();
    double t0 = loop.time();
    TimerHandle h =
        loop.callLater(
            Duration.ofMillis(50),
            () -> {
              at.add(loop.time());
              loop.stop();
            });
    assertThat(h.when()).isGreaterThanOrEqualTo(t0 + 0.05);
    loop.runForever();
    assertThat(at.get(0) - t0).isGreaterThanOrEqualTo(0.049);
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_call_later_negative_delays
  void negativeDelaysRunFirstInTimeOrder() {
    TestEventLoop virtual = new TestEventLoop(); // time stands still between the two calls
    List<Integer> seen = new ArrayList<>();
    virtual.callLater(Duration.ZERO, () -> seen.add(0));
    virtual.callLater(Duration.ofMillis(-1), () -> seen.add(1));
    virtual.callLater(Duration.ofMillis(-2), () -> seen.add(2));
    virtual.runUntilIdle();
    assertThat(seen).containsExactly(2, 1, 0);
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_time_and_call_at
  void callAtRunsAtTheGivenTime() {
    double when = loop.time() + 0.05;
    List<Double> at = new ArrayList<>();
    TimerHandle h =
        loop.callAt(
            when,
            () -> {
              at.add(loop.time());
              loop.stop();
            });
    assertThat(h.when()).isCloseTo(when, org.assertj.core.data.Offset.offset(1e-6));
    loop.runForever();
    assertThat(at.get(0)).isGreaterThanOrEqualTo(when - 1e-6);
  }

  @Test
  void timersRunByTimeThenFifo() {
    List<String> seen = new ArrayList<>();
    long now = loop.timeNanos();
    loop.callAtNanos(now + 20_000_000, () -> seen.add("b1"));
    loop.callAtNanos(now + 10_000_000, () -> seen.add("a"));
    loop.callAtNanos(now + 20_000_000, () -> seen.add("b2"));
    loop.callAtNanos(now + 20_000_000, () -> seen.add("b3"));
    loop.callAtNanos(now + 30_000_000, loop::stop);
    loop.runForever();
    assertThat(seen).containsExactly("a", "b1", "b2", "b3");
  }

  @Test
  void aCancelledHandleNeverRuns() {
    List<String> seen = new ArrayList<>();
    loop.callSoon(() -> seen.add("soon")).cancel();
    TimerHandle t = loop.callLater(Duration.ZERO, () -> seen.add("later"));
    t.cancel();
    t.cancel();
    assertThat(t.isCancelled()).isTrue();
    assertThat(t.toString()).contains("cancelled");
    loop.callLater(Duration.ofMillis(1), loop::stop);
    loop.runForever();
    assertThat(seen).isEmpty();
  }

  @Test
  void anErrorTheLoopDoesNotHandleStopsTheTurnAndTheRestOfItRunsNextTime() {
    List<String> seen = new ArrayList<>();
    OutOfMemoryError fatal = new OutOfMemoryError("fatal");
    loop.callSoon(() -> seen.add("one"));
    loop.callSoon(
        () -> {
          seen.add("two");
          loop.callSoon(() -> seen.add("scheduled by two"));
          throw fatal;
        });
    loop.callSoon(() -> seen.add("three"));
    loop.stop();
    assertThatThrownBy(loop::runForever).isSameAs(fatal);
    assertThat(loop.isRunning()).isFalse();
    assertThat(seen).containsExactly("one", "two");
    loop.stop();
    loop.runForever();
    assertThat(seen).containsExactly("one", "two", "three", "scheduled by two");
  }

  @Test
  void manyCancelledTimersAreCompactedAndTheRestStillRun() {
    List<Integer> seen = new ArrayList<>();
    List<TimerHandle> handles = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int n = i;
      handles.add(loop.callLater(Duration.ofHours(1).plusMillis(i), () -> seen.add(n)));
    }
    for (int i = 0; i < 300; i++) {
      if (i % 10 != 0) {
        handles.get(i).cancel();
      }
    }
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(loop.scheduler.timerCount()).isEqualTo(30);
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_run_forever_pre_stopped
  void stopBeforeRunForeverRunsTheScheduledCallbacksOnce() {
    List<String> seen = new ArrayList<>();
    loop.callSoon(() -> seen.add("a"));
    loop.stop();
    loop.runForever();
    assertThat(seen).containsExactly("a");
    assertThat(loop.isRunning()).isFalse();
  }

  @Test // CPython test_base_events.py: test_single_selecter_event_callback_after_stopping
  void callbacksScheduledAfterStopRunInTheNextRun() {
    List<String> seen = new ArrayList<>();
    loop.callSoon(
        () -> {
          seen.add("first");
          loop.stop();
          loop.callSoon(() -> seen.add("next run"));
        });
    loop.runForever();
    assertThat(seen).containsExactly("first");
    loop.stop();
    loop.runForever(); // a stopped loop can be run again
    assertThat(seen).containsExactly("first", "next run");
  }

  @Test // CPython test_events.py: EventLoopTestsMixin.test_run_until_complete
  void runUntilCompleteReturnsTheResult() {
    LoopFuture<String> fut = loop.createFuture();
    loop.callLater(Duration.ofMillis(10), () -> fut.setResult("... world"));
    assertThat(loop.runUntilComplete(fut)).isEqualTo("... world");
    assertThat(loop.isRunning()).isFalse();
  }

  @Test // CPython test_events.py: EventLoopTestsMixin.test_run_until_complete_stopped
  void runUntilCompleteFailsWhenStoppedFirst() {
    LoopFuture<String> fut = loop.createFuture();
    loop.callSoon(loop::stop);
    assertThatThrownBy(() -> loop.runUntilComplete(fut))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Event loop stopped before Future completed.");
    fut.setResult("late"); // no stopper left behind
    assertThat(loop.runUntilComplete(fut)).isEqualTo("late");
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_run_until_complete_loop
  void runUntilCompleteRejectsAFutureOfAnotherLoop() {
    try (EventLoop other = new EventLoop()) {
      LoopFuture<Object> fut = other.createFuture();
      assertThatThrownBy(() -> loop.runUntilComplete(fut))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("different loop");
    }
  }

  @Test
  void runUntilCompleteRethrowsTheFuturesException() {
    LoopFuture<String> fut = loop.createFuture();
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    loop.callSoon(() -> fut.setException(boom));
    assertThatThrownBy(() -> loop.runUntilComplete(fut)).isSameAs(boom);
  }

  @Test // CPython test_events.py: EventLoopTestsMixin.test_run_until_complete_nesting
  void aRunningLoopCannotBeRunAgainNorAnotherOnTheSameThread() {
    AtomicReference<Throwable> same = new AtomicReference<>();
    AtomicReference<Throwable> other = new AtomicReference<>();
    loop.callSoon(
        () -> {
          try {
            loop.runForever();
          } catch (IllegalStateException e) {
            same.set(e);
          }
          try (EventLoop second = new EventLoop()) {
            second.runForever();
          } catch (IllegalStateException e) {
            other.set(e);
          }
          loop.stop();
        });
    loop.runForever();
    assertThat(same.get()).hasMessage("This event loop is already running");
    assertThat(other.get()).hasMessage("Cannot run the event loop while another loop is running");
  }

  @Test
  void getRunningLoopFailsClearlyOutsideALoop() {
    assertThatThrownBy(EventLoop::getRunningLoop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no running event loop");
    AtomicReference<EventLoop> seen = new AtomicReference<>();
    loop.callSoon(
        () -> {
          seen.set(EventLoop.getRunningLoop());
          loop.stop();
        });
    loop.runForever();
    assertThat(seen.get()).isSameAs(loop);
    assertThatThrownBy(EventLoop::getRunningLoop).hasMessage("no running event loop");
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_close
  void closingARunningLoopFailsAndAClosedLoopRefusesWork() {
    AtomicReference<Throwable> error = new AtomicReference<>();
    loop.callSoon(
        () -> {
          try {
            loop.close();
          } catch (IllegalStateException e) {
            error.set(e);
          }
          loop.stop();
        });
    loop.runForever();
    assertThat(error.get()).hasMessage("Cannot close a running event loop");
    assertThat(loop.isClosed()).isFalse();
    loop.close();
    loop.close();
    assertThat(loop.isClosed()).isTrue();
    assertThatThrownBy(() -> loop.callSoon(() -> {})).hasMessage("Event loop is closed");
    assertThatThrownBy(() -> loop.callSoonThreadsafe(() -> {})).hasMessage("Event loop is closed");
    assertThatThrownBy(() -> loop.callLater(Duration.ZERO, () -> {}))
        .hasMessage("Event loop is closed");
    assertThatThrownBy(loop::runForever).hasMessage("Event loop is closed");
  }

  @Test
  void nullArgumentsAreRejectedByName() {
    assertThatThrownBy(() -> loop.callSoon(null)).hasMessage("callback must not be null");
    assertThatThrownBy(() -> loop.callSoon(() -> {}, null)).hasMessage("context must not be null");
    assertThatThrownBy(() -> loop.callLater(null, () -> {})).hasMessage("delay must not be null");
    assertThatThrownBy(() -> loop.callAt(Double.NaN, () -> {})).hasMessage("when must not be NaN");
    assertThatThrownBy(() -> loop.runUntilComplete(null)).hasMessage("future must not be null");
    assertThatThrownBy(() -> loop.setSlowCallbackDuration(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_default_exc_handler_callback
  void aCallbackThatThrowsGoesToTheHandlerAndTheLoopGoesOn() {
    List<ExceptionContext> reports = new ArrayList<>();
    loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
    RuntimeException boom = new RuntimeException("boom");
    List<String> seen = new ArrayList<>();
    Handle bad =
        loop.callSoon(
            () -> {
              throw boom;
            });
    loop.callSoon(() -> seen.add("after"));
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(seen).containsExactly("after");
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).exception()).isSameAs(boom);
    assertThat(reports.get(0).handle()).isSameAs(bad);
    assertThat(reports.get(0).message()).startsWith("Exception in callback ");
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_default_exc_handler_callback
  void theDefaultHandlerLogsAtErrorLevel() {
    try (LogCapture log = LogCapture.start()) {
      assertThat(loop.getExceptionHandler()).isNull();
      RuntimeException boom = new RuntimeException("boom");
      loop.callSoon(
          () -> {
            throw boom;
          });
      loop.callSoon(loop::stop);
      loop.runForever();
      assertThat(log.containing("Exception in callback")).hasSize(1);
      assertThat(log.containing("Exception in callback").get(0).getThrown()).isSameAs(boom);
      assertThat(log.containing("Exception in callback").get(0).getLevel()).isEqualTo(Level.SEVERE);
    }
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_set_exc_handler_broken
  void aBrokenHandlerIsLoggedAndTheLoopGoesOn() {
    try (LogCapture log = LogCapture.start()) {
      ExceptionHandler broken =
          (l, ctx) -> {
            throw new IllegalStateException("broken handler");
          };
      loop.setExceptionHandler(broken);
      assertThat(loop.getExceptionHandler()).isSameAs(broken);
      loop.callSoon(
          () -> {
            throw new RuntimeException("boom");
          });
      List<String> seen = new ArrayList<>();
      loop.callSoon(() -> seen.add("after"));
      loop.callSoon(loop::stop);
      loop.runForever();
      assertThat(seen).containsExactly("after");
      assertThat(log.containing("Unhandled error in exception handler")).hasSize(1);
      assertThat(log.containing("Unhandled error in exception handler").get(0).getThrown())
          .hasMessage("broken handler");
    }
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_default_exc_handler_broken
  void aBrokenDefaultHandlerIsLogged() {
    try (LogCapture log = LogCapture.start();
        EventLoop broken =
            new EventLoop() {
              @Override
              public void defaultExceptionHandler(ExceptionContext context) {
                throw new IllegalStateException("broken default");
              }
            }) {
      broken.callExceptionHandler(new ExceptionContext("something", null));
      assertThat(log.containing("Exception in default exception handler")).hasSize(1);
    }
  }

  @Test // CPython test_events.py: EventLoopTestsMixin.test_call_soon_threadsafe
  void callSoonThreadsafeWakesAnIdleLoop() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch running = new CountDownLatch(1);
    loop.callSoon(running::countDown);
    Thread other =
        new Thread(
            () -> {
              await(running);
              loop.callSoonThreadsafe(() -> seen.add("hello"));
              loop.callSoonThreadsafe(
                  () -> {
                    seen.add("world");
                    loop.stop();
                  });
            });
    other.start();
    loop.runForever();
    other.join();
    assertThat(seen).containsExactly("hello", "world");
  }

  @Test // CPython test_events.py: EventLoopTestsMixin.test_call_soon_threadsafe_same_thread
  void callSoonThreadsafeOnTheOwningThreadKeepsFifoWithCallSoon() {
    List<String> seen = new ArrayList<>();
    loop.callSoonThreadsafe(() -> seen.add("hello"));
    loop.callSoon(() -> seen.add("world"));
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(seen).containsExactly("hello", "world");
  }

  @Test
  void callbacksRunInTheContextCapturedWhenScheduled() {
    ContextVar<String> var = new ContextVar<>("var", "default");
    List<String> seen = new ArrayList<>();
    Context mine = new Context();
    mine.run(() -> var.set("given"));
    Context.copyContext()
        .run(
            () -> {
              var.set("captured");
              loop.callSoon(() -> seen.add(var.get()));
              loop.callLater(Duration.ZERO, () -> seen.add(var.get()));
              var.set("changed after scheduling");
            });
    loop.callSoon(() -> seen.add(var.get()), mine);
    loop.callSoon(() -> var.set("set in a callback"));
    loop.callSoon(() -> seen.add(var.get()));
    loop.callLater(Duration.ofMillis(1), loop::stop);
    loop.runForever();
    assertThat(seen).containsExactly("captured", "given", "default", "captured");
  }

  @Test // the loop's thread copies contexts through its cached slot: it must see the callback's
  void aCallbackThatSchedulesAnotherPassesOnTheContextItRunsIn() {
    ContextVar<String> var = new ContextVar<>("var", "default");
    List<String> seen = new ArrayList<>();
    Context outer = new Context();
    outer.run(() -> var.set("outer"));
    loop.callSoon(
        () -> {
          var.set("first callback");
          loop.callSoon(() -> seen.add("nested: " + var.get()));
          LoopFuture<Integer> f = loop.createFuture();
          f.addDoneCallback(done -> seen.add("done: " + var.get()));
          f.setResult(1);
        },
        outer);
    loop.callSoon(() -> seen.add("sibling: " + var.get()));
    loop.callLater(Duration.ofMillis(1), loop::stop);
    loop.runForever();
    assertThat(seen)
        .containsExactly("sibling: default", "nested: first callback", "done: first callback");
    assertThat(var.get()).isEqualTo("default");
    assertThat(outer.get(var)).isEqualTo("first callback");
  }

  @Test
  void anIdleLoopUsesNoCpu() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!mx.isCurrentThreadCpuTimeSupported()) {
      return;
    }
    AtomicReference<Long> cpu = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    loop.callSoon(started::countDown);
    loop.callLater(Duration.ofHours(1), () -> {}); // a far timer: the loop sleeps on it
    Thread t =
        new Thread(
            () -> {
              loop.runForever();
              cpu.set(mx.getCurrentThreadCpuTime());
            });
    t.start();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    long before = mx.getThreadCpuTime(t.getId());
    Thread.sleep(300);
    long after = mx.getThreadCpuTime(t.getId());
    loop.callSoonThreadsafe(loop::stop);
    t.join();
    assertThat(after - before).isLessThan(50_000_000L); // ~0 when idle; busy would be ~300 ms
  }

  @Test
  void anInterruptEndsRunForeverAndKeepsTheFlag() {
    loop.callSoon(() -> Thread.currentThread().interrupt());
    try {
      assertThatThrownBy(loop::runForever).isInstanceOf(WaitInterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(loop.isRunning()).isFalse();
    } finally {
      Thread.interrupted();
    }
  }

  @Test // CPython test_base_events.py: BaseEventLoopTests.test_check_thread
  void debugModeRejectsNonThreadSafeCallsFromAnotherThread() throws Exception {
    loop.setDebug(true);
    assertThat(loop.getDebug()).isTrue();
    LoopFuture<String> fut = loop.createFuture();
    AtomicReference<Throwable> soon = new AtomicReference<>();
    AtomicReference<Throwable> set = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    loop.callSoon(
        () -> {
          Thread t =
              new Thread(
                  () -> {
                    try {
                      loop.callSoon(() -> {});
                    } catch (IllegalStateException e) {
                      soon.set(e);
                    }
                    try {
                      fut.setResult("x");
                    } catch (IllegalStateException e) {
                      set.set(e);
                    }
                    loop.callSoonThreadsafe(loop::stop); // the thread-safe way still works
                    done.countDown();
                  },
                  "intruder");
          t.start();
        });
    loop.runForever();
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(soon.get())
        .hasMessageContaining("Non-thread-safe operation callSoon()")
        .hasMessageContaining("'intruder'");
    assertThat(set.get()).hasMessageContaining("setResult()");
    assertThat(fut.isDone()).isFalse(); // left as it was
  }

  @Test // issue 14: a loop future touched from a foreign thread used to hang silently outside debug
  void nonThreadSafeCallsFromAnotherThreadFailOutsideDebugModeToo() throws Exception {
    assertThat(loop.getDebug()).isFalse();
    LoopFuture<String> fut = loop.createFuture();
    List<Throwable> refused = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    loop.callSoon(
        () -> {
          Thread t =
              new Thread(
                  () -> {
                    List<Runnable> calls =
                        List.of(
                            () -> fut.setResult("x"),
                            () -> fut.setException(new IllegalArgumentException()),
                            () -> fut.cancel(),
                            () -> fut.addDoneCallback(f -> {}),
                            () -> loop.callSoon(() -> {}),
                            () -> loop.createTask(() -> 1));
                    for (Runnable call : calls) {
                      try {
                        call.run();
                      } catch (IllegalStateException e) {
                        refused.add(e);
                      }
                    }
                    loop.callSoonThreadsafe(loop::stop); // the thread-safe way still works
                    done.countDown();
                  },
                  "intruder");
          t.start();
        });
    loop.runForever();
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(refused).hasSize(6);
    assertThat(refused.get(0))
        .hasMessage(
            "Non-thread-safe operation setResult() invoked from thread 'intruder' on an event loop"
                + " running in thread '"
                + Thread.currentThread().getName()
                + "'; use callSoonThreadsafe");
    assertThat(fut.isDone()).isFalse(); // left as it was
    assertThat(Task.allTasks(loop)).isEmpty();
  }

  @Test
  void debugModeReportsSlowCallbacks() {
    try (LogCapture log = LogCapture.start()) {
      loop.setDebug(true);
      loop.setSlowCallbackDuration(Duration.ofMillis(20));
      assertThat(loop.getSlowCallbackDuration()).isEqualTo(Duration.ofMillis(20));
      loop.callSoon(() -> sleep(60));
      loop.callSoon(loop::stop);
      loop.runForever();
      assertThat(log.containing("took")).hasSize(1);
      assertThat(log.containing("took").get(0).getMessage()).startsWith("Executing Handle@");
      assertThat(log.containing("took").get(0).getLevel()).isEqualTo(Level.WARNING);
    }
  }

  @Test
  void defaultSlowCallbackDurationIs100Millis() {
    assertThat(loop.getSlowCallbackDuration()).isEqualTo(Duration.ofMillis(100));
    assertThat(loop.getDebug()).isFalse();
  }

  @Test
  void debugModeRecordsWhereHandlesWereCreated() {
    loop.setDebug(true);
    Handle h = loop.callSoon(() -> {});
    assertThat(h.toString()).contains("created at EventLoopTest.java:");
    assertThat(h.getSourceTraceback()[0].getClassName()).isEqualTo(EventLoopTest.class.getName());
    loop.setDebug(false);
    assertThat(loop.callSoon(() -> {}).getSourceTraceback()).isNull();
  }

  @Test // CPython test_events.py: EventLoopTestsMixin.test_run_in_executor
  void runInExecutorDeliversTheResultOnTheLoopThread() {
    Thread me = Thread.currentThread();
    AtomicReference<Thread> worker = new AtomicReference<>();
    LoopFuture<String> fut =
        loop.runInExecutor(
            () -> {
              worker.set(Thread.currentThread());
              return "oi";
            });
    AtomicReference<Thread> callbackThread = new AtomicReference<>();
    fut.addDoneCallback(f -> callbackThread.set(Thread.currentThread()));
    assertThat(loop.runUntilComplete(fut)).isEqualTo("oi");
    assertThat(worker.get()).isNotSameAs(me);
    assertThat(worker.get().getName()).startsWith("eventual-loop-executor");
    loop.runUntilComplete(loop.runInExecutor(() -> null)); // lets the callback run
    assertThat(callbackThread.get()).isSameAs(me);
  }

  @Test
  void closeShutsTheDefaultExecutorDown() {
    dev.eventual.ThreadPoolFutureExecutor pool = new dev.eventual.ThreadPoolFutureExecutor(1);
    loop.setDefaultExecutor(pool);
    assertThat(loop.runUntilComplete(loop.runInExecutor(() -> 42))).isEqualTo(42);
    loop.close();
    assertThat(pool.isShutdown()).isTrue();
    assertThatThrownBy(() -> loop.runInExecutor(() -> 1)).hasMessage("Event loop is closed");
  }

  @Test
  void toStringShowsTheState() {
    assertThat(loop.toString()).contains("running=false").contains("closed=false");
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
