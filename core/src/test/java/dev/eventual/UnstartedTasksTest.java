package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class UnstartedTasksTest {
  private static TaskFuture<Integer> task(AtomicInteger runs) {
    return new TaskFuture<>(runs::incrementAndGet);
  }

  @Test
  void cancelAllCancelsAndNotifiesOnlyTheTasksThatHaveNotStarted() {
    UnstartedTasks tasks = new UnstartedTasks();
    AtomicInteger runs = new AtomicInteger();
    TaskFuture<Integer> ran = task(runs);
    TaskFuture<Integer> running = task(runs);
    TaskFuture<Integer> waiting = task(runs);
    tasks.add(ran);
    tasks.add(running);
    tasks.add(waiting);
    ran.run();
    running.setRunningOrNotifyCancel();

    tasks.cancelAll();

    assertThat(ran.futureState()).isEqualTo(FutureState.FINISHED);
    assertThat(running.futureState()).isEqualTo(FutureState.RUNNING);
    assertThat(waiting.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThat(tasks.unstarted()).isEmpty();
  }

  @Test
  void aTaskAddedAfterCancelAllIsCancelledAtOnce() {
    UnstartedTasks tasks = new UnstartedTasks();
    tasks.cancelAll();
    TaskFuture<Integer> late = task(new AtomicInteger());

    tasks.add(late);

    assertThat(late.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  void cancelRemainingNotifiesATaskTheUserCancelledButNobodyRan() {
    UnstartedTasks tasks = new UnstartedTasks();
    TaskFuture<Integer> dropped = task(new AtomicInteger());
    tasks.add(dropped);
    dropped.cancel();
    assertThat(tasks.unstarted()).containsExactly(dropped); // CANCELLED still waits for notice

    tasks.cancelRemaining();

    assertThat(dropped.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThat(tasks.unstarted()).isEmpty();
  }

  @Test
  void segmentsOfStartedTasksAreUnlinkedAsNewOnesArrive() {
    UnstartedTasks tasks = new UnstartedTasks();
    AtomicInteger runs = new AtomicInteger();
    List<TaskFuture<Integer>> first = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      TaskFuture<Integer> t = task(runs);
      first.add(t);
      tasks.add(t);
    }
    first.forEach(TaskFuture::run);
    List<TaskFuture<Integer>> second = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      TaskFuture<Integer> t = task(runs);
      second.add(t);
      tasks.add(t);
    }

    assertThat(tasks.unstarted()).containsExactlyElementsOf(second);
    // the started tasks' segments are gone, save the one the two batches may share
    assertThat(tasks.retained()).isBetween(second.size(), second.size() + UnstartedTasks.SEGMENT);
    assertThat(tasks.segmentCount())
        .isLessThanOrEqualTo(second.size() / UnstartedTasks.SEGMENT + 2);
  }

  @Test
  void aTaskStuckAtTheHeadDoesNotMakeTheQueueGrowWithoutBound() {
    UnstartedTasks tasks = new UnstartedTasks();
    AtomicInteger runs = new AtomicInteger();
    TaskFuture<Integer> stuck = task(runs);
    tasks.add(stuck);
    int maxRetained = 0;
    int maxSegments = 0;
    for (int i = 0; i < 100_000; i++) {
      TaskFuture<Integer> t = task(runs);
      tasks.add(t);
      t.run();
      if (i % 97 == 0) {
        maxRetained = Math.max(maxRetained, tasks.retained());
        maxSegments = Math.max(maxSegments, tasks.segmentCount());
      }
    }

    // between two sweeps at most MIN_SWEEP_SEGMENTS segments fill up; the stuck task keeps one
    int bound = UnstartedTasks.MIN_SWEEP_SEGMENTS + 1;
    assertThat(maxSegments).isLessThanOrEqualTo(bound);
    assertThat(maxRetained).isLessThanOrEqualTo(bound * UnstartedTasks.SEGMENT);
    assertThat(tasks.unstarted()).containsExactly(stuck);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void tasksOfManySubmittingThreadsAreAllCancelledAndIdleLanesAreSweptByOthers()
      throws InterruptedException {
    UnstartedTasks tasks = new UnstartedTasks();
    AtomicInteger runs = new AtomicInteger();
    List<TaskFuture<Integer>> started = new ArrayList<>();
    List<TaskFuture<Integer>> waiting = new ArrayList<>();
    // 2 * LANES threads, one after the other: by thread id they fall on several lanes
    for (int t = 0; t < 2 * UnstartedTasks.LANES; t++) {
      List<TaskFuture<Integer>> mine = new ArrayList<>();
      Thread adder =
          new Thread(
              () -> {
                for (int i = 0; i < 10; i++) {
                  TaskFuture<Integer> task = task(runs);
                  mine.add(task);
                  tasks.add(task);
                }
              });
      adder.start();
      adder.join();
      started.add(mine.get(0));
      waiting.addAll(mine.subList(1, mine.size()));
    }
    started.forEach(TaskFuture::run);
    assertThat(tasks.unstarted()).containsExactlyInAnyOrderElementsOf(waiting);

    // this thread's adds link segments and sweep: the other lanes' started tasks are let go
    waiting.forEach(TaskFuture::run);
    for (int i = 0; i < 100 * UnstartedTasks.SEGMENT; i++) {
      TaskFuture<Integer> task = task(runs);
      tasks.add(task);
      task.run();
    }
    assertThat(tasks.unstarted()).isEmpty();
    assertThat(started).noneMatch(tasks::retains);
    assertThat(waiting).noneMatch(tasks::retains);

    TaskFuture<Integer> last = task(runs);
    tasks.add(last);
    tasks.cancelAll();
    assertThat(last.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void concurrentAddsRunsAndCancelAllLeaveEveryTaskRunOnceOrCancelledAndNotified()
      throws InterruptedException {
    for (int round = 0; round < 20; round++) {
      UnstartedTasks tasks = new UnstartedTasks();
      ConcurrentLinkedQueue<TaskFuture<Integer>> serviceQueue = new ConcurrentLinkedQueue<>();
      List<TaskFuture<Integer>> all = new ArrayList<>();
      List<List<TaskFuture<Integer>>> perAdder = new ArrayList<>();
      AtomicInteger runs = new AtomicInteger();
      AtomicBoolean addersDone = new AtomicBoolean();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int a = 0; a < 2; a++) {
        List<TaskFuture<Integer>> mine = new ArrayList<>();
        perAdder.add(mine);
        threads.add(
            new Thread(
                () -> {
                  await(start);
                  for (int i = 0; i < 5_000; i++) {
                    TaskFuture<Integer> t = task(runs);
                    mine.add(t);
                    tasks.add(t);
                    serviceQueue.add(t);
                  }
                }));
      }
      for (int w = 0; w < 2; w++) {
        threads.add(
            new Thread(
                () -> {
                  await(start);
                  while (!addersDone.get() || !serviceQueue.isEmpty()) {
                    TaskFuture<Integer> t = serviceQueue.poll();
                    if (t != null) {
                      t.run();
                    }
                  }
                }));
      }
      Thread canceller =
          new Thread(
              () -> {
                await(start);
                Thread.yield();
                tasks.cancelAll();
              });
      threads.forEach(Thread::start);
      canceller.start();
      start.countDown();
      threads.get(0).join();
      threads.get(1).join();
      addersDone.set(true);
      for (Thread t : threads) {
        t.join();
      }
      canceller.join();
      perAdder.forEach(all::addAll);

      int finished = 0;
      for (TaskFuture<Integer> t : all) {
        FutureState state = t.futureState();
        assertThat(state).isIn(FutureState.FINISHED, FutureState.CANCELLED_AND_NOTIFIED);
        if (state == FutureState.FINISHED) {
          finished++;
        }
      }
      assertThat(runs.get()).isEqualTo(finished);
      assertThat(tasks.unstarted()).isEmpty();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
