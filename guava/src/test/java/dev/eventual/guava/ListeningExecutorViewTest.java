package dev.eventual.guava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import dev.eventual.ThreadPoolFutureExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ListeningExecutorViewTest {
  private final ThreadPoolFutureExecutor pool = new ThreadPoolFutureExecutor(2);
  private final ListeningExecutorService service = GuavaFutures.listeningExecutorService(pool);

  @AfterEach
  void tearDown() throws InterruptedException {
    service.shutdownNow();
    assertThat(service.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test // Guava MoreExecutorsTest.testListeningDecorator (submit returns a ListenableFuture)
  void submitRunsOnTheExecutorAndReturnsAListenableFuture() throws Exception {
    ListenableFuture<String> f = service.submit(() -> Thread.currentThread().getName());
    ListenableFutureChecks checks = new ListenableFutureChecks(f);
    String worker = f.get(10, TimeUnit.SECONDS);
    checks.completedWith(worker);
    assertThat(service.submit(() -> {}, "given").get(10, TimeUnit.SECONDS)).isEqualTo("given");
    assertThat(service.submit(() -> {}).get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void aFailingTaskFailsItsFutureWithTheVeryException() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    ListenableFuture<Object> f =
        service.submit(
            () -> {
              throw boom;
            });
    new ListenableFutureChecks(f).failedWith(boom);
  }

  @Test // Guava MoreExecutorsTest.testListeningDecorator (invokeAll returns ListenableFutures)
  void invokeAllReturnsListenableFuturesInTaskOrderAllDone() throws Exception {
    List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
    List<Future<Integer>> results = service.invokeAll(tasks);
    assertThat(results).hasSize(3).allMatch(f -> f instanceof ListenableFuture && f.isDone());
    List<Integer> values = new ArrayList<>();
    for (Future<Integer> f : results) {
      values.add(f.get());
    }
    assertThat(values).containsExactly(1, 2, 3);
  }

  @Test // JDK AbstractExecutorServiceTest.testTimedInvokeAll6 (unfinished tasks are cancelled)
  void timedInvokeAllCancelsTheTasksNotDoneInTime() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    List<Callable<String>> tasks =
        List.of(
            () -> "quick",
            () -> {
              never.await();
              return "slow";
            });
    List<Future<String>> results =
        service.invokeAll(tasks, 2, TimeUnit.SECONDS); // ample for "quick", even on a busy machine
    assertThat(results.get(0).get()).isEqualTo("quick");
    assertThat(results.get(1).isCancelled()).isTrue();
    assertThatThrownBy(() -> results.get(1).get()).isInstanceOf(CancellationException.class);
  }

  @Test // JDK AbstractExecutorServiceTest.testInvokeAny*
  void invokeAnyReturnsASuccessfulResultOrThrowsWhenAllFail() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    Callable<String> failing =
        () -> {
          throw boom;
        };
    assertThat(service.invokeAny(List.of(failing, () -> "ok"))).isEqualTo("ok");
    assertThatThrownBy(() -> service.invokeAny(List.of(failing, failing)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(boom);
    assertThatThrownBy(() -> service.invokeAny(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    CountDownLatch never = new CountDownLatch(1);
    assertThatThrownBy(
            () ->
                service.invokeAny(
                    List.<Callable<String>>of(
                        () -> {
                          never.await();
                          return "slow";
                        }),
                    50,
                    TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
  }

  @Test // Guava AbstractFutureTest: cancel(true) interrupts the task
  void cancelTrueOnASubmittedFutureInterruptsTheWorker() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    ListenableFuture<String> f =
        service.submit(
            () -> {
              started.countDown();
              try {
                Thread.sleep(60_000);
                return "slept";
              } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
              }
            });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(f.cancel(true)).isTrue();
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test // JDK ExecutorService contract: shutdown rejects new tasks, runs those accepted
  void shutdownRejectsNewTasksRunsQueuedOnesAndThenTerminates() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 4; i++) {
      service.execute(
          () -> {
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
          });
    }
    service.shutdown();
    assertThat(service.isShutdown()).isTrue();
    assertThat(service.isTerminated()).isFalse();
    assertThatThrownBy(() -> service.submit(() -> 1))
        .isInstanceOf(RejectedExecutionException.class);
    assertThat(service.awaitTermination(50, TimeUnit.MILLISECONDS)).isFalse();
    release.countDown();
    assertThat(service.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(service.isTerminated()).isTrue();
    assertThat(ran).hasValue(4);
  }

  @Test // JDK ExecutorService contract: awaitTermination without shutdown times out
  void awaitTerminationBeforeShutdownWaitsTheTimeAndReturnsFalse() throws Exception {
    long start = System.nanoTime();
    assertThat(service.awaitTermination(50, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
    assertThat(service.isTerminated()).isFalse();
  }

  @Test // JDK 19+ ExecutorService.close(): shutdown, then wait for termination
  void closeOnJdk19AndLaterShutsDownAndWaitsForTheTasks() throws Exception {
    java.lang.reflect.Method close;
    try {
      close = java.util.concurrent.ExecutorService.class.getMethod("close");
    } catch (NoSuchMethodException olderJdk) {
      return; // JDK 17: ExecutorService has no close()
    }
    CountDownLatch release = new CountDownLatch(1);
    ListenableFuture<String> slow =
        service.submit(
            () -> {
              release.await(10, TimeUnit.SECONDS);
              return "finished";
            });
    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              release.countDown();
            });
    releaser.start();
    close.invoke(service);
    assertThat(slow.isDone()).isTrue();
    assertThat(slow.get()).isEqualTo("finished");
    assertThat(service.isTerminated()).isTrue();
    releaser.join();
  }

  @Test
  void aShutdownOfTheExecutorItselfIsSeenByTheView() throws Exception {
    pool.shutdown(false, false);
    assertThat(service.isShutdown()).isTrue();
    assertThat(service.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * JDK ExecutorService contract: shutdownNow interrupts the running tasks and returns those never
   * started. Repeated on fresh pools: an interrupted task frees its worker, which must not start a
   * waiting task before shutdownNow has cancelled it (the first version interrupted first, and
   * sometimes returned only one of the two waiting tasks).
   */
  @Test
  void shutdownNowInterruptsRunningTasksAndReturnsThoseNeverStarted() throws Exception {
    for (int round = 0; round < 20; round++) {
      ThreadPoolFutureExecutor workers = new ThreadPoolFutureExecutor(2);
      ListeningExecutorService view = GuavaFutures.listeningExecutorService(workers);
      CountDownLatch bothStarted = new CountDownLatch(2);
      CountDownLatch interrupted = new CountDownLatch(2);
      for (int i = 0; i < 2; i++) {
        view.submit(
            () -> {
              bothStarted.countDown();
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
            });
      }
      assertThat(bothStarted.await(10, TimeUnit.SECONDS)).isTrue();
      AtomicBoolean queuedRan = new AtomicBoolean();
      Runnable queuedRunnable = () -> queuedRan.set(true);
      Callable<String> queuedCallable =
          () -> {
            queuedRan.set(true);
            return "never";
          };
      ListenableFuture<?> a = view.submit(queuedRunnable);
      ListenableFuture<String> b = view.submit(queuedCallable);
      List<Runnable> neverStarted = view.shutdownNow();
      assertThat(neverStarted).as("round %d", round).hasSize(2).contains(queuedRunnable);
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(view.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(view.isTerminated()).isTrue();
      assertThat(a.isCancelled()).isTrue();
      assertThat(b.isCancelled()).isTrue();
      assertThat(queuedRan).isFalse();
    }
  }

  @Test
  void nullTasksAreRejectedByNameAndNothingRuns() throws Exception {
    assertThatThrownBy(() -> service.execute(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("command must not be null");
    assertThatThrownBy(() -> service.submit((Runnable) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("task must not be null");
    assertThatThrownBy(() -> service.submit((Callable<?>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("task must not be null");
    assertThatThrownBy(() -> service.submit(null, "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("task must not be null");
    assertThatThrownBy(() -> service.awaitTermination(1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("unit must not be null");
  }

  @Test
  void aNullAmongInvokeAllsTasksIsRejectedBeforeAnyTaskIsSubmitted() {
    AtomicInteger submitted = new AtomicInteger();
    FutureExecutor counting =
        new FutureExecutor() {
          @Override
          public <V> ConcurrentFuture<V> submit(Callable<V> task) {
            submitted.incrementAndGet();
            return pool.submit(task);
          }

          @Override
          public void shutdown(boolean wait, boolean cancelFutures) {
            pool.shutdown(wait, cancelFutures);
          }

          @Override
          public boolean isShutdown() {
            return pool.isShutdown();
          }
        };
    ListeningExecutorService view = GuavaFutures.listeningExecutorService(counting);
    List<Callable<Integer>> withNull = Arrays.asList(() -> 1, null);
    assertThatThrownBy(() -> view.invokeAll(withNull))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tasks[1] must not be null");
    assertThatThrownBy(() -> view.invokeAll(withNull, 1, TimeUnit.SECONDS))
        .hasMessage("tasks[1] must not be null");
    assertThatThrownBy(() -> view.invokeAny(withNull)).hasMessage("tasks[1] must not be null");
    assertThatThrownBy(() -> view.invokeAny(withNull, 1, TimeUnit.SECONDS))
        .hasMessage("tasks[1] must not be null");
    assertThatThrownBy(() -> view.invokeAll(null)).hasMessage("tasks must not be null");
    assertThatThrownBy(() -> view.invokeAll(List.of(() -> 1), 1, null))
        .hasMessage("unit must not be null");
    assertThat(submitted).hasValue(0);
  }

  @Test
  void aFailureOfAnExecutedTaskIsLoggedAtOnce() throws Exception {
    Logger logger = Logger.getLogger("dev.eventual.guava");
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    CountDownLatch logged = new CountDownLatch(1);
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
            logged.countDown();
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    boolean parents = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false);
    logger.addHandler(handler);
    try {
      IllegalStateException boom = new IllegalStateException("boom");
      service.execute(
          () -> {
            throw boom;
          });
      assertThat(logged.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(records).hasSize(1);
      assertThat(records.get(0).getLevel()).isEqualTo(Level.SEVERE);
      assertThat(records.get(0).getThrown()).isSameAs(boom);
      assertThat(records.get(0).getMessage()).contains("given to execute() failed");
    } finally {
      logger.removeHandler(handler);
      logger.setUseParentHandlers(parents);
    }
  }
}
