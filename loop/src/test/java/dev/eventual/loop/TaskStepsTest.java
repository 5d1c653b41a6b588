package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.internal.ContextAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stepping protocol of a task, driven through {@link TaskSteps} directly: when a step runs the
 * body, and what an await raises. The behaviour seen through the public API is in {@code TaskTest};
 * the loop's turn running a task switch in its own frame is in {@code TaskRuntimeTest} and {@code
 * LoopFutureCallbackTest}.
 */
@Timeout(30)
class TaskStepsTest {
  private static final ContextAccess CONTEXTS = ContextAccess.get();

  private final TestEventLoop loop = new TestEventLoop();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  private <T> T run(TaskBody<T> body) {
    return loop.runUntilComplete(loop.createTask(body));
  }

  @Test
  void aStepThatArrivesWhileTheBodyRunsDoesNothing() {
    AtomicInteger starts = new AtomicInteger();
    int result =
        run(
            () -> {
              starts.incrementAndGet();
              Task<?> me = Task.currentTask();
              assertThat(TaskSteps.beginStep(me)).isFalse();
              TaskSteps.step(me, CONTEXTS.slot()); // a stray step: the body is running
              return 7;
            });
    assertThat(result).isEqualTo(7);
    assertThat(starts).hasValue(1);
  }

  @Test
  void aTaskCancelledBeforeItStartsEndsAtItsFirstStepAndItsBodyNeverRuns() {
    List<String> ran = new ArrayList<>();
    Task<String> t =
        loop.createTask(
            () -> {
              ran.add("body");
              return "x";
            });
    t.cancel("early");
    assertThat(TaskSteps.beginStep(t)).isFalse();
    assertThat(t.isCancelled()).isTrue();
    assertThatThrownBy(t::result).isInstanceOf(CancellationException.class).hasMessage("early");
    loop.runUntilIdle();
    assertThat(ran).isEmpty();
  }

  @Test
  void aStepOfADoneTaskDoesNothing() {
    Task<String> t = loop.createTask(() -> "done");
    loop.runUntilComplete(t);
    assertThat(TaskSteps.beginStep(t)).isFalse();
    TaskSteps.step(t, CONTEXTS.slot());
    assertThat(t.result()).isEqualTo("done");
  }

  @Test
  void anAwaitOfTheTaskItselfIsRefusedAndTheBodyGoesOn() {
    String seen =
        run(
            () -> {
              Task<?> me = Task.currentTask();
              assertThatThrownBy(() -> TaskSteps.await(me, me))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("cannot await on itself");
              return "went on";
            });
    assertThat(seen).isEqualTo("went on");
  }

  @Test
  void aCancelRequestedWhileTheBodyRunsIsRaisedAtItsNextAwaitOfAPendingFuture() {
    LoopFuture<Integer> never = loop.createFuture();
    Task<Integer> t =
        loop.createTask(
            () -> {
              Task.currentTask().cancel("now");
              return TaskSteps.await(Task.currentTask(), never);
            });
    loop.runUntilIdle();
    assertThat(t.isCancelled()).isTrue();
    assertThat(never.isCancelled()).isTrue(); // the cancel went to the future awaited
  }

  @Test
  void aYieldLetsTheOtherReadyCallbacksRunOnceThenResumes() {
    List<String> order = new ArrayList<>();
    run(
        () -> {
          loop.callSoon(() -> order.add("callback"));
          order.add("before");
          TaskSteps.yieldOnce(Task.currentTask());
          order.add("after");
          return null;
        });
    assertThat(order).containsExactly("before", "callback", "after");
  }
}
