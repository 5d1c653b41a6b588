package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TaskFuture}: the future that is its own queued task, run here by hand. */
@Timeout(60)
class TaskFutureTest {

  @Test
  void runSetsTheResult() {
    TaskFuture<String> f = new TaskFuture<>(() -> "done");
    assertThat(f.futureState()).isEqualTo(FutureState.PENDING);
    f.run();
    assertThat(f.futureState()).isEqualTo(FutureState.FINISHED);
    assertThat(f.result()).isEqualTo("done");
  }

  @Test
  void runSetsWhateverTheCallThrowsAndNeverThrowsItself() {
    IOException checked = new IOException("io");
    OutOfMemoryError error = new OutOfMemoryError("fake");
    TaskFuture<Object> f1 =
        new TaskFuture<>(
            () -> {
              throw checked;
            });
    TaskFuture<Object> f2 =
        new TaskFuture<>(
            () -> {
              throw error;
            });
    f1.run();
    f2.run();
    assertThat(f1.exception()).isSameAs(checked);
    assertThatThrownBy(f1::result).isInstanceOf(CompletionException.class).hasCause(checked);
    assertThat(f2.exception()).isSameAs(error);
  }

  @Test
  void isRunningWhileTheCallRuns() {
    AtomicReference<TaskFuture<Boolean>> self = new AtomicReference<>();
    TaskFuture<Boolean> f = new TaskFuture<>(() -> self.get().isRunning());
    self.set(f);
    f.run();
    assertThat(f.result()).isTrue();
  }

  @Test
  void aSecondRunDoesNotCallAgain() {
    AtomicInteger calls = new AtomicInteger();
    TaskFuture<Integer> f = new TaskFuture<>(calls::incrementAndGet);
    f.run();
    f.run();
    assertThat(calls).hasValue(1);
    assertThat(f.result()).isEqualTo(1);
  }

  @Test // CPython _WorkItem.run: set_running_or_notify_cancel() false -> return
  void runOfACancelledTaskSkipsTheCallAndNotifies() {
    AtomicBoolean called = new AtomicBoolean();
    TaskFuture<Void> f =
        new TaskFuture<>(
            () -> {
              called.set(true);
              return null;
            });
    assertThat(f.cancel()).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED);
    f.run();
    assertThat(called).isFalse();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  void runOfATaskAlreadyFailedOrNotifiedDoesNothing() {
    AtomicBoolean called = new AtomicBoolean();
    TaskFuture<Boolean> failed = new TaskFuture<>(() -> called.getAndSet(true));
    BrokenExecutorException broken = new BrokenExecutorException("broken", null);
    failed.trySetException(broken);
    failed.run();
    assertThat(failed.exception()).isSameAs(broken);
    TaskFuture<Boolean> notified = new TaskFuture<>(() -> called.getAndSet(true));
    assertThat(notified.cancelAndNotify()).isTrue();
    notified.run();
    assertThat(called).isFalse();
    assertThat(notified.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  void cancelAndNotifyCancelsOnlyWhatHasNotStarted() {
    TaskFuture<Integer> pending = new TaskFuture<>(() -> 1);
    assertThat(pending.cancelAndNotify()).isTrue();
    assertThat(pending.cancelAndNotify()).isTrue();
    assertThat(pending.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);

    TaskFuture<Integer> userCancelled = new TaskFuture<>(() -> 1);
    userCancelled.cancel();
    assertThat(userCancelled.cancelAndNotify()).isTrue();
    assertThat(userCancelled.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);

    TaskFuture<Integer> finished = new TaskFuture<>(() -> 1);
    finished.run();
    assertThat(finished.cancelAndNotify()).isFalse();
    assertThat(finished.result()).isEqualTo(1);

    AtomicReference<TaskFuture<Boolean>> self = new AtomicReference<>();
    TaskFuture<Boolean> running = new TaskFuture<>(() -> self.get().cancelAndNotify());
    self.set(running);
    running.run();
    assertThat(running.result()).isFalse();
  }

  @Test
  void cancelTrueInterruptsTheRunnerAndTheFlagIsClearedBeforeRunReturns() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean sawInterrupt = new AtomicBoolean();
    TaskFuture<Void> f =
        new TaskFuture<>(
            () -> {
              started.countDown();
              try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(30));
              } catch (InterruptedException e) {
                sawInterrupt.set(true);
                Thread.currentThread().interrupt(); // leave it set: run() must clear it
              }
              return null;
            });
    AtomicBoolean interruptedAfterRun = new AtomicBoolean(true);
    Thread worker =
        new Thread(
            () -> {
              f.run();
              interruptedAfterRun.set(Thread.currentThread().isInterrupted());
            });
    worker.start();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(f.cancel(true)).isTrue();
    worker.join();
    assertThat(sawInterrupt).isTrue();
    assertThat(interruptedAfterRun).isFalse();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  void cancelTrueAfterTheTaskFinishedInterruptsNobody() {
    TaskFuture<Integer> f = new TaskFuture<>(() -> 1);
    f.run();
    assertThat(f.cancel(true)).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void cancelFalseOfARunningTaskDoesNotInterruptIt() {
    AtomicReference<TaskFuture<Boolean>> self = new AtomicReference<>();
    TaskFuture<Boolean> f =
        new TaskFuture<>(
            () -> {
              self.get().cancel(false);
              return Thread.currentThread().isInterrupted();
            });
    self.set(f);
    f.run();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void racingCancelTrueNeverLeaksAnInterruptIntoTheNextTask() throws Exception {
    int tasks = 3_000;
    BlockingQueue<TaskFuture<Integer>> started = new LinkedBlockingQueue<>();
    AtomicInteger leaks = new AtomicInteger();
    AtomicInteger cancelled = new AtomicInteger();
    // The worker starts the next task only once the canceller has dealt with this one, so that the
    // canceller never falls behind (then every task would be finished before its cancel).
    Semaphore dealtWith = new Semaphore(0);
    Thread worker =
        new Thread(
            () -> {
              for (int i = 0; i < tasks; i++) {
                AtomicReference<TaskFuture<Integer>> self = new AtomicReference<>();
                TaskFuture<Integer> f =
                    new TaskFuture<>(
                        () -> {
                          started.add(self.get());
                          long spin = ThreadLocalRandom.current().nextInt(20_000);
                          long end = System.nanoTime() + spin;
                          while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                          }
                          return 0;
                        });
                self.set(f);
                f.run();
                if (Thread.interrupted()) {
                  leaks.incrementAndGet();
                }
                try {
                  if (!dealtWith.tryAcquire(30, TimeUnit.SECONDS)) {
                    return;
                  }
                } catch (InterruptedException e) {
                  leaks.incrementAndGet(); // an interrupt that outlived its task
                  return;
                }
              }
            });
    worker.start();
    for (int i = 0; i < tasks; i++) {
      TaskFuture<Integer> f = started.poll(30, TimeUnit.SECONDS);
      assertThat(f).as("task %d started", i).isNotNull();
      if (ThreadLocalRandom.current().nextBoolean() && f.cancel(true)) {
        cancelled.incrementAndGet();
      }
      dealtWith.release();
    }
    worker.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(worker.isAlive()).isFalse();
    assertThat(leaks).as("interrupts left after run()").hasValue(0);
    assertThat(cancelled.get()).isPositive();
  }

  @Test
  void cancelTrueTheMomentATaskTurnsRunningStillReachesItsRunner() throws Exception {
    // The runner is stored just after the RUNNING CAS, not claimed before it: a cancel(true) that
    // lands in between must wait for it, never miss it.
    int tasks = 1_000;
    AtomicReference<TaskFuture<Integer>> current = new AtomicReference<>();
    AtomicInteger missed = new AtomicInteger();
    AtomicInteger leaks = new AtomicInteger();
    Thread worker =
        new Thread(
            () -> {
              for (int i = 0; i < tasks; i++) {
                TaskFuture<Integer> f =
                    new TaskFuture<>(
                        () -> {
                          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                          while (!Thread.currentThread().isInterrupted()) {
                            if (System.nanoTime() > end) {
                              missed.incrementAndGet();
                              break;
                            }
                          }
                          return 0;
                        });
                current.set(f);
                f.run();
                if (Thread.interrupted()) {
                  leaks.incrementAndGet();
                }
              }
            });
    worker.start();
    TaskFuture<Integer> previous = null;
    for (int i = 0; i < tasks; i++) {
      TaskFuture<Integer> f;
      while ((f = current.get()) == previous) {
        Thread.onSpinWait();
      }
      while (f.futureState() == FutureState.PENDING) {
        Thread.onSpinWait();
      }
      assertThat(f.cancel(true)).as("task %d cancelled", i).isTrue();
      previous = f;
    }
    worker.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(worker.isAlive()).isFalse();
    assertThat(missed).as("running tasks never interrupted").hasValue(0);
    assertThat(leaks).as("interrupts left after run()").hasValue(0);
  }

  @Test
  void setRunningOrNotifyCancelFromOutsideTakesTheTaskFromItsRunner() {
    AtomicInteger calls = new AtomicInteger();
    TaskFuture<Integer> f = new TaskFuture<>(calls::incrementAndGet);
    assertThat(f.setRunningOrNotifyCancel()).isTrue();
    f.run();
    assertThat(calls).hasValue(0);
    assertThat(f.isRunning()).isTrue();
    assertThat(f.cancel(true)).isTrue(); // no runner to interrupt, and none to wait for
    assertThat(Thread.interrupted()).isFalse();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  /** Counts how a task ended: by a run, or acknowledged without running. */
  private static final class CountingTask extends TaskFuture<Integer> {
    final AtomicInteger ran = new AtomicInteger();
    final AtomicInteger endedWithoutRunning = new AtomicInteger();

    CountingTask() {
      super(() -> 1);
    }

    @Override
    public void run() {
      if (runOnce()) {
        ran.incrementAndGet();
      }
    }

    @Override
    void endedWithoutRunning() {
      endedWithoutRunning.incrementAndGet();
    }

    int ends() {
      return ran.get() + endedWithoutRunning.get();
    }
  }

  @Test
  void everyTaskEndsExactlyOnceWhoeverAcknowledgesIt() {
    CountingTask ranFirst = new CountingTask();
    ranFirst.run();
    ranFirst.run();
    ranFirst.cancelAndNotify();
    assertThat(ranFirst.ran).hasValue(1);
    assertThat(ranFirst.ends()).isEqualTo(1);

    CountingTask cancelledThenRun = new CountingTask();
    cancelledThenRun.cancel();
    cancelledThenRun.run();
    cancelledThenRun.cancelAndNotify();
    cancelledThenRun.run();
    assertThat(cancelledThenRun.endedWithoutRunning).hasValue(1);
    assertThat(cancelledThenRun.ends()).isEqualTo(1);

    CountingTask notifiedThenRun = new CountingTask();
    notifiedThenRun.cancelAndNotify();
    notifiedThenRun.run();
    assertThat(notifiedThenRun.endedWithoutRunning).hasValue(1);
    assertThat(notifiedThenRun.ends()).isEqualTo(1);
  }

  @Test
  void racingRunsAndCancelAndNotifyEndEachTaskExactlyOnce() throws Exception {
    for (int round = 0; round < 2_000; round++) {
      CountingTask task = new CountingTask();
      CountDownLatch go = new CountDownLatch(1);
      Thread[] threads = new Thread[3];
      for (int t = 0; t < threads.length; t++) {
        boolean canceller = t == 0;
        threads[t] =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  if (canceller) {
                    task.cancelAndNotify();
                  } else {
                    task.run();
                  }
                });
        threads[t].start();
      }
      go.countDown();
      for (Thread t : threads) {
        t.join(10_000);
      }
      assertThat(task.ends()).as("round %d: %s", round, task).isEqualTo(1);
      assertThat(task.ran.get() == 1)
          .as("round %d: ran iff finished", round)
          .isEqualTo(task.futureState() == FutureState.FINISHED);
    }
  }

  @Test
  void aWaiterParksAtOnceOnATaskButSpinsFirstOnAFutureCompletedByHand() {
    // the spin would take a processor from the workers that complete tasks (TinyTasksBenchmark)
    assertThat(new TaskFuture<>(() -> "x").spinBeforeBlocking()).isFalse();
    assertThat(new ConcurrentFuture<String>().spinBeforeBlocking()).isTrue();
  }

  @Test
  void aWaiterBlockedOnATaskWakesWhenAWorkerFinishesIt() throws Exception {
    TaskFuture<String> f = new TaskFuture<>(() -> "from worker");
    Thread worker =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              f.run();
            });
    worker.start();
    assertThat(f.result()).isEqualTo("from worker");
    worker.join(10_000);
  }

  @Test // issue 19, defect 10: every run that lost the race built an exception with its message
  void aRunThatFindsTheTaskTakenBuildsNoExceptionMessage() {
    java.util.concurrent.atomic.AtomicInteger described =
        new java.util.concurrent.atomic.AtomicInteger();
    TaskFuture<Integer> task =
        new TaskFuture<>(() -> 1) {
          @Override
          public String toString() {
            described.incrementAndGet();
            return super.toString();
          }
        };
    task.run();
    task.run(); // FINISHED: nothing to do
    TaskFuture<Integer> cancelled =
        new TaskFuture<>(() -> 2) {
          @Override
          public String toString() {
            described.incrementAndGet();
            return super.toString();
          }
        };
    cancelled.cancel();
    cancelled.run(); // acknowledges
    cancelled.run(); // already acknowledged: nothing to do
    assertThat(task.result()).isEqualTo(1);
    assertThat(cancelled.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThat(described).as("messages built for runs that had nothing to do").hasValue(0);
  }
}
