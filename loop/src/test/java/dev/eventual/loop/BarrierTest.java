package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ports CPython's {@code Lib/test/test_asyncio/test_locks.py}, {@code BarrierTests}. */
@Timeout(10)
class BarrierTest extends LoopTaskFixture {
  private static final int N = 5;

  private static <T> List<Task<T>> makeTasks(int n, TaskBody<T> body) {
    List<Task<T>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(Asyncio.createTask(body));
    }
    return tasks;
  }

  private static <T> List<T> gatherTasks(int n, TaskBody<T> body) {
    return Await.await(Asyncio.gather(makeTasks(n, body)));
  }

  private static List<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test // test_locks.py: BarrierTests.test_barrier, test_repr
  void toStringShowsTheStateAndTheWaiters() {
    Barrier barrier = new Barrier(N);
    assertThat(barrier).hasToString("Barrier[filling, waiters:0/5]");
    run(
        () -> {
          List<Task<Integer>> waiters = new ArrayList<>(makeTasks(2, barrier::await));
          yieldOnce();
          assertThat(barrier).hasToString("Barrier[filling, waiters:2/5]");
          waiters.addAll(makeTasks(barrier.parties() - barrier.nWaiting(), barrier::await));
          yieldOnce();
          assertThat(barrier.toString()).startsWith("Barrier[draining");
          waiters.addAll(makeTasks(2, barrier::await));
          yieldOnce();
          barrier.reset();
          assertThat(barrier.toString()).startsWith("Barrier[resetting");
          waiters.addAll(makeTasks(2, barrier::await));
          yieldOnce();
          barrier.abort();
          assertThat(barrier).hasToString("Barrier[broken]");
          assertThat(barrier.isBroken()).isTrue();
          Await.await(Asyncio.gather(waiters, true));
          return null;
        });
  }

  @Test // test_locks.py: BarrierTests.test_barrier_parties
  void partiesMustBePositive() {
    assertThatThrownBy(() -> new Barrier(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parties must be >= 1");
    assertThatThrownBy(() -> new Barrier(-4)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new Barrier(N).parties()).isEqualTo(N);
  }

  @Test // test_locks.py: BarrierTests.test_context_manager
  void eachReleasedTaskGetsADistinctIndex() {
    Barrier barrier = new Barrier(3);
    List<Integer> results = run(() -> gatherTasks(3, barrier::await));
    List<Integer> sorted = new ArrayList<>(results);
    Collections.sort(sorted);
    assertThat(sorted).isEqualTo(upTo(3));
    assertThat(barrier.nWaiting()).isZero();
    assertThat(barrier.isBroken()).isFalse();
  }

  @Test // test_locks.py: BarrierTests.test_filling_one_task
  void aBarrierOfOneReleasesAtOnce() {
    Barrier barrier = new Barrier(1);
    assertThat(run(barrier::await)).isZero();
    assertThat(barrier.nWaiting()).isZero();
    assertThat(barrier.isBroken()).isFalse();
  }

  @Test // test_locks.py: BarrierTests.test_filling_one_task_twice
  void aBarrierOfOneCanBePassedTwice() {
    Barrier barrier = new Barrier(1);
    run(
        () -> {
          Task<Integer> t1 = Asyncio.createTask(barrier::await);
          yieldOnce();
          assertThat(barrier.nWaiting()).isZero();
          Task<Integer> t2 = Asyncio.createTask(barrier::await);
          yieldOnce();
          assertThat(t1.result()).isEqualTo(t2.result());
          assertThat(barrier.nWaiting()).isZero();
          assertThat(barrier.isBroken()).isFalse();
          return null;
        });
  }

  @Test // test_locks.py: BarrierTests.test_filling_task_by_task
  void nWaitingCountsTheArrivals() {
    Barrier barrier = new Barrier(3);
    run(
        () -> {
          Task<Integer> t1 = Asyncio.createTask(barrier::await);
          yieldOnce();
          assertThat(barrier.nWaiting()).isEqualTo(1);
          Task<Integer> t2 = Asyncio.createTask(barrier::await);
          yieldOnce();
          assertThat(barrier.nWaiting()).isEqualTo(2);
          Task<Integer> t3 = Asyncio.createTask(barrier::await);
          Await.await(Asyncio.gather(List.of(t1, t2, t3)));
          assertThat(barrier.nWaiting()).isZero();
          assertThat(barrier.isBroken()).isFalse();
          return null;
        });
  }

  @Test // test_locks.py: BarrierTests.test_filling_tasks_wait_twice, _check_return_value
  void theBarrierIsReusable() {
    Barrier barrier = new Barrier(N);
    List<Boolean> results = new ArrayList<>();
    List<Integer> res =
        run(
            () ->
                gatherTasks(
                    N,
                    () -> {
                      barrier.await();
                      results.add(true);
                      int i = barrier.await();
                      results.add(false);
                      return i;
                    }));
    assertThat(results).hasSize(2 * N);
    assertThat(Collections.frequency(results, true)).isEqualTo(N);
    List<Integer> sorted = new ArrayList<>(res);
    Collections.sort(sorted);
    assertThat(sorted).isEqualTo(upTo(N));
    assertThat(barrier.nWaiting()).isZero();
    assertThat(barrier.isBroken()).isFalse();
  }

  @Test // test_locks.py: BarrierTests.test_draining_state
  void allButTheLastTaskLeaveWhileDraining() {
    Barrier barrier = new Barrier(N);
    List<Boolean> results = new ArrayList<>();
    run(
        () ->
            gatherTasks(
                N,
                () -> {
                  barrier.await();
                  return results.add(barrier.toString().contains("draining"));
                }));
    assertThat(results).hasSize(N);
    assertThat(results.get(N - 1)).isFalse();
    assertThat(results.subList(0, N - 1)).containsOnly(true);
  }

  @Test // test_locks.py: BarrierTests.test_blocking_tasks_while_draining
  void newcomersWaitUntilTheBarrierHasDrained() {
    Barrier barrier = new Barrier(N);
    Barrier barrierNoWaiting = new Barrier(N - 2);
    int[] rewait = {2};
    run(
        () ->
            gatherTasks(
                N,
                () -> {
                  barrier.await();
                  if (rewait[0] > 0) {
                    rewait[0]--;
                    barrier.await();
                  } else {
                    barrierNoWaiting.await();
                    barrier.await();
                  }
                  return null;
                }));
    assertThat(barrier.nWaiting()).isZero();
  }

  @Test // test_locks.py: BarrierTests.test_filling_tasks_cancel_one
  void aCancelledWaiterLeavesTheBarrier() {
    Barrier barrier = new Barrier(3);
    List<Boolean> results = new ArrayList<>();
    TaskBody<Boolean> coro =
        () -> {
          barrier.await();
          return results.add(true);
        };
    run(
        () -> {
          Task<Boolean> t1 = Asyncio.createTask(coro);
          yieldOnce();
          assertThat(barrier.nWaiting()).isEqualTo(1);
          Task<Boolean> t2 = Asyncio.createTask(coro);
          yieldOnce();
          assertThat(barrier.nWaiting()).isEqualTo(2);
          t1.cancel();
          yieldOnce();
          assertThat(barrier.nWaiting()).isEqualTo(1);
          assertThatThrownBy(() -> Await.await(t1)).isInstanceOf(CancellationException.class);
          Task<Boolean> t3 = Asyncio.createTask(coro);
          yieldOnce();
          assertThat(barrier.nWaiting()).isEqualTo(2);
          Task<Boolean> t4 = Asyncio.createTask(coro);
          Await.await(Asyncio.gather(List.of(t2, t3, t4)));
          return null;
        });
    assertThat(results).hasSize(3);
    assertThat(barrier.nWaiting()).isZero();
    assertThat(barrier.isBroken()).isFalse();
  }

  @Test // test_locks.py: BarrierTests.test_reset_barrier
  void resettingAnIdleBarrierKeepsItUsable() {
    Barrier barrier = new Barrier(1);
    run(
        () -> {
          Asyncio.createTask(
              () -> {
                barrier.reset();
                return null;
              });
          yieldOnce();
          return null;
        });
    assertThat(barrier.nWaiting()).isZero();
    assertThat(barrier.isBroken()).isFalse();
  }

  @Test // test_locks.py: BarrierTests.test_reset_barrier_while_tasks_waiting
  void aResetBreaksTheWaitOfTheTasksInside() {
    Barrier barrier = new Barrier(N);
    List<Boolean> results = new ArrayList<>();
    run(
        () -> {
          List<Task<Void>> tasks =
              makeTasks(
                  N - 1,
                  () -> {
                    try {
                      barrier.await();
                    } catch (BrokenBarrierException e) {
                      results.add(true);
                    }
                    return null;
                  });
          yieldOnce();
          Asyncio.createTask(
              () -> {
                barrier.reset();
                return null;
              });
          Await.await(Asyncio.gather(tasks));
          return null;
        });
    assertThat(results).hasSize(N - 1);
    assertThat(barrier.nWaiting()).isZero();
    assertThat(barrier.toString()).doesNotContain("resetting");
    assertThat(barrier.isBroken()).isFalse();
  }

  @Test // test_locks.py: BarrierTests.test_reset_barrier_when_tasks_half_draining
  void aResetByADrainedTaskBreaksOnlyTheTasksWaitingAgain() {
    Barrier barrier = new Barrier(N);
    List<Boolean> results1 = new ArrayList<>();
    int restOfTasks = N / 2;
    int[] count = {0};
    run(
        () ->
            gatherTasks(
                N,
                () -> {
                  try {
                    barrier.await();
                  } catch (BrokenBarrierException e) {
                    results1.add(true);
                    return null;
                  }
                  // tasks that left the barrier; CPython compares barrier._count, those still in it
                  count[0]++;
                  if (count[0] == N - restOfTasks) {
                    barrier.reset();
                  }
                  return null;
                }));
    assertThat(results1).hasSize(restOfTasks);
    assertThat(barrier.nWaiting()).isZero();
    assertThat(barrier.toString()).doesNotContain("resetting");
    assertThat(barrier.isBroken()).isFalse();
  }

  @Test // test_locks.py: BarrierTests.test_reset_barrier_when_tasks_half_draining_half_blocking
  void tasksBrokenByAResetMeetTheResetterAtTheNextRound() {
    Barrier barrier = new Barrier(N);
    List<Boolean> results1 = new ArrayList<>();
    List<Boolean> results2 = new ArrayList<>();
    int blockingTasks = N / 2;
    int[] count = {0};
    run(
        () ->
            gatherTasks(
                N,
                () -> {
                  try {
                    barrier.await();
                  } catch (BrokenBarrierException e) {
                    results1.add(true);
                    barrier.await();
                    return null;
                  }
                  count[0]++;
                  if (count[0] > blockingTasks) {
                    barrier.reset();
                    barrier.await();
                  } else {
                    try {
                      barrier.await();
                    } catch (BrokenBarrierException e) {
                      results2.add(true);
                    }
                  }
                  return null;
                }));
    assertThat(results1).hasSize(blockingTasks);
    assertThat(results2).isEmpty();
    assertThat(barrier.nWaiting()).isZero();
    assertThat(barrier.toString()).doesNotContain("resetting");
    assertThat(barrier.isBroken()).isFalse();
  }

  @Test // test_locks.py: BarrierTests.test_reset_barrier_while_tasks_waiting_and_waiting_again
  void tasksBrokenByAResetCanWaitAgain() {
    Barrier barrier = new Barrier(N);
    List<Boolean> results1 = new ArrayList<>();
    List<Boolean> results2 = new ArrayList<>();
    run(
        () -> {
          List<Task<Void>> tasks =
              makeTasks(
                  N - 1,
                  () -> {
                    try {
                      barrier.await();
                    } catch (BrokenBarrierException e) {
                      results1.add(true);
                    } finally {
                      barrier.await();
                      results2.add(true);
                    }
                    return null;
                  });
          Asyncio.createTask(
              () -> {
                barrier.reset();
                return null;
              });
          yieldOnce();
          Asyncio.createTask(
              () -> {
                barrier.await();
                return results2.add(true);
              });
          Await.await(Asyncio.gather(tasks));
          yieldOnce();
          return null;
        });
    assertThat(barrier.isBroken()).isFalse();
    assertThat(results1).hasSize(N - 1);
    assertThat(results2).hasSize(N);
    assertThat(barrier.nWaiting()).isZero();
  }

  @Test // test_locks.py: BarrierTests.test_reset_barrier_while_tasks_draining
  void aResetWhileOthersDrainDoesNotBreakThem() {
    Barrier barrier = new Barrier(N);
    List<Boolean> results1 = new ArrayList<>();
    List<Boolean> results2 = new ArrayList<>();
    List<Boolean> results3 = new ArrayList<>();
    int[] count = {0};
    run(
        () ->
            gatherTasks(
                N,
                () -> {
                  barrier.await();
                  count[0]++;
                  if (count[0] == N) {
                    barrier.reset();
                    barrier.await();
                  } else {
                    try {
                      barrier.await();
                      results1.add(true);
                    } catch (RuntimeException e) {
                      results2.add(true);
                    }
                  }
                  barrier.await();
                  return results3.add(true);
                }));
    assertThat(barrier.isBroken()).isFalse();
    assertThat(results1).hasSize(N - 1);
    assertThat(results2).isEmpty();
    assertThat(results3).hasSize(N);
    assertThat(barrier.nWaiting()).isZero();
  }

  @Test // test_locks.py: BarrierTests.test_abort_barrier
  void abortBreaksTheBarrier() {
    Barrier barrier = new Barrier(1);
    run(
        () -> {
          Asyncio.createTask(
              () -> {
                barrier.abort();
                return null;
              });
          yieldOnce();
          return null;
        });
    assertThat(barrier.nWaiting()).isZero();
    assertThat(barrier.isBroken()).isTrue();
    assertThatThrownBy(() -> run(barrier::await))
        .isInstanceOf(BrokenBarrierException.class)
        .hasMessage("Barrier aborted");
  }

  @Test // test_locks.py: BarrierTests.test_abort_barrier_when_tasks_half_draining_half_blocking
  void anAbortBreaksTheTasksWaitingAndTheOnesArriving() {
    Barrier barrier = new Barrier(N);
    List<Boolean> results1 = new ArrayList<>();
    List<Boolean> results2 = new ArrayList<>();
    int blockingTasks = N / 2;
    int[] count = {0};
    run(
        () ->
            gatherTasks(
                N,
                () -> {
                  try {
                    barrier.await();
                  } catch (BrokenBarrierException e) {
                    results1.add(true);
                    return null;
                  }
                  count[0]++;
                  if (count[0] > blockingTasks) {
                    barrier.abort();
                  } else {
                    try {
                      barrier.await();
                    } catch (BrokenBarrierException e) {
                      results2.add(true);
                    }
                  }
                  return null;
                }));
    assertThat(barrier.isBroken()).isTrue();
    assertThat(results1).hasSize(blockingTasks);
    assertThat(results2).hasSize(N - blockingTasks - 1);
    assertThat(barrier.nWaiting()).isZero();
  }

  @Test // test_locks.py: BarrierTests.test_abort_barrier_when_exception
  void aTaskThatFailsInsideCanAbortForEveryone() {
    Barrier barrier = new Barrier(N);
    List<Boolean> results1 = new ArrayList<>();
    List<Boolean> results2 = new ArrayList<>();
    run(
        () ->
            gatherTasks(
                N,
                () -> {
                  try {
                    int i = barrier.await();
                    if (i == N / 2) {
                      throw new ArithmeticException("boom");
                    }
                    barrier.await();
                    results1.add(true);
                  } catch (BrokenBarrierException e) {
                    results2.add(true);
                  } catch (ArithmeticException e) {
                    barrier.abort();
                  }
                  return null;
                }));
    assertThat(barrier.isBroken()).isTrue();
    assertThat(results1).isEmpty();
    assertThat(results2).hasSize(N - 1);
    assertThat(barrier.nWaiting()).isZero();
  }

  @Test // test_locks.py: BarrierTests.test_abort_barrier_when_exception_then_resetting
  void anAbortedBarrierIsUsableAfterAReset() {
    Barrier barrier1 = new Barrier(N);
    Barrier barrier2 = new Barrier(N);
    List<Boolean> results1 = new ArrayList<>();
    List<Boolean> results2 = new ArrayList<>();
    List<Boolean> results3 = new ArrayList<>();
    run(
        () ->
            gatherTasks(
                N,
                () -> {
                  try {
                    int i = barrier1.await();
                    if (i == N / 2) {
                      throw new ArithmeticException("boom");
                    }
                    barrier1.await();
                    results1.add(true);
                  } catch (BrokenBarrierException e) {
                    results2.add(true);
                  } catch (ArithmeticException e) {
                    barrier1.abort();
                  }
                  int i = barrier2.await();
                  if (i == N / 2) {
                    barrier1.reset();
                  }
                  barrier2.await();
                  barrier1.await();
                  return results3.add(true);
                }));
    assertThat(barrier1.isBroken()).isFalse();
    assertThat(results1).isEmpty();
    assertThat(results2).hasSize(N - 1);
    assertThat(results3).hasSize(N);
    assertThat(barrier1.nWaiting()).isZero();
  }
}
