package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ConcurrentFuture;
import dev.eventual.DoneAndNotDone;
import dev.eventual.ReturnWhen;
import dev.eventual.WaitTimeoutException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

@Timeout(60)
class AsyncioTaskFunctionsTest {
  private static final Duration MS = Duration.ofMillis(1);

  @Test // CPython test_runners.py: RunTests.test_asyncio_run_return
  void runReturnsWhatMainReturnsAndClosesTheLoop() {
    EventLoop[] seen = new EventLoop[1];
    assertThat(
            Asyncio.run(
                () -> {
                  seen[0] = EventLoop.getRunningLoop();
                  return 42;
                }))
        .isEqualTo(42);
    assertThat(seen[0].isClosed()).isTrue();
  }

  @Test // CPython test_runners.py: RunTests.test_asyncio_run_cancels_hanging_tasks
  void runCancelsTheTasksLeftOver() {
    LoopFuture<?>[] leftover = new LoopFuture<?>[1];
    Asyncio.run(
        () -> {
          leftover[0] = Asyncio.createTask(() -> await(new LoopFuture<Integer>()));
          Asyncio.sleep(MS);
          return null;
        });
    assertThat(leftover[0].isCancelled()).isTrue();
  }

  @Test // CPython test_runners.py: RunTests.test_asyncio_run_from_running_loop
  void runRefusesToNestInARunningLoop() {
    Throwable t =
        Asyncio.run(
            () -> {
              try {
                Asyncio.run(() -> 1);
                return null;
              } catch (IllegalStateException e) {
                return e;
              }
            });
    assertThat(t).hasMessageContaining("cannot be called from a running event loop");
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_sleep
  void sleepSuspendsForTheDelayAndReturnsTheResult() {
    TestEventLoop loop = new TestEventLoop();
    Task<String> t = loop.createTask(() -> Asyncio.sleep(Duration.ofSeconds(10), "yeah"));
    loop.advance(Duration.ofSeconds(9));
    assertThat(t.isDone()).isFalse();
    loop.advance(Duration.ofSeconds(1));
    assertThat(t.result()).isEqualTo("yeah");
    loop.close();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_sleep_cancel
  void cancellingASleepingTaskCancelsItsTimer() {
    TestEventLoop loop = new TestEventLoop();
    Task<String> t = loop.createTask(() -> Asyncio.sleep(Duration.ofSeconds(10), "yeah"));
    loop.runUntilIdle();
    t.cancel();
    loop.runUntilIdle();
    assertThat(t.isCancelled()).isTrue();
    assertThat(loop.scheduler.hasTimers()).isFalse();
    loop.close();
  }

  @Test // CPython test_tasks.py: test_gather (GatherTestsBase.test_result)
  void gatherCollectsResultsInOrder() {
    List<Integer> r =
        Asyncio.run(
            () -> {
              Task<Integer> a = Asyncio.createTask(() -> Asyncio.sleep(MS.multipliedBy(5), 1));
              Task<Integer> b = Asyncio.createTask(() -> Asyncio.sleep(MS, 2));
              return await(Asyncio.gather(a, b, a));
            });
    assertThat(r).containsExactly(1, 2, 1);
  }

  @Test // CPython test_tasks.py: FutureGatherTests.test_one_exception
  void gatherFailsWithTheFirstExceptionAndTheOthersGoOn() {
    Asyncio.run(
        () -> {
          LoopFuture<Integer> a = new LoopFuture<>();
          LoopFuture<Integer> b = new LoopFuture<>();
          LoopFuture<List<Integer>> g = Asyncio.gather(a, b);
          RuntimeException boom = new RuntimeException("boom");
          a.setException(boom);
          assertThatThrownBy(() -> await(g)).isSameAs(boom);
          assertThat(b.isDone()).isFalse();
          return null;
        });
  }

  @Test // CPython test_tasks.py: FutureGatherTests.test_return_exceptions
  void gatherWithReturnExceptionsListsThem() {
    List<Object> r =
        Asyncio.run(
            () -> {
              LoopFuture<Integer> a = new LoopFuture<>();
              LoopFuture<Integer> b = new LoopFuture<>();
              LoopFuture<Integer> c = new LoopFuture<>();
              LoopFuture<List<Object>> g = Asyncio.gather(List.of(a, b, c), true);
              a.setResult(1);
              b.setException(new IllegalStateException("x"));
              c.cancel("m");
              return await(g);
            });
    assertThat(r.get(0)).isEqualTo(1);
    assertThat(r.get(1)).isInstanceOf(IllegalStateException.class);
    assertThat(r.get(2)).isInstanceOf(CancellationException.class);
  }

  @Test // CPython test_tasks.py: FutureGatherTests.test_one_cancellation / test_cancel_gather
  void cancellingTheGatherCancelsEveryChild() {
    Asyncio.run(
        () -> {
          LoopFuture<Integer> a = new LoopFuture<>();
          Task<Integer> b = Asyncio.createTask(() -> await(new LoopFuture<Integer>()));
          LoopFuture<List<Integer>> g = Asyncio.gather(a, b);
          Asyncio.sleep(Duration.ZERO);
          assertThat(g.cancel()).isTrue();
          assertThatThrownBy(() -> await(g)).isInstanceOf(CancellationException.class);
          assertThat(a.isCancelled()).isTrue();
          assertThat(b.isCancelled()).isTrue();
          return null;
        });
  }

  @Test // CPython test_tasks.py: FutureGatherTests.test_constructor_empty_sequence
  void gatherOfNothingIsDoneAtOnce() {
    Asyncio.run(
        () -> {
          LoopFuture<List<Object>> g = Asyncio.gather();
          assertThat(g.isDone()).isTrue();
          assertThat(g.result()).isEmpty();
          return null;
        });
    assertThatThrownBy(() -> Asyncio.gather()).hasMessage("no running event loop");
  }

  @Test
  void gatherLimitedNeverRunsMoreThanTheLimit() {
    int[] running = {0};
    int[] peak = {0};
    List<TaskBody<Integer>> bodies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      bodies.add(
          () -> {
            running[0]++;
            peak[0] = Math.max(peak[0], running[0]);
            Asyncio.sleep(MS);
            running[0]--;
            return n;
          });
    }
    List<Integer> r = Asyncio.run(() -> await(Asyncio.gatherLimited(3, bodies)));
    assertThat(r).hasSize(20).startsWith(0, 1, 2).endsWith(19);
    assertThat(peak[0]).isEqualTo(3);
    assertThatThrownBy(() -> Asyncio.run(() -> Asyncio.gatherLimited(0, bodies)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be positive: 0");
  }

  @Test // CPython test_waitfor.py: AsyncioWaitForTest.test_wait_for
  void waitForCancelsTheInnerOnTimeout() {
    TestEventLoop loop = new TestEventLoop();
    LoopFuture<Integer> inner = loop.createFuture();
    Task<Integer> t = loop.createTask(() -> Asyncio.waitFor(inner, Duration.ofSeconds(1)));
    loop.advance(Duration.ofSeconds(2));
    assertThat(t.exception()).isInstanceOf(WaitTimeoutException.class);
    assertThat(inner.isCancelled()).isTrue();
    loop.close();
  }

  @Test // CPython test_waitfor.py: test_wait_for_with_result / test_wait_for_race_condition
  void waitForReturnsAResultThatArrivedFirst() {
    TestEventLoop loop = new TestEventLoop();
    LoopFuture<Integer> inner = loop.createFuture();
    Task<Integer> t = loop.createTask(() -> Asyncio.waitFor(inner, Duration.ofSeconds(1)));
    // due at the same time as the timeout, but scheduled first: the result is set just before the
    // timeout fires, while the task has not resumed yet; the result wins
    loop.callLater(Duration.ofSeconds(1), () -> inner.setResult(7));
    loop.runUntilIdle();
    loop.advance(Duration.ofSeconds(1));
    loop.runUntilIdle();
    assertThat(t.result()).isEqualTo(7);
    loop.close();
  }

  @Test // CPython test_waitfor.py: test_wait_for_timeout_less_then_0_or_0
  void waitForWithZeroTimeoutCancelsAPendingFuture() {
    Asyncio.run(
        () -> {
          LoopFuture<Integer> inner = new LoopFuture<>();
          assertThatThrownBy(() -> Asyncio.waitFor(inner, Duration.ZERO))
              .isInstanceOf(WaitTimeoutException.class);
          assertThat(inner.isCancelled()).isTrue();
          LoopFuture<Integer> done = new LoopFuture<>();
          done.setResult(3);
          assertThat(Asyncio.waitFor(done, Duration.ZERO)).isEqualTo(3);
          return null;
        });
  }

  @Test // CPython test_timeouts.py: TimeoutTests.test_timeout_basic / test_nested_timeouts
  void timeoutScopeTurnsItsCancellationIntoATimeout() {
    Asyncio.run(
        () -> {
          assertThatThrownBy(
                  () ->
                      Asyncio.timeout(
                          MS.multipliedBy(10), () -> Asyncio.sleep(Duration.ofSeconds(10), 1)))
              .isInstanceOf(WaitTimeoutException.class);
          assertThat(Task.currentTask().cancelling()).isZero();
          assertThat(Asyncio.timeout(Duration.ofSeconds(10), () -> Asyncio.sleep(MS, 5)))
              .isEqualTo(5);
          return null;
        });
  }

  @Test // CPython test_timeouts.py: test_cancel_in_timeout_after_cancellation (outer cancel wins)
  void aCancellationFromOutsideStaysACancellation() {
    TestEventLoop loop = new TestEventLoop();
    Task<Integer> t =
        loop.createTask(
            () ->
                Asyncio.timeout(
                    Duration.ofSeconds(10), () -> Asyncio.sleep(Duration.ofSeconds(20), 1)));
    loop.runUntilIdle();
    t.cancel("outer");
    loop.runUntilIdle();
    assertThat(t.isCancelled()).isTrue();
    loop.close();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_shield_result / test_shield_cancel_outer
  void shieldKeepsTheInnerRunningWhenTheOuterIsCancelled() {
    Asyncio.run(
        () -> {
          LoopFuture<Integer> inner = new LoopFuture<>();
          LoopFuture<Integer> outer = Asyncio.shield(inner);
          outer.cancel();
          Asyncio.sleep(Duration.ZERO);
          assertThat(inner.isCancelled()).isFalse();
          LoopFuture<Integer> outer2 = Asyncio.shield(inner);
          inner.setResult(42);
          assertThat(await(outer2)).isEqualTo(42);
          assertThat(Asyncio.shield(inner)).isSameAs(inner);
          return null;
        });
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_wait_first_completed /
  // test_wait_first_exception
  void waitReturnsAsReturnWhenSays() {
    Asyncio.run(
        () -> {
          Task<Integer> slow = Asyncio.createTask(() -> Asyncio.sleep(Duration.ofSeconds(10), 1));
          Task<Integer> fast = Asyncio.createTask(() -> Asyncio.sleep(MS, 2));
          DoneAndNotDone<Task<Integer>> r =
              Asyncio.wait(List.of(slow, fast), null, ReturnWhen.FIRST_COMPLETED);
          assertThat(r.done()).containsExactly(fast);
          assertThat(r.notDone()).containsExactly(slow);
          DoneAndNotDone<Task<Integer>> t =
              Asyncio.wait(List.of(slow), MS, ReturnWhen.ALL_COMPLETED);
          assertThat(t.notDone()).containsExactly(slow);
          assertThat(slow.isCancelled()).isFalse();
          slow.cancel();
          assertThatThrownBy(
                  () -> Asyncio.wait(List.<Task<Integer>>of(), null, ReturnWhen.ALL_COMPLETED))
              .hasMessage("Set of Tasks/Futures is empty.");
          return null;
        });
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_as_completed / test_as_completed_with_timeout
  void asCompletedYieldsInCompletionOrderAndTimesOut() {
    Asyncio.run(
        () -> {
          Task<String> a = Asyncio.createTask(() -> Asyncio.sleep(MS.multipliedBy(30), "a"));
          Task<String> b = Asyncio.createTask(() -> Asyncio.sleep(MS, "b"));
          List<String> order = new ArrayList<>();
          for (Iterator<Task<String>> it = Asyncio.asCompleted(List.of(a, b), null);
              it.hasNext(); ) {
            order.add(it.next().result());
          }
          assertThat(order).containsExactly("b", "a");
          Task<String> c = Asyncio.createTask(() -> Asyncio.sleep(Duration.ofSeconds(10), "c"));
          Iterator<Task<String>> it = Asyncio.asCompleted(List.of(c), MS);
          assertThatThrownBy(it::next).isInstanceOf(WaitTimeoutException.class);
          c.cancel();
          return null;
        });
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_ensure_future_* and
  // test_ensure_future_error_msg
  void ensureFutureAcceptsFuturesBodiesAndStages() {
    Asyncio.run(
        () -> {
          LoopFuture<Integer> f = new LoopFuture<>();
          assertThat(Asyncio.ensureFuture(f)).isSameAs(f);
          assertThat(Asyncio.ensureFuture((TaskBody<Integer>) () -> 1)).isInstanceOf(Task.class);
          ConcurrentFuture<Integer> cf = new ConcurrentFuture<>();
          LoopFuture<?> wrapped = Asyncio.ensureFuture(cf);
          cf.setResult(5);
          assertThat(await(wrapped)).isEqualTo(5);
          CompletableFuture<Integer> stage = new CompletableFuture<>();
          LoopFuture<?> fromStage = Asyncio.ensureFuture(stage);
          stage.complete(6);
          assertThat(await(fromStage)).isEqualTo(6);
          assertThat(Await.await(CompletableFuture.completedFuture(8))).isEqualTo(8);
          assertThatThrownBy(() -> Asyncio.ensureFuture("nope"))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("java.lang.String");
          try (EventLoop other = new EventLoop()) {
            assertThatThrownBy(() -> Asyncio.ensureFuture(f, other))
                .isInstanceOf(IllegalArgumentException.class);
          }
          assertThat(Asyncio.isFuture(f)).isTrue();
          assertThat(Asyncio.isFuture(cf)).isFalse();
          f.cancel();
          return null;
        });
  }

  // ------------------------------------------------------------ must-show properties

  @Test
  void manyTasksSleepingConcurrentlyFinishInOneRun() {
    // 100,000 on continuations or virtual threads (JDK 21+); platform threads carry fewer
    int n = TaskRuntime.kind() != TaskRuntime.Kind.PLATFORM_THREAD ? 100_000 : 2_000;
    long t0 = System.nanoTime();
    int total =
        Asyncio.run(
            () -> {
              List<Task<Integer>> tasks = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                tasks.add(Asyncio.createTask(() -> Asyncio.sleep(Duration.ofMillis(10), 1)));
              }
              int sum = 0;
              for (int v : await(Asyncio.gather(tasks))) {
                sum += v;
              }
              return sum;
            });
    assertThat(total).isEqualTo(n);
    // concurrent, not one after another: n sequential 10 ms sleeps would take n/100 s
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(n / 100 / 2);
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void onJava21TasksRunOnContinuationsOrVirtualThreads() {
    assertThat(TaskRuntime.kind()).isNotEqualTo(TaskRuntime.Kind.PLATFORM_THREAD);
    boolean onLoopThread =
        Asyncio.run(
            () -> {
              Thread loopThread = Thread.currentThread();
              return await(EventLoop.getRunningLoop().runInExecutor(() -> 1)) == 1
                  && Thread.currentThread() == loopThread
                  && !loopThread.toString().startsWith("VirtualThread");
            });
    // a continuation runs on the loop's own thread; a virtual thread is a thread of its own
    assertThat(onLoopThread).isEqualTo(TaskRuntime.kind() == TaskRuntime.Kind.CONTINUATION);
  }

  @Test
  void neverTwoThingsRunOnALoopAtOnce() {
    // a plain (non-atomic) flag: set on entry, cleared on exit, by 200 tasks and their callbacks
    boolean[] busy = {false};
    int[] overlaps = {0};
    int[] steps = {0};
    Runnable enter =
        () -> {
          if (busy[0]) {
            overlaps[0]++;
          }
          busy[0] = true;
          for (int spin = 0; spin < 2_000; spin++) {
            steps[0]++; // widen the window a race would need
          }
          busy[0] = false;
        };
    Asyncio.run(
        () -> {
          List<Task<Object>> tasks = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            tasks.add(
                Asyncio.createTask(
                    () -> {
                      for (int k = 0; k < 10; k++) {
                        enter.run();
                        EventLoop.getRunningLoop().callSoon(enter);
                        Asyncio.sleep(Duration.ZERO);
                      }
                      return null;
                    }));
          }
          await(Asyncio.gather(tasks));
          return null;
        });
    assertThat(overlaps[0]).isZero();
    assertThat(steps[0]).isEqualTo(200 * 10 * 2 * 2_000);
  }

  @Test
  void anIdleLoopWithSuspendedTasksUsesNoCpu() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    EventLoop loop = new EventLoop();
    loop.setExceptionHandler((l, ctx) -> {}); // closing reports the pending tasks
    LoopFuture<Integer> never = loop.createFuture();
    for (int i = 0; i < 20; i++) {
      loop.createTask(() -> await(never));
    }
    long[] cpu = new long[2];
    Thread runner =
        new Thread(
            () -> {
              loop.callLater(Duration.ofMillis(100), () -> cpu[0] = mx.getCurrentThreadCpuTime());
              loop.callLater(
                  Duration.ofMillis(600),
                  () -> {
                    cpu[1] = mx.getCurrentThreadCpuTime();
                    loop.stop();
                  });
              loop.runForever();
            });
    runner.start();
    runner.join(20_000);
    assertThat(runner.isAlive()).isFalse();
    // half a second of idling costs far less than 100 ms of CPU on a thread that never spins
    assertThat(cpu[1] - cpu[0]).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
    loop.close();
  }
}
