package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FutureExecutor#wrap(ExecutorService)}: the contract on two JDK services, and the rest. */
@Timeout(60)
class WrappedExecutorServiceTest {
  private final List<ExecutorService> services = new ArrayList<>();
  private final List<CountDownLatch> latches = new ArrayList<>();

  private <S extends ExecutorService> S service(S s) {
    services.add(s);
    return s;
  }

  private CountDownLatch latch() {
    CountDownLatch l = new CountDownLatch(1);
    latches.add(l);
    return l;
  }

  /**
   * Submits a task that holds the service's only worker until the test ends (or the worker is
   * interrupted), and returns once it runs: later tasks stay queued.
   */
  private ConcurrentFuture<Boolean> holdTheOnlyWorker(FutureExecutor ex)
      throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = latch();
    ConcurrentFuture<Boolean> holder =
        ex.submit(
            () -> {
              started.countDown();
              return gate.await(ExecutorContractSupport.PATIENCE_SECONDS, TimeUnit.SECONDS);
            });
    started.await();
    return holder;
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    latches.forEach(CountDownLatch::countDown);
    for (ExecutorService s : services) {
      s.shutdownNow();
      s.awaitTermination(ExecutorContractSupport.PATIENCE_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** The contract on {@code wrap(Executors.newFixedThreadPool(n))}. */
  @Nested
  class FixedThreadPool extends FutureExecutorContract {
    @Override
    protected FutureExecutor newExecutor(int maxWorkers) {
      return FutureExecutor.wrap(Executors.newFixedThreadPool(maxWorkers));
    }
  }

  /** The contract on {@code wrap(new ForkJoinPool(n))}. */
  @Nested
  class ForkJoin extends FutureExecutorContract {
    @Override
    protected FutureExecutor newExecutor(int maxWorkers) {
      return FutureExecutor.wrap(new ForkJoinPool(maxWorkers));
    }
  }

  @Test
  void wrapOfNullThrowsNullPointerExceptionNamingService() {
    assertThatThrownBy(() -> FutureExecutor.wrap(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("service must not be null");
  }

  @Test
  void shuttingTheAdapterDownShutsTheServiceDownAndCloseWaitsForItsTermination() {
    ExecutorService s = service(Executors.newFixedThreadPool(2));
    FutureExecutor ex = FutureExecutor.wrap(s);
    ConcurrentFuture<Integer> f = ex.submit(() -> 3);
    ex.close();
    assertThat(s.isShutdown()).isTrue();
    assertThat(s.isTerminated()).isTrue();
    assertThat(f.result()).isEqualTo(3);
    assertThat(ex.toString()).startsWith("FutureExecutor.wrap(java.util.concurrent.");
  }

  @Test
  void cancelFuturesLeavesTheOtherTasksOfASharedServiceAlone() throws Exception {
    ExecutorService s = service(Executors.newFixedThreadPool(1));
    FutureExecutor ex = FutureExecutor.wrap(s);
    CountDownLatch gate = latch();
    ex.submit(() -> gate.await(ExecutorContractSupport.PATIENCE_SECONDS, TimeUnit.SECONDS));
    ConcurrentFuture<Integer> mine = ex.submit(() -> 1);
    AtomicBoolean theirsRan = new AtomicBoolean();
    Future<?> theirs = s.submit(() -> theirsRan.set(true));
    ex.shutdown(false, true);
    assertThat(mine.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    gate.countDown();
    theirs.get(ExecutorContractSupport.PATIENCE_SECONDS, TimeUnit.SECONDS);
    assertThat(theirsRan).isTrue();
    ex.shutdown();
  }

  @Test
  void aServiceThatRejectsMakesSubmitThrowItsException() {
    ExecutorService s = service(Executors.newFixedThreadPool(1));
    s.shutdown();
    FutureExecutor ex = FutureExecutor.wrap(s);
    assertThatThrownBy(() -> ex.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    ex.shutdown(); // nothing was counted, so nothing is waited for
    assertThat(ex.isShutdown()).isTrue();
  }

  /**
   * A ThreadPoolExecutor whose first worker is still being made when a second submission arrives:
   * that submission queues its task behind the worker. If a shutdown comes before the worker is
   * added, the JDK pool drops the worker and refuses the first submission, and nobody starts a
   * worker for the queued task (its {@code addWorkerFailed} does not replace one). The thread
   * factory here holds the first worker until the shutdown is done, which makes the race certain.
   * Found by {@code ExecutorShutdownRaceTest} (stress), which hung in {@code shutdown(wait=true)}.
   */
  private static ThreadPoolExecutor poolWhoseFirstWorkerWaitsFor(
      CountDownLatch making, CountDownLatch release) {
    AtomicBoolean first = new AtomicBoolean(true);
    return new ThreadPoolExecutor(
        1,
        1,
        0,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          if (first.getAndSet(false)) {
            making.countDown();
            try {
              release.await(ExecutorContractSupport.PATIENCE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return new Thread(r);
        });
  }

  @Test
  void aTaskQueuedBehindAWorkerThatAShutdownRefusedStillRuns() throws Exception {
    CountDownLatch making = new CountDownLatch(1);
    CountDownLatch release = latch();
    ThreadPoolExecutor s = service(poolWhoseFirstWorkerWaitsFor(making, release));
    FutureExecutor ex = FutureExecutor.wrap(s);
    AtomicReference<Throwable> firstOutcome = new AtomicReference<>();
    Thread firstSubmitter =
        new Thread(
            () -> {
              try {
                ex.submit(() -> 0);
              } catch (Throwable t) {
                firstOutcome.set(t);
              }
            });
    firstSubmitter.start();
    making.await();
    ConcurrentFuture<Integer> queued = ex.submit(() -> 1); // queued: a worker is on its way
    ex.shutdown(false, false);
    release.countDown();
    firstSubmitter.join();
    assertThat(firstOutcome.get()).isInstanceOf(RejectedExecutionException.class);
    // accepted before the shutdown, so it runs, as the JDK's shutdown() promises
    assertThat(queued.result(Duration.ofSeconds(ExecutorContractSupport.PATIENCE_SECONDS)))
        .isEqualTo(1);
    ex.shutdown(true, false);
    assertThat(s.isTerminated()).isTrue();
  }

  @Test
  void closeWaitsForATaskQueuedBehindAWorkerThatAShutdownRefused() throws Exception {
    CountDownLatch making = new CountDownLatch(1);
    CountDownLatch release = latch();
    ThreadPoolExecutor s = service(poolWhoseFirstWorkerWaitsFor(making, release));
    // the refusal goes to a handler that does not throw: the adapter's wait must notice alone
    s.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy());
    FutureExecutor ex = FutureExecutor.wrap(s);
    Thread firstSubmitter = new Thread(() -> ex.submit(() -> 0));
    firstSubmitter.start();
    making.await();
    ConcurrentFuture<Integer> queued = ex.submit(() -> 1);
    Thread releaser =
        new Thread(
            () -> {
              while (!s.isShutdown()) {
                Thread.onSpinWait();
              }
              release.countDown();
            });
    releaser.start();
    ex.shutdown(true, false); // returns once the pool has run the queued task and terminated
    firstSubmitter.join();
    assertThat(s.isTerminated()).isTrue();
    assertThat(queued.resultNow()).isEqualTo(1);
  }

  @Test
  void tasksTheServiceDroppedAreCancelledAndNotifiedOnceItTerminated() throws Exception {
    ExecutorService s = service(Executors.newFixedThreadPool(1));
    FutureExecutor ex = FutureExecutor.wrap(s);
    holdTheOnlyWorker(ex);
    ConcurrentFuture<Integer> dropped = ex.submit(() -> 1);
    assertThat(s.shutdownNow()).hasSize(1); // someone else's shutdownNow: the task is gone
    ex.shutdown();
    assertThat(dropped.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test // after shutdown(wait=false) nobody waits for the service: its dropped tasks still end
  void tasksTheServiceDropsAfterAShutdownWithoutWaitAreCancelledOnceItTerminated()
      throws Exception {
    ExecutorService s = service(Executors.newFixedThreadPool(1));
    FutureExecutor ex = FutureExecutor.wrap(s);
    ConcurrentFuture<Boolean> running = holdTheOnlyWorker(ex);
    ConcurrentFuture<Integer> dropped = ex.submit(() -> 1);
    ex.shutdown(false, false);
    assertThat(s.shutdownNow()).hasSize(1); // someone else's: the queued task is gone
    assertThat(Futures.wait(List.of(running, dropped), Duration.ofSeconds(10)).notDone()).isEmpty();
    assertThat(dropped.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThat(running.futureState()).isEqualTo(FutureState.FINISHED); // interrupted: its outcome
  }

  @Test // a ForkJoinPool's shutdownNow cancels the ForkJoinTasks it drops: so do their futures
  void tasksAForkJoinPoolsShutdownNowDropsAreCancelledAndNotifiedAtOnce() throws Exception {
    ForkJoinPool s = service(new ForkJoinPool(1));
    FutureExecutor ex = FutureExecutor.wrap(s);
    ConcurrentFuture<Boolean> running = holdTheOnlyWorker(ex);
    List<ConcurrentFuture<Integer>> dropped = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      dropped.add(ex.submit(() -> n));
    }
    s.shutdownNow(); // someone else's, and the adapter is never shut down
    for (ConcurrentFuture<Integer> f : dropped) {
      assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    }
    assertThat(Futures.wait(dropped, Duration.ZERO).notDone()).isEmpty();
    latches.forEach(CountDownLatch::countDown);
    // the running task was not taken back: it ends with its own outcome (the pool interrupts it)
    assertThat(Futures.wait(List.of(running), Duration.ofSeconds(30)).notDone()).isEmpty();
    assertThat(running.futureState()).isEqualTo(FutureState.FINISHED);
  }

  @Test
  void onTheCommonPoolCloseWaitsForTheAdaptersOwnTasksOnly() {
    FutureExecutor ex = FutureExecutor.wrap(ForkJoinPool.commonPool());
    List<ConcurrentFuture<Integer>> fs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      fs.add(
          ex.submit(
              () -> {
                Thread.sleep(2);
                return n;
              }));
    }
    ex.close();
    for (int i = 0; i < fs.size(); i++) {
      assertThat(fs.get(i).futureState()).isEqualTo(FutureState.FINISHED);
      assertThat(fs.get(i).result()).isEqualTo(i);
    }
    assertThat(ForkJoinPool.commonPool().isShutdown()).isFalse();
  }

  @Test // issue 19, defect 5: a submit racing shutdown(wait=true) on the common pool
  void onTheCommonPoolNoTaskRunsAfterShutdownWithWaitReturned() throws Exception {
    for (int round = 0; round < 500; round++) {
      FutureExecutor ex = FutureExecutor.wrap(ForkJoinPool.commonPool());
      java.util.concurrent.atomic.AtomicBoolean returned = new AtomicBoolean();
      java.util.concurrent.atomic.AtomicInteger late =
          new java.util.concurrent.atomic.AtomicInteger();
      List<ConcurrentFuture<Integer>> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(3);
      List<Thread> submitters = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Thread s =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (Exception e) {
                    return;
                  }
                  for (; ; ) {
                    try {
                      accepted.add(
                          ex.submit(
                              () -> {
                                if (returned.get()) {
                                  late.incrementAndGet();
                                }
                                return 1;
                              }));
                    } catch (RejectedExecutionException refused) {
                      return;
                    }
                  }
                });
        s.start();
        submitters.add(s);
      }
      start.await();
      ex.shutdown(true, false);
      returned.set(true);
      for (ConcurrentFuture<Integer> f : accepted) {
        assertThat(f.isDone())
            .as("round %d: %s accepted, not done after shutdown", round, f)
            .isTrue();
      }
      for (Thread s : submitters) {
        s.join(TimeUnit.SECONDS.toMillis(ExecutorContractSupport.PATIENCE_SECONDS));
      }
      for (ConcurrentFuture<Integer> f : accepted) {
        f.result(java.time.Duration.ofSeconds(ExecutorContractSupport.PATIENCE_SECONDS));
      }
      assertThat(late)
          .as("round %d: tasks run after shutdown(wait=true) returned", round)
          .hasValue(0);
    }
  }

  @Test // issue 19, defect 9: ForkJoinPool keeps a worker's interrupt; InterruptTest covers the
  // rest
  void onAForkJoinPoolATasksOwnInterruptDoesNotReachTheNextTask() {
    FutureExecutor ex = FutureExecutor.wrap(service(new ForkJoinPool(1)));
    for (int i = 0; i < 50; i++) {
      ex.submit(() -> Thread.currentThread().interrupt()).result();
      assertThat(ex.submit(() -> Thread.currentThread().isInterrupted()).result())
          .as("try %d: the next task starts interrupted", i)
          .isFalse();
    }
    ex.close();
  }
}
