package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TaskGroupTest {
  private static final Duration MS = Duration.ofMillis(1);

  @Test // CPython test_taskgroups.py: TestTaskGroup.test_taskgroup_01
  void runWaitsForEveryTask() {
    List<Integer> r =
        Asyncio.run(
                () ->
                    TaskGroup.run(
                        tg -> {
                          Task<Integer> a =
                              tg.createTask(() -> Asyncio.sleep(MS.multipliedBy(5), 1));
                          Task<Integer> b = tg.createTask(() -> Asyncio.sleep(MS, 2));
                          return List.of(a, b);
                        }))
            .stream()
            .map(LoopFuture::result)
            .toList();
    assertThat(r).containsExactly(1, 2);
  }

  @Test // CPython test_taskgroups.py: TestTaskGroup.test_taskgroup_03 / test_taskgroup_07
  void aFailureCancelsTheSiblingsAndTheBody() {
    List<Task<?>> tasks = new ArrayList<>();
    boolean[] bodyCancelled = {false};
    Throwable t =
        Asyncio.run(
            () -> {
              try {
                TaskGroup.run(
                    tg -> {
                      tasks.add(tg.createTask(() -> Asyncio.sleep(Duration.ofSeconds(10), 1)));
                      tasks.add(
                          tg.createTask(
                              () -> {
                                Asyncio.sleep(MS);
                                throw new IllegalStateException("boom");
                              }));
                      try {
                        Asyncio.sleep(Duration.ofSeconds(10));
                      } catch (CancellationException e) {
                        bodyCancelled[0] = true;
                        throw e;
                      }
                      return null;
                    });
                return null;
              } catch (TaskGroupException e) {
                assertThat(Task.currentTask().cancelling()).isZero();
                return e;
              }
            });
    assertThat(t).isInstanceOf(TaskGroupException.class);
    TaskGroupException group = (TaskGroupException) t;
    assertThat(group.exceptions()).hasSize(1);
    assertThat(group.exceptions().get(0)).hasMessage("boom");
    assertThat(group.getSuppressed()).containsExactlyElementsOf(group.exceptions());
    assertThat(tasks.get(0).isCancelled()).isTrue();
    assertThat(bodyCancelled[0]).isTrue();
  }

  @Test // CPython test_taskgroups.py: TestTaskGroup.test_taskgroup_04 (every error reported)
  void everyErrorIsReported() {
    Throwable t =
        Asyncio.run(
            () -> {
              try {
                TaskGroup.run(
                    tg -> {
                      tg.createTask(
                          () -> {
                            throw new IllegalStateException("one");
                          });
                      tg.createTask(
                          () -> {
                            throw new IllegalArgumentException("two");
                          });
                      return null;
                    });
                return null;
              } catch (TaskGroupException e) {
                return e;
              }
            });
    assertThat(((TaskGroupException) t).exceptions())
        .extracting(Throwable::getMessage)
        .containsExactly("one", "two");
    assertThat(t).hasMessage("unhandled errors in a TaskGroup (2 sub-exceptions)");
  }

  @Test // CPython test_taskgroups.py: TestTaskGroup.test_taskgroup_15 (body error reported)
  void theBodysOwnErrorIsReportedWithTheTasks() {
    Throwable t =
        Asyncio.run(
            () -> {
              try {
                TaskGroup.run(
                    tg -> {
                      tg.createTask(() -> Asyncio.sleep(Duration.ofSeconds(10), 1));
                      throw new java.io.IOException("body");
                    });
                return null;
              } catch (TaskGroupException e) {
                return e;
              }
            });
    assertThat(((TaskGroupException) t).exceptions())
        .extracting(Throwable::getMessage)
        .containsExactly("body");
  }

  @Test // CPython test_taskgroups.py: TestTaskGroup.test_taskgroup_10 (outer cancel propagates)
  void aCancellationFromOutsideCancelsTheGroupAndPropagates() {
    TestEventLoop loop = new TestEventLoop();
    Task<?>[] child = new Task<?>[1];
    Task<Object> t =
        loop.createTask(
            () ->
                TaskGroup.run(
                    tg -> {
                      child[0] = tg.createTask(() -> Asyncio.sleep(Duration.ofSeconds(10), 1));
                      return await(new LoopFuture<Object>());
                    }));
    loop.runUntilIdle();
    t.cancel();
    loop.runUntilIdle();
    assertThat(t.isCancelled()).isTrue();
    assertThat(child[0].isCancelled()).isTrue();
    loop.close();
  }

  @Test // CPython test_taskgroups.py: test_taskgroup_task_after_exit ("is finished")
  void aFinishedGroupRefusesNewTasks() {
    Asyncio.run(
        () -> {
          TaskGroup[] saved = new TaskGroup[1];
          TaskGroup.run(
              tg -> {
                saved[0] = tg;
                return null;
              });
          assertThatThrownBy(() -> saved[0].createTask(() -> 1))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("is finished");
          return null;
        });
    assertThatThrownBy(() -> TaskGroup.run(tg -> 1))
        .hasMessageContaining("must be called inside a task");
  }
}
