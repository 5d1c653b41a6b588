package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.Context;
import dev.eventual.ContextVar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eager tasks (CPython test_eager_task_factory.py), on whichever task runtime this JVM runs: the
 * loop module's surefire runs every test on continuations (JDK 21+ with the export) and again on
 * task threads.
 */
@Timeout(20)
class TaskFactoryTest extends LoopTaskFixture {
  private static final Duration SHORT = Duration.ofMillis(20);

  @BeforeEach
  void eagerLoop() {
    loop.setTaskFactory(Asyncio.eagerTaskFactory());
  }

  @Test // CPython test_eager_task_factory.py: test_eager_task_factory_set
  void theFactoryIsSetAndMakesTasks() {
    assertThat(loop.getTaskFactory()).isSameAs(TaskFactory.EAGER);
    run(
        () -> {
          Task<Object> t = loop.createTask(() -> null);
          assertThat(t).isInstanceOf(Task.class);
          return await(t);
        });
  }

  @Test // CPython test_eager_task_factory.py: test_await_future_during_eager_step
  void theEagerStepRunsBeforeCreateTaskReturns() {
    String r =
        run(
            () -> {
              LoopFuture<String> fut = loop.createFuture();
              Task<Object> t =
                  loop.createTask(
                      () -> {
                        fut.setResult("my message");
                        return null;
                      });
              assertThat(t.isDone()).as("the eager step completed the task").isTrue();
              return await(fut);
            });
    assertThat(r).isEqualTo("my message");
  }

  @Test // CPython test_eager_task_factory.py: test_eager_completion
  void aBodyThatDoesNotSuspendReturnsADoneTaskAndCostsNoLoopTurn() {
    String r =
        run(
            () -> {
              Task<String> t = loop.createTask(() -> "hello");
              assertThat(t.isDone()).isTrue();
              assertThat(loop.scheduler.readyCount()).as("nothing scheduled for it").isZero();
              assertThat(Task.allTasks(loop)).doesNotContain(t);
              return await(t);
            });
    assertThat(r).isEqualTo("hello");
  }

  @Test // CPython test_eager_task_factory.py: test_block_after_eager_step
  void aBodyThatSuspendsGoesOnLikeAnyTask() {
    String r =
        run(
            () -> {
              Task<String> t =
                  loop.createTask(
                      () -> {
                        Asyncio.sleep(SHORT);
                        return "finished after blocking";
                      });
              assertThat(t.isDone()).isFalse();
              String result = await(t);
              assertThat(t.isDone()).isTrue();
              return result;
            });
    assertThat(r).isEqualTo("finished after blocking");
  }

  @Test // CPython test_eager_task_factory.py: test_cancellation_after_eager_completion
  void aTaskDoneEagerlyCannotBeCancelled() {
    String r =
        run(
            () -> {
              Task<String> t = loop.createTask(() -> "finished without blocking");
              assertThat(t.cancel()).isFalse();
              String result = await(t);
              assertThat(t.isCancelled()).isFalse();
              return result;
            });
    assertThat(r).isEqualTo("finished without blocking");
  }

  @Test // CPython test_eager_task_factory.py: test_cancellation_after_eager_step_blocks
  void aTaskSuspendedAfterItsEagerStepIsCancelledAtItsAwait() {
    assertThatThrownBy(
            () ->
                run(
                    () -> {
                      Task<String> t =
                          loop.createTask(
                              () -> {
                                Asyncio.sleep(SHORT);
                                return "finished after blocking";
                              });
                      t.cancel("cancellation message");
                      assertThat(t.cancelling()).isPositive();
                      return await(t);
                    }))
        .isInstanceOf(CancellationException.class)
        .hasMessage("cancellation message");
  }

  @Test // CPython test_eager_task_factory.py: test_current_task
  void currentTaskIsTheEagerTaskDuringItsStepAndTheCreatorAfter() {
    AtomicReference<Task<?>> captured = new AtomicReference<>();
    run(
        () -> {
          Task<?> creator = Task.currentTask();
          Task<Object> t =
              loop.createTask(
                  () -> {
                    captured.set(Task.currentTask());
                    Asyncio.sleep(SHORT);
                    assertThat(Task.currentTask()).isSameAs(captured.get());
                    return null;
                  });
          assertThat(captured.get()).isSameAs(t);
          assertThat(Task.currentTask()).isSameAs(creator);
          return await(t);
        });
  }

  @Test // CPython test_eager_task_factory.py: test_all_tasks_with_eager_completion
  void anEagerTaskIsPendingDuringItsStepOnly() {
    AtomicReference<java.util.Set<Task<?>>> captured = new AtomicReference<>();
    run(
        () -> {
          Task<Object> t =
              loop.createTask(
                  () -> {
                    captured.set(Task.allTasks(loop));
                    return null;
                  });
          assertThat(captured.get()).contains(t);
          assertThat(Task.allTasks(loop)).doesNotContain(t);
          return null;
        });
  }

  @Test // CPython test_eager_task_factory.py: test_all_tasks_with_blocking
  void anEagerTaskThatSuspendsStaysPendingUntilItEnds() {
    AtomicReference<java.util.Set<Task<?>>> captured = new AtomicReference<>();
    run(
        () -> {
          LoopFuture<Void> fut1 = loop.createFuture();
          LoopFuture<Void> fut2 = loop.createFuture();
          Task<Object> t =
              loop.createTask(
                  () -> {
                    captured.set(Task.allTasks(loop));
                    await(fut1);
                    fut2.setResult(null);
                    return null;
                  });
          assertThat(captured.get()).contains(t);
          assertThat(Task.allTasks(loop)).contains(t);
          fut1.setResult(null);
          await(fut2);
          Asyncio.sleep(Duration.ZERO);
          assertThat(Task.allTasks(loop)).doesNotContain(t);
          return null;
        });
  }

  @Test // CPython test_eager_task_factory.py: test_context_vars
  void theEagerBodyRunsInACopyOfTheCreatorsContext() {
    ContextVar<Integer> cv = new ContextVar<>("cv", 0);
    AtomicBoolean firstStepRan = new AtomicBoolean();
    AtomicBoolean secondStepRan = new AtomicBoolean();
    run(
        () -> {
          cv.set(1);
          Task<Object> t =
              loop.createTask(
                  () -> {
                    assertThat(cv.get()).isEqualTo(1);
                    cv.set(2);
                    firstStepRan.set(true);
                    Asyncio.sleep(SHORT);
                    assertThat(cv.get()).isEqualTo(2);
                    cv.set(3);
                    secondStepRan.set(true);
                    return null;
                  });
          assertThat(firstStepRan).isTrue();
          assertThat(secondStepRan).isFalse();
          assertThat(cv.get()).isEqualTo(1);
          await(t);
          assertThat(secondStepRan).isTrue();
          assertThat(cv.get()).isEqualTo(1);
          return null;
        });
  }

  @Test // CPython test_eager_task_factory.py: BaseEagerTaskFactoryTests.test_recursive_taskgroups
  void nestedEagerTasksRunDepthFirstInTheirCreators() {
    // Each level creates its children eagerly; a child that suspends hands the turn back to its
    // creator, which is itself a task started eagerly inside its own creator.
    List<String> order = new ArrayList<>();
    AtomicInteger tasks = new AtomicInteger();
    int total =
        run(
            () -> {
              Task<Integer> root = loop.createTask(() -> tree(order, tasks, "r", 3, 3));
              return await(root);
            });
    assertThat(total).isEqualTo(1 + 3 + 9 + 27);
    assertThat(tasks).hasValue(40);
    assertThat(order.subList(0, 4)).containsExactly("r", "r0", "r00", "r000");
  }

  private int tree(List<String> order, AtomicInteger tasks, String name, int width, int depth)
      throws Exception {
    tasks.incrementAndGet();
    order.add(name);
    if (depth == 0) {
      Asyncio.sleep(Duration.ZERO); // a real suspension at the leaves
      return 1;
    }
    List<Task<Integer>> children = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      String child = name + i;
      children.add(loop.createTask(() -> tree(order, tasks, child, width, depth - 1)));
    }
    int sum = 1;
    for (Task<Integer> c : children) {
      sum += await(c);
    }
    return sum;
  }

  @Test // CPython test_tasks.py: test_eager_start_true / test_eager_start_false (3.14)
  void eagerStartOverridesTheFactoryEitherWay() {
    run(
        () -> {
          List<String> order = new ArrayList<>();
          Task<Object> lazy = Asyncio.createTask(() -> order.add("lazy"), null, null, false);
          assertThat(lazy.isDone()).isFalse();
          loop.setTaskFactory(null);
          Task<Object> eager = Asyncio.createTask(() -> order.add("eager"), null, null, true);
          assertThat(eager.isDone()).isTrue();
          Task<Object> plain = loop.createTask(() -> order.add("plain"));
          assertThat(plain.isDone()).isFalse();
          await(lazy);
          await(plain);
          assertThat(order).containsExactly("eager", "lazy", "plain");
          return null;
        });
  }

  @Test // CPython test_eager_task_factory.py: run_coro's note (an eager step needs a running loop)
  void aTaskCreatedWhileTheLoopIsNotRunningStartsLazily() {
    List<String> order = new ArrayList<>();
    Task<Object> t = loop.createTask(() -> order.add("body"));
    assertThat(t.isDone()).isFalse();
    assertThat(order).isEmpty();
    loop.runUntilComplete(t);
    assertThat(order).containsExactly("body");
  }

  @Test
  void anEagerBodyRunsBeforeCallbacksAlreadyScheduled() {
    List<String> order = new ArrayList<>();
    run(
        () -> {
          loop.callSoon(() -> order.add("callSoon"));
          Task<Object> t = loop.createTask(() -> order.add("eager body"));
          order.add("after createTask");
          Asyncio.sleep(Duration.ZERO);
          return await(t);
        });
    assertThat(order).containsExactly("eager body", "after createTask", "callSoon");
  }

  @Test
  void anEagerTaskCreatedFromAPlainCallbackRunsInThatCallback() {
    AtomicReference<Task<String>> t = new AtomicReference<>();
    AtomicBoolean doneInCallback = new AtomicBoolean();
    loop.callSoon(
        () -> {
          t.set(loop.createTask(() -> "x"));
          doneInCallback.set(t.get().isDone());
          loop.stop();
        });
    loop.runForever();
    assertThat(doneInCallback).isTrue();
    assertThat(t.get().result()).isEqualTo("x");
  }

  @Test
  void anEagerBodyThatThrowsEndsTheTaskWithItsException() {
    run(
        () -> {
          IllegalArgumentException boom = new IllegalArgumentException("boom");
          Task<Object> t =
              loop.createTask(
                  () -> {
                    throw boom;
                  });
          assertThat(t.isDone()).isTrue();
          assertThat(t.exception()).isSameAs(boom);
          return null;
        });
  }

  @Test
  void aFactoryThatReturnsNullIsReportedClearly() {
    loop.setTaskFactory(
        new TaskFactory() {
          @Override
          public <V> Task<V> createTask(
              EventLoop l, TaskBody<V> body, String name, Context context, Boolean eagerStart) {
            return null;
          }
        });
    assertThatThrownBy(() -> loop.createTask(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned null instead of a task of this loop");
    assertThatThrownBy(() -> TaskFactory.newTask(null, () -> 1, null, null, true))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loop must not be null");
  }

  @Test
  void aCustomFactoryGetsTheArgumentsAndCanUseNewTask() {
    List<Object> seen = new ArrayList<>();
    loop.setTaskFactory(
        new TaskFactory() {
          @Override
          public <V> Task<V> createTask(
              EventLoop l, TaskBody<V> body, String name, Context context, Boolean eagerStart) {
            seen.add(name);
            seen.add(eagerStart);
            return TaskFactory.newTask(l, body, "custom-" + name, context, false);
          }
        });
    Task<Integer> t = loop.createTask(() -> 1, "t", null, true);
    assertThat(seen).containsExactly("t", true);
    assertThat(t.getName()).isEqualTo("custom-t");
    assertThat(loop.runUntilComplete(t)).isEqualTo(1);
  }
}
