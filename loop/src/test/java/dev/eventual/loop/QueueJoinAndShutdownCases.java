package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cases CPython's {@code test_queues.py} runs for every queue class: {@code
 * _QueueJoinTestMixin} and {@code _QueueShutdownTestMixin}. {@link QueueTest}, {@link
 * LifoQueueTest} and {@link PriorityQueueTest} run them on their class.
 */
@Timeout(10)
abstract class QueueJoinAndShutdownCases {
  final EventLoop loop = new EventLoop();

  /** A new queue of the class under test. */
  abstract <T extends Comparable<T>> Queue<T> newQueue(int maxsize);

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  <T> T run(TaskBody<T> body) {
    return loop.runUntilComplete(loop.createTask(body));
  }

  static void yieldOnce() {
    Asyncio.sleep(Duration.ZERO);
  }

  static void assertShutDown(Runnable op) {
    assertThatThrownBy(op::run).isInstanceOf(QueueShutDownException.class);
  }

  @Test // test_queues.py: _QueueJoinTestMixin.test_task_done_underflow
  void taskDoneWithoutAnUnfinishedItemRaises() {
    Queue<Integer> q = newQueue(0);
    assertThatThrownBy(q::taskDone)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("task_done() called too many times");
  }

  @Test // test_queues.py: _QueueJoinTestMixin.test_task_done
  void joinReturnsOnceEveryItemIsDone() {
    Queue<Integer> q = newQueue(0);
    for (int i = 0; i < 100; i++) {
      q.putNowait(i);
    }
    int[] accumulator = {0};
    boolean[] running = {true};
    run(
        () -> {
          List<Task<Void>> workers = new ArrayList<>();
          for (int w = 0; w < 2; w++) {
            workers.add(
                Asyncio.createTask(
                    () -> {
                      while (running[0]) {
                        accumulator[0] += q.get();
                        q.taskDone();
                      }
                      return null;
                    }));
          }
          q.join();
          assertThat(accumulator[0]).isEqualTo(4950);
          running[0] = false;
          for (int w = 0; w < workers.size(); w++) {
            q.putNowait(0);
          }
          Await.await(Asyncio.gather(workers));
          return null;
        });
  }

  @Test // test_queues.py: _QueueJoinTestMixin.test_join_empty_queue
  void joinOnAnEmptyQueueReturnsAtOnce() {
    Queue<Integer> q = newQueue(0);
    run(
        () -> {
          q.join();
          q.join();
          return null;
        });
  }

  @Test // test_queues.py: _QueueJoinTestMixin.test_format, _QueueShutdownTestMixin.test_format
  void toStringShowsUnfinishedTasksAndShutdown() {
    Queue<Integer> q = newQueue(0);
    String name = q.getClass().getSimpleName();
    assertThat(q).hasToString(name + "[maxsize=0]");
    q.putNowait(1);
    q.putNowait(2);
    q.getNowait();
    q.getNowait();
    assertThat(q).hasToString(name + "[maxsize=0, tasks=2]");
    q.taskDone();
    q.taskDone();
    q.shutdown();
    assertThat(q).hasToString(name + "[maxsize=0, shutdown]");
  }

  @Test // test_queues.py: _QueueShutdownTestMixin.test_shutdown_empty
  void shuttingDownAnEmptyQueueFailsWaitingAndLaterGetsAndPuts() {
    Queue<String> q = newQueue(0);
    run(
        () -> {
          Task<String> getTask = Asyncio.createTask(q::get);
          yieldOnce();
          q.shutdown(false);
          assertThat(q.qsize()).isZero();
          q.join();
          yieldOnce();
          assertThat(getTask.isDone()).isTrue();
          assertShutDown(() -> Await.await(getTask));
          assertShutDown(() -> q.put("data"));
          assertShutDown(() -> q.putNowait("data"));
          assertShutDown(q::get);
          assertShutDown(q::getNowait);
          return null;
        });
  }

  @Test // test_queues.py: _QueueShutdownTestMixin.test_shutdown_nonempty
  void aShutDownQueueStillHandsOutItsItems() {
    Queue<String> q = newQueue(1);
    run(
        () -> {
          q.putNowait("data");
          Task<Void> joinTask =
              Asyncio.createTask(
                  () -> {
                    q.join();
                    return null;
                  });
          Task<Void> putTask =
              Asyncio.createTask(
                  () -> {
                    q.put("data2");
                    return null;
                  });
          yieldOnce();
          assertThat(putTask.isDone()).isFalse();
          q.shutdown(false);
          assertThat(q.qsize()).isEqualTo(1);
          yieldOnce();
          assertThat(putTask.isDone()).isTrue();
          assertShutDown(() -> Await.await(putTask));
          assertThat(q.get()).isEqualTo("data");
          yieldOnce();
          assertThat(joinTask.isDone()).isFalse();
          assertShutDown(() -> q.put("data"));
          assertShutDown(() -> q.putNowait("data"));
          assertShutDown(q::get);
          assertShutDown(q::getNowait);
          q.taskDone();
          yieldOnce();
          assertThat(joinTask.isDone()).isTrue();
          Await.await(joinTask);
          assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
          return null;
        });
  }

  @Test // test_queues.py: _QueueShutdownTestMixin.test_shutdown_immediate
  void anImmediateShutdownDropsTheItemsAndReleasesJoin() {
    Queue<String> q = newQueue(0);
    run(
        () -> {
          q.putNowait("data");
          Task<Void> joinTask =
              Asyncio.createTask(
                  () -> {
                    q.join();
                    return null;
                  });
          q.shutdown(true);
          assertThat(q.qsize()).isZero();
          yieldOnce();
          assertThat(joinTask.isDone()).isTrue();
          Await.await(joinTask);
          assertShutDown(() -> q.put("data"));
          assertShutDown(() -> q.putNowait("data"));
          assertShutDown(q::get);
          assertShutDown(q::getNowait);
          assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
          return null;
        });
  }

  @Test // test_queues.py: _QueueShutdownTestMixin.test_shutdown_immediate_with_unfinished
  void anImmediateShutdownKeepsTheItemsAlreadyTakenUnfinished() {
    Queue<String> q = newQueue(0);
    run(
        () -> {
          q.putNowait("data");
          q.putNowait("data");
          Task<Void> joinTask =
              Asyncio.createTask(
                  () -> {
                    q.join();
                    return null;
                  });
          assertThat(q.get()).isEqualTo("data");
          q.shutdown(true);
          assertThat(q.qsize()).isZero();
          yieldOnce();
          assertThat(joinTask.isDone()).isFalse();
          assertShutDown(() -> q.put("data"));
          assertShutDown(() -> q.putNowait("data"));
          assertShutDown(q::get);
          assertShutDown(q::getNowait);
          q.taskDone();
          assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
          yieldOnce();
          assertThat(joinTask.isDone()).isTrue();
          Await.await(joinTask);
          return null;
        });
  }

  @Test // issue 14: shutdown wakes every waiting putter and getter, in order, each failing
  void shutdownWakesAllWaitingPuttersWithQueueShutDown() {
    Queue<Integer> q = newQueue(1);
    run(
        () -> {
          q.putNowait(0);
          List<Task<Void>> putters = new ArrayList<>();
          for (int i = 1; i <= 3; i++) {
            int item = i;
            putters.add(
                Asyncio.createTask(
                    () -> {
                      q.put(item);
                      return null;
                    }));
          }
          yieldOnce();
          q.shutdown();
          List<Object> outcomes = Await.await(Asyncio.gather(putters, true));
          assertThat(outcomes).allMatch(o -> o instanceof QueueShutDownException);
          assertThat(q.qsize()).isEqualTo(1);
          assertThat(q.getNowait()).isZero();
          return null;
        });
  }
}
