package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ConcurrentFuture;
import dev.eventual.Context;
import dev.eventual.ContextVar;
import dev.eventual.FutureExecutor;
import dev.eventual.ThreadPoolFutureExecutor;
import dev.eventual.WaitInterruptedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class RunnerTest {

  @Test // CPython test_runners.py: RunnerTests.test_non_debug
  void aRunnerWithDebugFalseHasANonDebugLoop() {
    try (Runner runner = new Runner(false, null)) {
      assertThat(runner.getLoop().getDebug()).isFalse();
    }
  }

  @Test // CPython test_runners.py: RunnerTests.test_debug
  void aRunnerWithDebugTrueHasADebugLoop() {
    try (Runner runner = new Runner(true, null)) {
      assertThat(runner.getLoop().getDebug()).isTrue();
    }
  }

  @Test // CPython test_runners.py: RunnerTests.test_custom_factory
  void theLoopFactoryMakesTheLoop() {
    EventLoop mine = new EventLoop();
    mine.setDebug(true);
    try (Runner runner = new Runner(null, () -> mine)) {
      assertThat(runner.getLoop()).isSameAs(mine);
      assertThat(mine.getDebug()).as("debug=None leaves the loop's flag").isTrue();
    }
    assertThat(mine.isClosed()).isTrue();
  }

  @Test
  void aFactoryThatReturnsNullOrAClosedLoopIsRefusedClearly() {
    Runner nullFactory = new Runner(null, () -> null);
    assertThatThrownBy(nullFactory::getLoop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loopFactory returned null");
    EventLoop closed = new EventLoop();
    closed.close();
    Runner closedFactory = new Runner(null, () -> closed);
    assertThatThrownBy(() -> closedFactory.run(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loopFactory returned a closed loop");
    nullFactory.close();
    closedFactory.close();
  }

  @Test // CPython test_runners.py: RunnerTests.test_run
  void runReturnsTheResultAndCloseClosesTheLoop() {
    EventLoop loop;
    Runner runner = new Runner();
    try (runner) {
      assertThat(
              runner.run(
                  () -> {
                    Asyncio.sleep(Duration.ZERO);
                    return "done";
                  }))
          .isEqualTo("done");
      loop = runner.getLoop();
    }
    assertThatThrownBy(runner::getLoop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Runner is closed");
    assertThat(loop.isClosed()).isTrue();
  }

  @Test // CPython test_runners.py: RunnerTests.test_explicit_close
  void anExplicitCloseClosesTheLoop() {
    Runner runner = new Runner();
    EventLoop loop = runner.getLoop();
    runner.close();
    assertThatThrownBy(runner::getLoop).hasMessage("Runner is closed");
    assertThat(loop.isClosed()).isTrue();
  }

  @Test // CPython test_runners.py: RunnerTests.test_double_close
  void closingTwiceDoesNothingTheSecondTime() {
    Runner runner = new Runner();
    EventLoop loop = runner.getLoop();
    runner.close();
    assertThat(loop.isClosed()).isTrue();
    runner.close();
    assertThat(loop.isClosed()).isTrue();
  }

  @Test
  void closingARunnerThatNeverMadeItsLoopNeverCallsTheFactory() {
    List<EventLoop> made = new ArrayList<>();
    Runner runner =
        new Runner(
            null,
            () -> {
              EventLoop l = new EventLoop();
              made.add(l);
              return l;
            });
    runner.close();
    assertThat(made).isEmpty();
    assertThatThrownBy(() -> runner.run(() -> 1)).hasMessage("Runner is closed");
  }

  @Test // CPython test_runners.py: RunnerTests.test_second_with_block_raises
  void aClosedRunnerRefusesToRunAgain() {
    List<Integer> ret = new ArrayList<>();
    Runner runner = new Runner();
    try (runner) {
      runner.run(() -> ret.add(1));
    }
    assertThatThrownBy(() -> runner.run(() -> ret.add(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Runner is closed");
    assertThat(ret).containsExactly(1);
  }

  @Test // CPython test_runners.py: RunnerTests.test_run_keeps_context
  void everyRunSharesTheRunnersContext() {
    ContextVar<Integer> cvar = new ContextVar<>("cvar", -1);
    try (Runner runner = new Runner()) {
      TaskBody<Integer> f1 = setAndReturnOld(cvar, 1);
      TaskBody<Integer> f2 = setAndReturnOld(cvar, 2);
      assertThat(runner.run(f1)).isEqualTo(-1);
      assertThat(runner.run(f2)).isEqualTo(1);
      assertThat(runner.run(Context::copyContext).get(cvar)).isEqualTo(2);
    }
    assertThat(cvar.get()).as("the caller's context is untouched").isEqualTo(-1);
  }

  private static TaskBody<Integer> setAndReturnOld(ContextVar<Integer> cvar, int value) {
    return () -> {
      int old = cvar.get();
      Asyncio.sleep(Duration.ZERO);
      cvar.set(value);
      return old;
    };
  }

  @Test
  void runWithAContextRunsTheBodyInThatContext() {
    ContextVar<String> who = new ContextVar<>("who", "nobody");
    Context mine = new Context();
    mine.run(() -> who.set("mine"));
    try (Runner runner = new Runner()) {
      String inMine = runner.run(who::get, mine);
      String inOwn = runner.run(who::get);
      assertThat(inMine).isEqualTo("mine");
      assertThat(inOwn).isEqualTo("nobody");
    }
  }

  @Test // CPython test_runners.py: RunnerTests.test_recursive_run
  void runFromTheRunnersRunningLoopIsRefused() {
    try (Runner runner = new Runner()) {
      assertThatThrownBy(() -> runner.run(() -> runner.run(() -> 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Runner.run() cannot be called from a running event loop");
    }
  }

  @Test
  void aNullBodyIsRefusedNamingTheParameter() {
    try (Runner runner = new Runner()) {
      assertThatThrownBy(() -> runner.run(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("body must not be null");
    }
  }

  @Test // CPython test_runners.py: RunnerTests.test_interrupt_wait
  void anInterruptWhileTheLoopWaitsCancelsTheMainTaskAndTheFutureItAwaits() throws Exception {
    try (Runner runner = new Runner()) {
      LoopFuture<String> fut = runner.getLoop().createFuture();
      Thread me = Thread.currentThread();
      runner.getLoop().callLater(Duration.ofMillis(100), me::interrupt);
      AtomicReference<Throwable> seenByBody = new AtomicReference<>();
      assertThatThrownBy(
              () ->
                  runner.run(
                      () -> {
                        try {
                          return await(fut);
                        } catch (CancellationException e) {
                          seenByBody.set(e);
                          throw e;
                        }
                      }))
          .isInstanceOf(WaitInterruptedException.class);
      assertThat(Thread.interrupted()).as("the interrupt flag stays set").isTrue();
      assertThat(fut.isCancelled()).isTrue();
      assertThat(seenByBody.get()).isInstanceOf(CancellationException.class);
    }
  }

  @Test // CPython test_runners.py: RunTests.test_asyncio_run_reports_hanging_tasks_errors
  void closeReportsALeftoverTaskThatFailsWhenCancelled() {
    List<ExceptionContext> reports = new ArrayList<>();
    AtomicReference<Task<?>> leftover = new AtomicReference<>();
    try (Runner runner = new Runner()) {
      runner.getLoop().setExceptionHandler((l, c) -> reports.add(c));
      int r =
          runner.run(
              () -> {
                leftover.set(
                    Asyncio.createTask(
                        () -> {
                          try {
                            Asyncio.sleep(Duration.ofMillis(100));
                          } catch (CancellationException e) {
                            throw new ArithmeticException("/ by zero");
                          }
                          return null;
                        }));
                return 123;
              });
      assertThat(r).isEqualTo(123);
    }
    assertThat(leftover.get().isDone()).isTrue();
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).message())
        .matches("unhandled exception during Asyncio.run.*shutdown");
    assertThat(reports.get(0).future()).isSameAs(leftover.get());
    assertThat(reports.get(0).exception()).isInstanceOf(ArithmeticException.class);
  }

  @Test // CPython test_base_events.py: test_shutdown_default_executor (what Runner.close does)
  void closeWaitsForTheDefaultExecutorsWorkAndShutsItDown() {
    ConcurrentFuture<String> ran = new ConcurrentFuture<>();
    FutureExecutor executor = new ThreadPoolFutureExecutor(1);
    try (Runner runner = new Runner()) {
      runner.getLoop().setDefaultExecutor(executor);
      runner.run(
          () -> {
            // left running in the executor when the main task ends
            EventLoop.getRunningLoop()
                .runInExecutor(
                    () -> {
                      Thread.sleep(100);
                      ran.setResult("finished");
                      return null;
                    });
            return null;
          });
    }
    assertThat(executor.isShutdown()).isTrue();
    assertThat(ran.isDone()).as("close waited for the executor's threads").isTrue();
  }

  @Test // CPython test_base_events.py: test_run_in_executor_after_shutdown... (RuntimeError)
  void runInExecutorAfterShutdownDefaultExecutorIsRefused() {
    try (EventLoop loop = new EventLoop()) {
      loop.runUntilComplete(loop.shutdownDefaultExecutor(null));
      assertThatThrownBy(() -> loop.runInExecutor(() -> 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Executor shutdown has been called");
      assertThatThrownBy(() -> loop.shutdownDefaultExecutor(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("timeout must not be negative");
    }
  }

  @Test // CPython test_runners.py: RunTests.test_asyncio_run_debug
  void asyncioRunSetsDebugOnlyWhenAsked() {
    assertThat(Asyncio.run(() -> EventLoop.getRunningLoop().getDebug())).isFalse();
    assertThat(Asyncio.run(() -> EventLoop.getRunningLoop().getDebug(), true)).isTrue();
    assertThat(
            Asyncio.run(
                () -> EventLoop.getRunningLoop().getDebug(),
                null,
                () -> {
                  EventLoop l = new EventLoop();
                  l.setDebug(true);
                  return l;
                }))
        .isTrue();
  }

  @Test // CPython test_runners.py: RunTests.test_asyncio_run_loop_factory (3.12)
  void asyncioRunUsesTheLoopFactoryAndClosesItsLoop() {
    List<EventLoop> made = new ArrayList<>();
    TestEventLoop virtual = new TestEventLoop();
    int r =
        Asyncio.run(
            () -> {
              assertThat(EventLoop.getRunningLoop()).isSameAs(virtual);
              Asyncio.sleep(Duration.ofHours(1)); // virtual time: no real wait
              return 42;
            },
            null,
            () -> {
              made.add(virtual);
              return virtual;
            });
    assertThat(r).isEqualTo(42);
    assertThat(made).containsExactly(virtual);
    assertThat(virtual.isClosed()).isTrue();
  }
}
