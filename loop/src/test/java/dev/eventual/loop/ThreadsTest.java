package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ConcurrentFuture;
import dev.eventual.Context;
import dev.eventual.ContextVar;
import dev.eventual.WaitTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Asyncio.toThread (CPython test_threads.py) and runCoroutineThreadsafe (test_tasks.py). */
@Timeout(20)
class ThreadsTest extends LoopTaskFixture {

  @Test // CPython test_threads.py: ToThreadTests.test_to_thread
  void toThreadReturnsTheFunctionsResult() {
    int r =
        run(() -> await(Asyncio.toThread(() -> List.of(40, 2).stream().mapToInt(i -> i).sum())));
    assertThat(r).isEqualTo(42);
  }

  @Test // CPython test_threads.py: ToThreadTests.test_to_thread_once
  void toThreadCallsTheFunctionOnceOffTheLoopThread() {
    AtomicInteger calls = new AtomicInteger();
    Thread loopThread = Thread.currentThread();
    Thread ran =
        run(
            () ->
                await(
                    Asyncio.toThread(
                        () -> {
                          calls.incrementAndGet();
                          return Thread.currentThread();
                        })));
    assertThat(calls).hasValue(1);
    assertThat(ran).isNotSameAs(loopThread);
  }

  @Test // CPython test_threads.py: ToThreadTests.test_to_thread_concurrent
  void toThreadCallsCanBeGathered() {
    AtomicInteger calls = new AtomicInteger();
    List<Integer> results =
        run(
            () -> {
              List<LoopFuture<Integer>> futures = new ArrayList<>();
              for (int i = 0; i < 10; i++) {
                int n = i;
                futures.add(
                    Asyncio.toThread(
                        () -> {
                          calls.incrementAndGet();
                          return n;
                        }));
              }
              return await(Asyncio.gather(futures));
            });
    assertThat(calls).hasValue(10);
    assertThat(results).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test // CPython test_threads.py: ToThreadTests.test_to_thread_contextvars
  void toThreadCarriesTheCurrentContext() {
    ContextVar<String> testCtx = new ContextVar<>("testCtx", "none");
    String r =
        run(
            () -> {
              testCtx.set("parrot");
              String seen = await(Asyncio.toThread(testCtx::get));
              String afterWrite =
                  await(
                      Asyncio.toThread(
                          () -> {
                            testCtx.set("changed in the thread");
                            return testCtx.get();
                          }));
              assertThat(afterWrite).isEqualTo("changed in the thread");
              assertThat(testCtx.get())
                  .as("a copy: the task's context is untouched")
                  .isEqualTo("parrot");
              return seen;
            });
    assertThat(r).isEqualTo("parrot");
  }

  @Test
  void toThreadRefusesBadInput() {
    assertThatThrownBy(() -> Asyncio.toThread(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fn must not be null");
    assertThatThrownBy(() -> Asyncio.toThread(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no running event loop");
  }

  /** CPython RunCoroutineThreadsafeTests.add: sleeps, then fails, cancels itself, or adds. */
  private static TaskBody<Integer> add(int a, int b, boolean fail, boolean cancel) {
    return () -> {
      Asyncio.sleep(Duration.ofMillis(50));
      if (fail) {
        throw new IllegalStateException("Fail!");
      }
      if (cancel) {
        Task.currentTask().cancel();
        Asyncio.sleep(Duration.ZERO);
      }
      return a + b;
    };
  }

  /** CPython RunCoroutineThreadsafeTests.target: submits add() from a worker thread and waits. */
  private LoopFuture<Integer> target(TaskBody<Integer> body, Duration timeout) {
    return loop.runInExecutor(
        () -> {
          ConcurrentFuture<Integer> future = Asyncio.runCoroutineThreadsafe(body, loop);
          try {
            return future.result(timeout);
          } finally {
            if (!future.isDone()) {
              future.cancel();
            }
          }
        });
  }

  @Test // CPython test_tasks.py: RunCoroutineThreadsafeTests.test_run_coroutine_threadsafe
  void aTaskSubmittedFromAnotherThreadDeliversItsResult() {
    assertThat(loop.runUntilComplete(target(add(1, 2, false, false), Duration.ofSeconds(10))))
        .isEqualTo(3);
  }

  @Test // CPython test_tasks.py: test_run_coroutine_threadsafe_with_exception
  void aTaskSubmittedFromAnotherThreadDeliversItsException() {
    assertThatThrownBy(
            () -> loop.runUntilComplete(target(add(1, 2, true, false), Duration.ofSeconds(10))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Fail!");
  }

  @Test // CPython test_tasks.py: test_run_coroutine_threadsafe_with_timeout
  void cancellingTheThreadSafeFutureCancelsTheTask() {
    assertThatThrownBy(() -> loop.runUntilComplete(target(add(1, 2, false, false), Duration.ZERO)))
        .isInstanceOf(WaitTimeoutException.class);
    runBriefly();
    for (Task<?> task : Task.allTasks(loop)) {
      assertThat(task.isDone()).isTrue();
    }
    assertThat(Task.allTasks(loop)).isEmpty();
  }

  @Test // CPython test_tasks.py: test_run_coroutine_threadsafe_task_cancelled
  void aTaskThatEndsCancelledCancelsTheThreadSafeFuture() {
    assertThatThrownBy(
            () -> loop.runUntilComplete(target(add(1, 2, false, true), Duration.ofSeconds(10))))
        .isInstanceOf(CancellationException.class);
  }

  @Test // CPython test_tasks.py: test_run_coroutine_threadsafe_task_factory_exception
  void aFailingTaskFactoryFailsTheFutureAndIsReported() {
    List<ExceptionContext> reports = new ArrayList<>();
    loop.setExceptionHandler((l, c) -> reports.add(c));
    IllegalArgumentException nameError = new IllegalArgumentException("NameError");
    loop.setTaskFactory(
        new TaskFactory() {
          @Override
          public <V> Task<V> createTask(
              EventLoop l, TaskBody<V> body, String name, Context context, Boolean eagerStart) {
            throw nameError;
          }
        });
    assertThatThrownBy(
            () -> loop.runUntilComplete(target(add(1, 2, false, false), Duration.ofSeconds(10))))
        .isSameAs(nameError);
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).exception()).isSameAs(nameError);
  }

  @Test
  void cancellingTheFutureFromAnotherThreadCancelsTheRunningTaskWithTheMessage() throws Exception {
    AtomicReference<ConcurrentFuture<Integer>> submitted = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Throwable> seenByTask = new AtomicReference<>();
    Thread submitter =
        new Thread(
            () -> {
              submitted.set(
                  Asyncio.runCoroutineThreadsafe(
                      () -> {
                        started.countDown();
                        try {
                          return Asyncio.sleep(Duration.ofSeconds(30), 1);
                        } catch (CancellationException e) {
                          seenByTask.set(e);
                          throw e;
                        }
                      },
                      loop));
            });
    submitter.start();
    submitter.join();
    Thread canceller =
        new Thread(
            () -> {
              try {
                started.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              submitted.get().cancel("from another thread");
            });
    canceller.start();
    run(
        () -> {
          while (seenByTask.get() == null) {
            Asyncio.sleep(Duration.ofMillis(5));
          }
          return null;
        });
    canceller.join();
    assertThat(seenByTask.get()).hasMessage("from another thread");
    assertThat(submitted.get().isCancelled()).isTrue();
    assertThat(Task.allTasks(loop)).isEmpty();
  }

  @Test
  void runCoroutineThreadsafeRefusesBadInputAndAClosedLoop() {
    assertThatThrownBy(() -> Asyncio.runCoroutineThreadsafe(null, loop))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("body must not be null");
    assertThatThrownBy(() -> Asyncio.runCoroutineThreadsafe(() -> 1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loop must not be null");
    EventLoop closed = new EventLoop();
    closed.close();
    assertThatThrownBy(() -> Asyncio.runCoroutineThreadsafe(() -> 1, closed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Event loop is closed");
  }

  /**
   * Lets the loop run until no other task is pending (a few turns; the test's timeout bounds it).
   */
  private void runBriefly() {
    run(
        () -> {
          while (Task.allTasks(loop).size() > 1) {
            Asyncio.sleep(Duration.ZERO);
          }
          return null;
        });
  }
}
