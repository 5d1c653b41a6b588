package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FutureExecutor} does. A concrete test class provides {@link #newExecutor(int)};
 * the map part is in {@link FutureExecutorMapContract}.
 */
abstract class FutureExecutorContract extends FutureExecutorMapContract {

  @Test // CPython executor.py: ExecutorTest.test_submit
  void submitReturnsAFutureOfTheCallsResult() {
    FutureExecutor ex = executor(2);
    assertThat(ex.submit(() -> (int) Math.pow(2, 8)).result()).isEqualTo(256);
  }

  @Test
  void submittedRunnableCompletesWithNull() {
    FutureExecutor ex = executor(2);
    AtomicBoolean ran = new AtomicBoolean();
    ConcurrentFuture<Void> f = ex.submit(() -> ran.set(true));
    assertThat(f.result()).isNull();
    assertThat(ran).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.FINISHED);
  }

  @Test
  void submitOfNullThrowsNullPointerExceptionNamingTask() {
    FutureExecutor ex = executor(2);
    assertThatThrownBy(() -> ex.submit((java.util.concurrent.Callable<Object>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("task must not be null");
    assertThatThrownBy(() -> ex.submit((Runnable) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("task must not be null");
  }

  @Test // CPython executor.py: test_swallows_falsey_exceptions (the very exception comes back)
  void uncheckedExceptionsAndErrorsComeBackAsThemselves() {
    FutureExecutor ex = executor(2);
    IllegalArgumentException unchecked = new IllegalArgumentException("bad");
    StackOverflowError error = new StackOverflowError("deep");
    ConcurrentFuture<Object> f1 =
        ex.submit(
            () -> {
              throw unchecked;
            });
    ConcurrentFuture<Object> f2 =
        ex.submit(
            () -> {
              throw error;
            });
    assertThatThrownBy(f1::result).isSameAs(unchecked);
    assertThat(f1.exception()).isSameAs(unchecked);
    assertThatThrownBy(f2::result).isSameAs(error);
    assertThatThrownBy(f2::get).isInstanceOf(ExecutionException.class).hasCause(error);
  }

  @Test
  void checkedExceptionIsWrappedOnceInCompletionException() {
    FutureExecutor ex = executor(2);
    IOException checked = new IOException("disk");
    ConcurrentFuture<Object> f =
        ex.submit(
            () -> {
              throw checked;
            });
    assertThatThrownBy(f::result).isExactlyInstanceOf(CompletionException.class).hasCause(checked);
    assertThat(f.exception()).isSameAs(checked);
  }

  @Test // CPython test_shutdown.py: ExecutorShutdownTest.test_run_after_shutdown
  void submitAfterShutdownThrowsRejectedExecutionException() {
    FutureExecutor ex = executor(2);
    assertThat(ex.isShutdown()).isFalse();
    ex.shutdown();
    assertThat(ex.isShutdown()).isTrue();
    assertThatThrownBy(() -> ex.submit(() -> 1))
        .isExactlyInstanceOf(RejectedExecutionException.class)
        .hasMessage("cannot schedule new futures after shutdown");
  }

  @Test // CPython test_shutdown.py: test_hang_issue12364
  void shutdownWaitsForRunningAndQueuedTasks() {
    FutureExecutor ex = executor(2);
    List<ConcurrentFuture<Void>> fs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fs.add(ex.submit(() -> sleep(2)));
    }
    ex.shutdown();
    for (ConcurrentFuture<Void> f : fs) {
      assertThat(f.futureState()).isEqualTo(FutureState.FINISHED);
    }
  }

  @Test // CPython test_shutdown.py: ThreadPoolShutdownTest.test_shutdown_no_wait
  void shutdownWithoutWaitReturnsAtOnceAndTheTasksStillComplete() {
    FutureExecutor ex = executor(2);
    Gate gate = gate();
    ConcurrentFuture<Integer> f =
        ex.submit(
            () -> {
              gate.await();
              return 7;
            });
    ex.shutdown(false, false);
    assertThat(ex.isShutdown()).isTrue();
    assertThat(f.isDone()).isFalse();
    gate.open();
    assertThat(f.result()).isEqualTo(7);
  }

  @Test // CPython test_shutdown.py: ThreadPoolShutdownTest.test_context_manager_shutdown
  void tryWithResourcesShutsDownAndWaits() {
    FutureExecutor ex = executor(2);
    List<Integer> abs = new ArrayList<>();
    ConcurrentFuture<Void> slow;
    try (FutureExecutor e = ex) {
      e.map(Math::abs, List.of(-5, -4, -3, -2, -1, 0, 1, 2, 3, 4)).forEachRemaining(abs::add);
      slow = e.submit(() -> sleep(20));
    }
    assertThat(abs).containsExactly(5, 4, 3, 2, 1, 0, 1, 2, 3, 4);
    assertThat(ex.isShutdown()).isTrue();
    assertThat(slow.isDone()).isTrue();
  }

  @Test
  void shutdownAndCloseAreIdempotent() {
    FutureExecutor ex = executor(2);
    ConcurrentFuture<Integer> f = ex.submit(() -> 1);
    ex.shutdown();
    ex.shutdown(false, false);
    ex.shutdown(true, true);
    ex.close();
    ex.close();
    assertThat(f.result()).isEqualTo(1);
    assertThat(ex.isShutdown()).isTrue();
  }

  @Test // CPython test_shutdown.py: test_cancel_futures, plus the deliberate difference: notified
  void shutdownCancelFuturesCancelsAndNotifiesEveryTaskNotYetStarted() throws Exception {
    assumeThat(limitsWorkers()).as("needs tasks waiting for a worker").isTrue();
    FutureExecutor ex = executor(2);
    Gate gate = gate();
    CountDownLatch started = new CountDownLatch(2);
    List<ConcurrentFuture<Integer>> running = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      running.add(
          ex.submit(
              () -> {
                started.countDown();
                gate.await();
                return 1;
              }));
    }
    awaitLatch(started);
    List<ConcurrentFuture<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      queued.add(ex.submit(() -> 2));
    }
    ex.shutdown(false, true);
    for (ConcurrentFuture<Integer> f : queued) {
      // CPython leaves these CANCELLED, which wait() and as_completed() never see done.
      assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
      assertThatThrownBy(f::result).isInstanceOf(CancellationException.class);
    }
    gate.open();
    ex.shutdown();
    for (ConcurrentFuture<Integer> f : running) {
      assertThat(f.result()).isEqualTo(1);
    }
  }

  @Test // CPython test_shutdown.py: test_cancel_futures (every future ends in exactly one state)
  void shutdownCancelFuturesLeavesEveryFutureFinishedOrCancelledAndNotified() {
    FutureExecutor ex = executor(2);
    Gate gate = gate();
    List<ConcurrentFuture<Void>> fs = new ArrayList<>();
    AtomicIntegerArray runs = new AtomicIntegerArray(200);
    for (int i = 0; i < 200; i++) {
      int n = i;
      fs.add(
          ex.submit(
              () -> {
                runs.incrementAndGet(n);
                if (n < 2) {
                  gate.awaitUninterruptibly(); // keeps two workers busy
                }
              }));
    }
    ex.shutdown(false, true);
    gate.open();
    ex.shutdown();
    int cancelled = 0;
    for (int i = 0; i < fs.size(); i++) {
      ConcurrentFuture<Void> f = fs.get(i);
      FutureState st = f.futureState();
      assertThat(st).isIn(FutureState.FINISHED, FutureState.CANCELLED_AND_NOTIFIED);
      assertThat(runs.get(i)).isEqualTo(st == FutureState.FINISHED ? 1 : 0);
      if (st != FutureState.FINISHED) {
        cancelled++;
      }
    }
    if (limitsWorkers()) {
      assertThat(cancelled).isGreaterThan(0);
    }
  }

  @Test // CPython test_shutdown.py: test_hang_gh94440
  void shutdownDoesNotHangOnATaskCancelledJustBefore() {
    FutureExecutor ex = executor(1);
    ex.submit(() -> 0).result();
    ConcurrentFuture<Integer> f = ex.submit(() -> 0);
    f.cancel();
    ex.shutdown();
    assertThat(f.futureState()).isIn(FutureState.FINISHED, FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  void shutdownNotifiesATaskTheUserCancelledWhileQueued() {
    assumeThat(limitsWorkers()).as("needs tasks waiting for a worker").isTrue();
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    ex.submit(gate::awaitUninterruptibly);
    ConcurrentFuture<Integer> queued = ex.submit(() -> 1);
    assertThat(queued.cancel()).isTrue();
    assertThat(queued.futureState()).isEqualTo(FutureState.CANCELLED);
    ex.shutdown(false, true);
    assertThat(queued.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  void interruptedShutdownThrowsWaitInterruptedExceptionAndStaysShutDown() {
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    ConcurrentFuture<Void> f = ex.submit(gate::awaitUninterruptibly);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(ex::shutdown).isInstanceOf(WaitInterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(ex.isShutdown()).isTrue();
    assertThatThrownBy(() -> ex.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    gate.open();
    ex.shutdown();
    assertThat(f.futureState()).isEqualTo(FutureState.FINISHED);
  }

  @Test
  void pythonCancelFailsOnceTheTaskRuns() throws Exception {
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    CountDownLatch started = new CountDownLatch(1);
    ConcurrentFuture<Integer> f =
        ex.submit(
            () -> {
              started.countDown();
              gate.await();
              return 5;
            });
    awaitLatch(started);
    assertThat(f.isRunning()).isTrue();
    assertThat(f.cancel()).isFalse();
    gate.open();
    assertThat(f.result()).isEqualTo(5);
  }

  @Test
  void cancelTrueInterruptsTheRunningTaskAndTheNextTaskOnThatWorkerIsNotInterrupted() {
    FutureExecutor ex = executor(1);
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Thread> firstThread = new AtomicReference<>();
    CountDownLatch sawInterrupt = new CountDownLatch(1);
    ConcurrentFuture<Object> first =
        ex.submit(
            () -> {
              firstThread.set(Thread.currentThread());
              started.countDown();
              try {
                Thread.sleep(PATIENCE_SECONDS * 1000);
              } catch (InterruptedException expected) {
                sawInterrupt.countDown();
                Thread.currentThread().interrupt(); // leave the flag set: the worker must clear it
              }
              return null;
            });
    awaitLatch(started);
    assertThat(first.cancel(true)).isTrue();
    assertThat(first.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    awaitLatch(sawInterrupt);
    ConcurrentFuture<Boolean> next = ex.submit(() -> Thread.currentThread().isInterrupted());
    ConcurrentFuture<Thread> nextThread = ex.submit(Thread::currentThread);
    assertThat(next.result()).isFalse();
    if (reusesThreads()) {
      assertThat(nextThread.result()).isSameAs(firstThread.get());
    }
  }

  @Test
  void cancelTrueOfOneTaskDoesNotInterruptAnother() {
    FutureExecutor ex = executor(2);
    Gate gate = gate();
    CountDownLatch started = new CountDownLatch(2);
    ConcurrentFuture<Boolean> keeper =
        ex.submit(
            () -> {
              started.countDown();
              gate.await(); // an interrupt would throw here
              return Thread.currentThread().isInterrupted();
            });
    ConcurrentFuture<Object> victim =
        ex.submit(
            () -> {
              started.countDown();
              Thread.sleep(PATIENCE_SECONDS * 1000);
              return null;
            });
    awaitLatch(started);
    assertThat(victim.cancel(true)).isTrue();
    gate.open();
    assertThat(keeper.result()).isFalse();
  }

  @Test
  void jdkCancelFalseOfARunningTaskDropsItsResultWithoutInterrupting() throws Exception {
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    ConcurrentFuture<Integer> f =
        ex.submit(
            () -> {
              started.countDown();
              try {
                gate.await();
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
              finished.countDown();
              return 9;
            });
    awaitLatch(started);
    assertThat(f.cancel(false)).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThatThrownBy(f::result).isInstanceOf(CancellationException.class);
    gate.open();
    awaitLatch(finished);
    assertThat(interrupted).isFalse();
    assertThat(f.isCancelled()).isTrue();
    assertThat(ex.submit(() -> 1).result()).isEqualTo(1);
  }

  @Test
  void tenThousandTinyTasksFromFourThreadsEachCompleteExactlyOnce() throws Exception {
    FutureExecutor ex = executor(4);
    int perThread = 2_500;
    AtomicIntegerArray runs = new AtomicIntegerArray(4 * perThread);
    List<List<ConcurrentFuture<Integer>>> all = new ArrayList<>();
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<ConcurrentFuture<Integer>> mine = new ArrayList<>();
      all.add(mine);
      int base = t * perThread;
      submitters.add(
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  int n = base + i;
                  mine.add(ex.submit(() -> runs.incrementAndGet(n) + n));
                }
              }));
    }
    submitters.forEach(Thread::start);
    for (Thread t : submitters) {
      t.join();
    }
    for (int t = 0; t < 4; t++) {
      List<ConcurrentFuture<Integer>> mine = all.get(t);
      assertThat(mine).hasSize(perThread);
      for (int i = 0; i < perThread; i++) {
        int n = t * perThread + i;
        assertThat(mine.get(i).result()).isEqualTo(n + 1);
      }
    }
    ex.shutdown();
    for (int n = 0; n < runs.length(); n++) {
      assertThat(runs.get(n)).as("runs of task %d", n).isEqualTo(1);
    }
  }

  @Test
  void tasksCancelledWhileQueuedNeverRunAndTheOthersRunExactlyOnce() {
    FutureExecutor ex = executor(2);
    int n = 10_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(n);
    List<ConcurrentFuture<Void>> fs = new ArrayList<>();
    boolean[] cancelled = new boolean[n];
    for (int i = 0; i < n; i++) {
      int k = i;
      fs.add(
          ex.submit(
              () -> {
                runs.incrementAndGet(k);
              }));
      if (ThreadLocalRandom.current().nextInt(3) == 0) {
        int victim = ThreadLocalRandom.current().nextInt(i + 1);
        cancelled[victim] |= fs.get(victim).cancel();
      }
    }
    ex.shutdown();
    for (int i = 0; i < n; i++) {
      ConcurrentFuture<Void> f = fs.get(i);
      if (cancelled[i]) {
        assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
        assertThat(runs.get(i)).as("runs of cancelled task %d", i).isZero();
      } else {
        assertThat(f.futureState()).isEqualTo(FutureState.FINISHED);
        assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
      }
    }
  }

  @Test // CPython executor.py: ExecutorTest.test_no_stale_references (issue 16284)
  void aFinishedTaskKeepsNothingItCapturedAlive() throws Exception {
    FutureExecutor ex = executor(1);
    Object[] holder = {new Object()};
    java.lang.ref.WeakReference<Object> ref = new java.lang.ref.WeakReference<>(holder[0]);
    ConcurrentFuture<Integer> f = submitCapturing(ex, holder[0]);
    f.result();
    holder[0] = null;
    eventually(
        "the captured object is collected while the future is still held",
        () -> {
          System.gc();
          return ref.get() == null;
        });
    assertThat(f.isDone()).isTrue();
  }

  private static ConcurrentFuture<Integer> submitCapturing(FutureExecutor ex, Object captured) {
    return ex.submit(() -> captured.hashCode());
  }

  static Void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }
}
