package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ConcurrentFuture;
import dev.eventual.Context;
import dev.eventual.ContextVar;
import dev.eventual.FutureState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TaskTest {
  private final EventLoop loop = new EventLoop();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  @Test // issue 19, defect 9; CPython 3.13 Task.__step keeps the awaited future's CancelledError
  void aTaskCancelledTwiceSeesTheFirstMessage() {
    LoopFuture<Integer> never = loop.createFuture();
    String[] seen = {null};
    Task<Integer> t =
        loop.createTask(
            () -> {
              try {
                return await(never);
              } catch (CancellationException e) {
                seen[0] = e.getMessage();
                throw e;
              }
            });
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(t.cancel("first")).isTrue();
    assertThat(t.cancel("second")).isTrue();
    assertThat(t.cancelling()).isEqualTo(2);
    assertThatThrownBy(() -> loop.runUntilComplete(t))
        .isInstanceOf(CancellationException.class)
        .hasMessage("first");
    assertThat(seen[0]).isEqualTo("first");
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_task_class
  void aTaskCompletesWithWhatItsBodyReturns() {
    Task<String> t = loop.createTask(() -> "ok");
    assertThat(t.getLoop()).isSameAs(loop);
    assertThat(loop.runUntilComplete(t)).isEqualTo("ok");
    assertThat(t.futureState()).isEqualTo(FutureState.FINISHED);
    assertThat(Task.allTasks(loop)).isEmpty();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_task_repr (basic)
  void toStringShowsStateNameAndWhatItWaitsFor() {
    LoopFuture<Integer> fut = loop.createFuture();
    Task<Integer> t = loop.createTask(() -> await(fut), "notmuch", null);
    assertThat(t.toString()).contains("Task@").contains("PENDING name='notmuch'");
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(t.toString()).contains("wait_for=LoopFuture@");
    t.cancel();
    assertThat(t.toString()).contains("CANCELLING");
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
    assertThat(t.toString()).contains("CANCELLED name='notmuch'");
  }

  @Test
  void awaitSuspendsUntilTheFutureIsDoneWithoutBlockingTheLoop() {
    LoopFuture<String> fut = loop.createFuture();
    List<String> order = new ArrayList<>();
    Task<String> t =
        loop.createTask(
            () -> {
              order.add("start");
              String v = await(fut);
              order.add("got " + v);
              return v + "!";
            });
    loop.callSoon(
        () -> {
          order.add("callback");
          fut.setResult("x");
        });
    assertThat(loop.runUntilComplete(t)).isEqualTo("x!");
    assertThat(order).containsExactly("start", "callback", "got x");
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_cancel
  void cancelBeforeTheFirstStepKeepsTheBodyFromRunning() {
    boolean[] ran = {false};
    Task<Integer> t =
        loop.createTask(
            () -> {
              ran[0] = true;
              return 12;
            });
    assertThat(t.cancel("by test")).isTrue();
    assertThat(t.isCancelled()).isFalse(); // only requested
    assertThatThrownBy(() -> loop.runUntilComplete(t))
        .isInstanceOf(CancellationException.class)
        .hasMessage("by test");
    assertThat(ran[0]).isFalse();
    assertThat(t.isCancelled()).isTrue();
    assertThat(t.cancel()).isFalse();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_cancel_yield
  void cancelRaisesAtTheAwaitWhereTheTaskIsSuspended() {
    List<String> seen = new ArrayList<>();
    Task<Integer> t =
        loop.createTask(
            () -> {
              Asyncio.sleep(Duration.ZERO);
              seen.add("not reached");
              return 12;
            });
    loop.callSoon(() -> t.cancel()); // runs after the first step, while the task yields
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
    assertThat(t.isCancelled()).isTrue();
    assertThat(seen).isEmpty();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_cancel_inner_future
  void cancellingTheAwaitedFutureCancelsTheTask() {
    LoopFuture<Integer> f = loop.createFuture();
    Task<Integer> t = loop.createTask(() -> await(f));
    loop.callSoon(() -> f.cancel());
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
    assertThat(f.isCancelled()).isTrue();
    assertThat(t.isCancelled()).isTrue();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_cancel_both_task_and_inner_future
  void cancellingTaskAndInnerFutureTogether() {
    LoopFuture<Integer> f = loop.createFuture();
    Task<Integer> t = loop.createTask(() -> await(f));
    loop.callSoon(
        () -> {
          f.cancel();
          t.cancel();
        });
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
    assertThat(f.isCancelled()).isTrue();
    assertThat(t.isCancelled()).isTrue();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_cancel_task_catching
  void aBodyThatCatchesTheCancellationReturnsNormally() {
    LoopFuture<Integer> fut1 = loop.createFuture();
    LoopFuture<Integer> fut2 = loop.createFuture();
    Task<Integer> t =
        loop.createTask(
            () -> {
              await(fut1);
              try {
                await(fut2);
              } catch (CancellationException e) {
                return 42;
              }
              return -1;
            });
    loop.callSoon(() -> fut1.setResult(1));
    // cancel once the task has moved on to fut2 (deterministic, unlike a timer under load)
    fut1.addDoneCallback(f -> loop.callSoon(() -> t.cancel()));
    assertThat(loop.runUntilComplete(t)).isEqualTo(42);
    assertThat(fut2.isCancelled()).isTrue();
    assertThat(t.isCancelled()).isFalse();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_cancel_task_ignoring
  void aBodyThatIgnoresTheCancellationGoesOnAwaiting() {
    LoopFuture<Integer> fut1 = loop.createFuture();
    LoopFuture<Integer> fut2 = loop.createFuture();
    LoopFuture<Integer> fut3 = loop.createFuture();
    Task<Integer> t =
        loop.createTask(
            () -> {
              await(fut1);
              try {
                await(fut2);
              } catch (CancellationException ignored) {
                // ignored
              }
              return await(fut3);
            });
    loop.callSoon(() -> fut1.setResult(1));
    // cancel once the task has moved on to fut2 (deterministic, unlike a timer under load)
    fut1.addDoneCallback(f -> loop.callSoon(() -> t.cancel()));
    loop.callLater(Duration.ofMillis(20), () -> fut3.setResult(42));
    assertThat(loop.runUntilComplete(t)).isEqualTo(42);
    assertThat(fut2.isCancelled()).isTrue();
    assertThat(t.isCancelled()).isFalse();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_cancelling / test_uncancel_basic
  void cancellingCountsRequestsAndUncancelTakesThemBack() {
    LoopFuture<Integer> f = loop.createFuture();
    Task<Integer> t =
        loop.createTask(
            () -> {
              try {
                return await(f);
              } catch (CancellationException e) {
                Task<?> me = Task.currentTask();
                assertThat(me.cancelling()).isEqualTo(1);
                assertThat(me.uncancel()).isZero();
                return 7;
              }
            });
    loop.callSoon(
        () -> {
          assertThat(t.cancelling()).isZero();
          t.cancel();
        });
    assertThat(loop.runUntilComplete(t)).isEqualTo(7);
    assertThat(t.cancelling()).isZero();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_cancel_at_end (self-cancel, then return)
  void aTaskCancelledAfterItsLastAwaitEndsCancelled() {
    Task<Integer> t =
        loop.createTask(
            () -> {
              Task.currentTask().cancel("late");
              return 12;
            });
    assertThatThrownBy(() -> loop.runUntilComplete(t)).hasMessage("late");
    assertThat(t.isCancelled()).isTrue();
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_step_result_future
  void awaitReturnsTheResultOfAFutureCompletedLater() {
    LoopFuture<String> f = loop.createFuture();
    Task<String> t = loop.createTask(() -> await(f) + await(f));
    loop.callLater(Duration.ofMillis(1), () -> f.setResult("ab"));
    assertThat(loop.runUntilComplete(t)).isEqualTo("abab");
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_await_itself
  void awaitingItselfFailsClearly() {
    Task<Object> t = loop.createTask(() -> await(Task.currentTask()));
    assertThatThrownBy(() -> loop.runUntilComplete(t))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Task cannot await on itself");
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_task_awaits_on_itself / other loop
  void awaitingAFutureOfAnotherLoopFailsClearly() {
    try (EventLoop other = new EventLoop()) {
      LoopFuture<Integer> foreign = other.createFuture();
      Task<Integer> t = loop.createTask(() -> await(foreign));
      assertThatThrownBy(() -> loop.runUntilComplete(t))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("attached to a different loop");
    }
  }

  @Test
  void awaitOutsideATaskFailsClearly() {
    LoopFuture<Integer> f = loop.createFuture();
    assertThatThrownBy(() -> await(f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be called inside a task");
    AtomicReference<Throwable> inCallback = new AtomicReference<>();
    loop.callSoon(
        () -> {
          try {
            await(f);
          } catch (IllegalStateException e) {
            inCallback.set(e);
          }
          loop.stop();
        });
    loop.runForever();
    assertThat(inCallback.get()).hasMessageContaining("must be called inside a task");
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_exception_chaining / set_result unsupported
  void aTaskCannotBeCompletedFromOutside() {
    Task<Integer> t = loop.createTask(() -> 1);
    assertThatThrownBy(() -> t.setResult(2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> t.setException(new RuntimeException()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(loop.runUntilComplete(t)).isEqualTo(1);
  }

  @Test
  void aFailingBodyFailsTheTaskWithTheSameException() {
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    Task<Integer> t =
        loop.createTask(
            () -> {
              throw boom;
            });
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isSameAs(boom);
    assertThat(t.exception()).isSameAs(boom);
  }

  @Test // CPython test_tasks.py: test_context_1 (a task runs in a copy of the creator's context)
  void aTaskRunsInACopyOfTheContextAtCreation() {
    ContextVar<String> var = new ContextVar<>("var", "default");
    var.set("creator");
    Task<String> t =
        loop.createTask(
            () -> {
              String seen = var.get();
              var.set("task");
              Asyncio.sleep(Duration.ZERO);
              return seen + "/" + var.get();
            });
    assertThat(loop.runUntilComplete(t)).isEqualTo("creator/task");
    assertThat(var.get()).isEqualTo("creator");
    assertThat(t.getContext().get(var)).isEqualTo("task");
    assertThat(Context.copyContext().get(var)).isEqualTo("creator");
  }

  @Test // a task's body runs on its own thread, which must copy its own context, not the loop's
  void callbacksScheduledByATaskBodyRunInTheTasksContext() {
    ContextVar<String> var = new ContextVar<>("var", "default");
    var.set("loop thread");
    List<String> seen = new ArrayList<>();
    loop.callSoon(() -> seen.add("loop: " + var.get())); // a turn caches the loop thread's slot
    Task<Void> t =
        loop.createTask(
            () -> {
              var.set("task");
              loop.callSoon(() -> seen.add("soon: " + var.get()));
              LoopFuture<Integer> f = loop.createFuture();
              f.addDoneCallback(done -> seen.add("done: " + var.get()));
              f.setResult(1);
              Asyncio.sleep(Duration.ZERO);
              Asyncio.sleep(Duration.ZERO);
              return null;
            });
    loop.runUntilComplete(t);
    assertThat(seen).containsExactly("loop: loop thread", "soon: task", "done: task");
    assertThat(var.get()).isEqualTo("loop thread");
  }

  @Test
  void aTaskThreadIsMarkedAsALoopThreadAndSeesTheRunningLoop() {
    ConcurrentFuture<Integer> pending = new ConcurrentFuture<>();
    Task<String> t =
        loop.createTask(
            () -> {
              assertThat(EventLoop.getRunningLoop()).isSameAs(loop);
              try {
                pending.result();
                return "blocked";
              } catch (IllegalStateException e) {
                return e.getMessage();
              }
            });
    assertThat(loop.runUntilComplete(t)).contains("would deadlock");
  }

  @Test
  void awaitOfAConcurrentFutureDoesNotBlockTheLoop() {
    ConcurrentFuture<Integer> cf = new ConcurrentFuture<>();
    Task<Integer> t = loop.createTask(() -> Await.await(cf) + 1);
    Thread setter = new Thread(() -> cf.setResult(41));
    loop.callSoon(setter::start);
    assertThat(loop.runUntilComplete(t)).isEqualTo(42);
  }

  @Test // asyncio: closing a loop with a pending task reports "Task was destroyed but it is
  // pending!"
  void closingTheLoopReportsAndUnwindsPendingTasks() {
    EventLoop l = new EventLoop();
    List<String> reports = new ArrayList<>();
    l.setExceptionHandler((lp, ctx) -> reports.add(ctx.message()));
    LoopFuture<Integer> never = l.createFuture();
    boolean[] cleanedUp = {false};
    Task<Integer> started =
        l.createTask(
            () -> {
              try {
                return await(never);
              } finally {
                cleanedUp[0] = true;
              }
            });
    l.callSoon(l::stop);
    l.runForever();
    Task<Integer> notStarted = l.createTask(() -> 1);
    l.close();
    assertThat(cleanedUp[0]).isTrue();
    assertThat(started.isCancelled()).isTrue();
    assertThat(notStarted.isCancelled()).isTrue();
    assertThat(reports)
        .containsExactly(
            "Task was destroyed but it is pending!", "Task was destroyed but it is pending!");
  }

  @Test // CPython test_tasks.py: BaseTaskTests.test_exception_traceback-ish: never retrieved
  void aTaskExceptionNeverRetrievedIsReportedWhenCollected() throws Exception {
    List<ExceptionContext> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
    loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
    LoopFuture<Integer> gate = loop.createFuture();
    loop.createTask(
        () -> {
          throw new IllegalStateException("lost");
        });
    loop.callLater(Duration.ofMillis(5), () -> gate.setResult(0));
    loop.runUntilComplete(gate);
    for (int i = 0; i < 100 && reports.isEmpty(); i++) {
      System.gc();
      Thread.sleep(20);
      loop.callSoon(loop::stop);
      loop.runForever();
    }
    assertThat(reports).isNotEmpty();
    assertThat(reports.get(0).message()).contains("exception was never retrieved");
    assertThat(reports.get(0).exception()).hasMessage("lost");
  }

  @Test
  void debugModeAllowsLoopCallsFromTheTaskThread() {
    loop.setDebug(true);
    Task<Integer> t =
        loop.createTask(
            () -> {
              LoopFuture<Integer> f = loop.createFuture();
              loop.callSoon(() -> f.setResult(3));
              return await(f);
            });
    assertThat(loop.runUntilComplete(t)).isEqualTo(3);
  }

  // CPython test_tasks.py: BaseTaskTests.test_task_source_traceback
  @Test
  void debugModeRecordsWhereTheTaskWasCreatedNotInsideTheLibrary() {
    loop.setDebug(true);
    Task<Integer> viaLoop = loop.createTask(() -> 1);
    assertThat(viaLoop.getSourceTraceback()[0].getMethodName())
        .isEqualTo("debugModeRecordsWhereTheTaskWasCreatedNotInsideTheLibrary");
    assertThat(viaLoop.toString()).contains("created at TaskTest.java:");
    assertThat(loop.runUntilComplete(viaLoop)).isEqualTo(1);
  }
}
