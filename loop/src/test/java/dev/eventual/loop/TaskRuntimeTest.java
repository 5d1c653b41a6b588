package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eventual.Context;
import dev.eventual.ContextVar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The task runtime: which strand runs bodies, contexts per step, pending tasks, and close() ending
 * in bounded time whatever the bodies do. Runs under every runtime the build tests (the loop
 * module's surefire runs its tests once with the default runtime, once on task threads).
 */
@Timeout(60)
class TaskRuntimeTest {
  private final EventLoop loop = new EventLoop();
  private final List<String> reports = new CopyOnWriteArrayList<>();

  TaskRuntimeTest() {
    loop.setExceptionHandler((l, ctx) -> reports.add(ctx.message()));
  }

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  /** Runs a few loop turns: enough for the tasks created so far to reach their first await. */
  private void runTurns(int turns) {
    for (int i = 0; i < turns; i++) {
      loop.stop();
      loop.runForever();
    }
  }

  // ---------------------------------------------------------------- choosing

  @Test
  void anUnknownOrUnavailableChoiceFallsBackToOneThatWorks() {
    assertThat(TaskRuntime.choose("nonsense")).isEqualTo(TaskRuntime.choose("auto"));
    assertThat(TaskRuntime.choose("platform")).isEqualTo(TaskRuntime.Kind.PLATFORM_THREAD);
    assertThat(TaskRuntime.choose(null)).isEqualTo(TaskRuntime.choose("auto"));
    if (!Continuations.AVAILABLE) {
      assertThat(TaskRuntime.choose("continuation")).isNotEqualTo(TaskRuntime.Kind.CONTINUATION);
      assertThat(Continuations.UNAVAILABLE_REASON).isNotBlank();
    }
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void onJdk21WithTheExportAutoChoosesContinuations() {
    // the build starts test JVMs with --add-exports java.base/jdk.internal.vm=ALL-UNNAMED
    assertThat(Continuations.AVAILABLE)
        .as(String.valueOf(Continuations.UNAVAILABLE_REASON))
        .isTrue();
    assertThat(TaskRuntime.choose("auto")).isEqualTo(TaskRuntime.Kind.CONTINUATION);
    assertThat(TaskRuntime.choose("threads")).isEqualTo(TaskRuntime.Kind.VIRTUAL_THREAD);
  }

  @Test
  void taskRuntimeNamesTheKindInUse() {
    assertThat(EventLoop.taskRuntime())
        .isEqualTo(
            switch (TaskRuntime.kind()) {
              case CONTINUATION -> "continuation";
              case VIRTUAL_THREAD -> "virtual";
              case PLATFORM_THREAD -> "platform";
            });
  }

  // ---------------------------------------------------------------- contexts per step

  @Test // CPython test_tasks.py: test_context_3 (two tasks, one context, steps interleaved)
  void twoPendingTasksMayShareOneContextAsTheirStepsNeverOverlap() {
    ContextVar<Integer> var = new ContextVar<>("var", 0);
    Context shared = new Context();
    LoopFuture<Void> gate = loop.createFuture();
    List<Integer> seen = new ArrayList<>();
    TaskBody<Void> body =
        () -> {
          var.set(var.get() + 1);
          await(gate);
          seen.add(var.get());
          return null;
        };
    Task<Void> a = loop.createTask(body, null, shared);
    Task<Void> b = loop.createTask(body, null, shared);
    runTurns(3);
    gate.setResult(null);
    loop.runUntilComplete(Gathering.gather(loop, List.of(a, b), false));
    assertThat(seen).containsExactly(2, 2);
    assertThat(shared.get(var)).isEqualTo(2);
  }

  @Test
  void aContextEnteredInsideTheBodyIsCurrentAgainAfterAnAwait() {
    ContextVar<String> var = new ContextVar<>("var", "none");
    Context inner = new Context();
    inner.run(() -> var.set("inner"));
    LoopFuture<Void> gate = loop.createFuture();
    Task<String> t =
        loop.createTask(
            () ->
                inner.run(
                    () -> {
                      await(gate);
                      return var.get();
                    }));
    // another task's step, between the two slices, must not see the inner context
    Task<String> other = loop.createTask(var::get);
    runTurns(3);
    assertThat(loop.runUntilComplete(other)).isEqualTo("none");
    gate.setResult(null);
    assertThat(loop.runUntilComplete(t)).isEqualTo("inner");
  }

  @Test
  void betweenStepsTheLoopRunsInItsOwnContext() {
    ContextVar<String> var = new ContextVar<>("var", "loop");
    LoopFuture<Void> gate = loop.createFuture();
    Task<Void> t =
        loop.createTask(
            () -> {
              var.set("task");
              await(gate);
              return null;
            });
    List<String> inCallback = new ArrayList<>();
    loop.callSoon(() -> inCallback.add(var.get()), new Context());
    runTurns(3);
    loop.callSoon(() -> inCallback.add(var.get()));
    runTurns(1);
    gate.setResult(null);
    loop.runUntilComplete(t);
    assertThat(inCallback).containsExactly("loop", "loop");
  }

  // ---------------------------------------------------------------- pending tasks

  @Test // CPython test_tasks.py: test_all_tasks_... (creation order, done tasks leave)
  void allTasksListsThePendingOnesInCreationOrderAndForgetsEndedOnes() {
    LoopFuture<Void> gate = loop.createFuture();
    List<Task<?>> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      tasks.add(
          loop.createTask(
              () -> {
                if (n % 2 == 0) {
                  await(gate);
                }
                return n;
              }));
    }
    runTurns(3);
    assertThat(Task.allTasks(loop)).containsExactly(tasks.get(0), tasks.get(2), tasks.get(4));
    gate.setResult(null);
    loop.runUntilComplete(Gathering.gather(loop, tasks, false));
    assertThat(Task.allTasks(loop)).isEmpty();
  }

  @Test
  void aTaskIsNamedTaskNUnlessNamed() {
    Task<Integer> unnamed = loop.createTask(() -> 1);
    Task<Integer> named = loop.createTask(() -> 2, "worker", null);
    assertThat(unnamed.getName()).matches("Task-\\d+");
    assertThat(named.getName()).isEqualTo("worker");
    loop.runUntilComplete(Gathering.gather(loop, List.of(unnamed, named), false));
  }

  // ---------------------------------------------------------------- close() is bounded

  @Test // issue 19, defect 3: close() hung forever while a TaskGroup waited for a child
  void closeReturnsWhileATaskGroupWaitsForAChild() {
    LoopFuture<Integer> never = loop.createFuture();
    Task<Void> parent =
        loop.createTask(
            () ->
                TaskGroup.run(
                    g -> {
                      g.createTask(() -> await(never));
                      return null;
                    }));
    runTurns(4);
    assertThat(parent.isDone()).isFalse();
    assertTimeoutPreemptively(Duration.ofSeconds(10), loop::close);
    assertThat(parent.isDone()).isTrue();
    assertThat(parent.isCancelled()).isTrue();
    assertThat(Task.allTasks(loop)).isEmpty();
    assertThat(reports).contains("Task was destroyed but it is pending!");
  }

  @Test // issue 19, defect 3: a body catching the cancellation and awaiting again spun close()
  void closeReturnsWhenABodyCatchesTheCancellationAndAwaitsAgain() {
    int[] caught = {0};
    boolean[] finallyRan = {false};
    Task<Void> stubborn =
        loop.createTask(
            () -> {
              try {
                while (true) {
                  try {
                    Asyncio.sleep(Duration.ofSeconds(1));
                  } catch (CancellationException e) {
                    caught[0]++;
                  }
                }
              } finally {
                finallyRan[0] = true;
              }
            });
    runTurns(2);
    assertTimeoutPreemptively(Duration.ofSeconds(10), loop::close);
    assertThat(stubborn.isCancelled()).isTrue();
    assertThat(caught[0]).isEqualTo(1); // the close's cancellation, once
    assertThat(finallyRan[0]).isTrue(); // the AbandonedError that followed unwound it
  }

  @Test
  void closeAbandonsABodyThatSwallowsEverythingAndReportsIt() {
    int[] swallowed = {0};
    Task<Void> hopeless =
        loop.createTask(
            () -> {
              while (true) {
                try {
                  Asyncio.sleep(Duration.ofSeconds(1));
                } catch (Throwable t) {
                  swallowed[0]++;
                }
              }
            });
    runTurns(2);
    assertTimeoutPreemptively(Duration.ofSeconds(10), loop::close);
    assertThat(hopeless.isCancelled()).isTrue();
    assertThat(swallowed[0]).isEqualTo(2); // the cancellation, then the AbandonedError
    assertThat(reports)
        .containsExactly(
            "Task was destroyed but it is pending!",
            "Task ignored the cancellation at close and was abandoned");
  }

  // ---------------------------------------------------------------- no thread for a task

  @Test // issue 19, defect 4: with no OS thread left, tasks stayed pending forever
  void aTaskWhoseThreadCannotBeCreatedEndsWithThatError() {
    assumeTrue(TaskRuntime.kind() == TaskRuntime.Kind.PLATFORM_THREAD);
    ThreadFactory real = TaskThreads.platformFactory;
    OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread");
    TaskThreads.retireIdleWorkers(); // so that the next task needs a new thread
    TaskThreads.platformFactory =
        body ->
            new Thread(body) {
              @Override
              public synchronized void start() {
                throw noThread;
              }
            };
    try {
      Task<Integer> t = loop.createTask(() -> 1);
      runTurns(2);
      assertThat(t.isDone()).isTrue();
      assertThat(t.exception()).isSameAs(noThread);
      assertThat(Task.allTasks(loop)).isEmpty();
    } finally {
      TaskThreads.platformFactory = real;
    }
    assertThat(loop.runUntilComplete(loop.createTask(() -> 2))).isEqualTo(2);
  }

  @Test
  void platformWorkersAreReusedAfterTheirTaskEnds() {
    assumeTrue(TaskRuntime.kind() == TaskRuntime.Kind.PLATFORM_THREAD);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      threads.add(loop.runUntilComplete(loop.createTask(Thread::currentThread)));
    }
    assertThat(threads.stream().distinct().count()).isLessThan(5);
  }

  // ---------------------------------------------------------------- pinning and blocking

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void anAwaitInsideSynchronizedEitherSuspendsOrFailsClearly() {
    Object monitor = new Object();
    LoopFuture<Integer> later = loop.createFuture();
    loop.callSoon(() -> later.setResult(7));
    Task<Integer> t =
        loop.createTask(
            () -> {
              synchronized (monitor) {
                return await(later);
              }
            });
    try {
      assertThat(loop.runUntilComplete(t)).isEqualTo(7);
    } catch (IllegalStateException pinned) {
      // a continuation pinned by the monitor cannot yield: a clear error, not a stalled loop
      assertThat(TaskRuntime.kind()).isEqualTo(TaskRuntime.Kind.CONTINUATION);
      assertThat(pinned)
          .hasMessageContaining("cannot suspend")
          .hasMessageContaining("synchronized");
      assertThat(later.isDone()).isTrue();
    }
  }

  @Test
  void afterAnAwaitThatCannotSuspendTheTaskGoesOn() {
    assumeTrue(TaskRuntime.kind() == TaskRuntime.Kind.CONTINUATION);
    Object monitor = new Object();
    LoopFuture<Integer> later = loop.createFuture();
    Task<Integer> t =
        loop.createTask(
            () -> {
              try {
                synchronized (monitor) {
                  return await(later);
                }
              } catch (IllegalStateException pinned) {
                return await(later) + 1; // outside the monitor: suspends normally
              }
            });
    runTurns(2);
    later.setResult(1);
    int r = loop.runUntilComplete(t);
    assertThat(r).isIn(1, 2); // 1 where monitors do not pin (JDK 24+), 2 where they do
  }

  /**
   * A holder whose class initializer calls {@code Asyncio.sleep(0)}: the JVM runs an initializer
   * under a native frame, where no continuation can yield, on every JDK.
   */
  static final class SleepsInItsInitializer {
    static final IllegalStateException REFUSED;

    static {
      IllegalStateException refused = null;
      try {
        Asyncio.sleep(Duration.ZERO);
      } catch (IllegalStateException pinned) {
        refused = pinned;
      }
      REFUSED = refused;
    }

    private SleepsInItsInitializer() {}
  }

  @Test
  void aZeroSleepThatCannotSuspendLeavesNoStepBehindThatWouldResumeTheNextAwaitEarly() {
    assumeTrue(TaskRuntime.kind() == TaskRuntime.Kind.CONTINUATION);
    LoopFuture<Integer> later = loop.createFuture();
    Task<Integer> t =
        loop.createTask(
            () -> {
              IllegalStateException refused = SleepsInItsInitializer.REFUSED;
              if (refused == null || !refused.getMessage().contains("cannot suspend")) {
                throw new AssertionError("the sleep in the initializer did not fail", refused);
              }
              return await(later); // the yield's queued step must not resume this
            });
    runTurns(4);
    assertThat(t.isDone()).as("resumed before its future was done: %s", t).isFalse();
    later.setResult(5);
    assertThat(loop.runUntilComplete(t)).isEqualTo(5);
    assertThat(reports).isEmpty();
  }

  @Test
  void debugModeTimesTheStepAfterAZeroSleep() {
    try (LogCapture log = LogCapture.start()) {
      loop.setDebug(true);
      loop.setSlowCallbackDuration(Duration.ofMillis(20));
      Task<Void> t =
          loop.createTask(
              () -> {
                Asyncio.sleep(Duration.ZERO);
                Thread.sleep(60); // a blocking call inside the step after the yield
                return null;
              });
      loop.runUntilComplete(t);
      assertThat(log.containing("took"))
          .anySatisfy(r -> assertThat(r.getMessage()).contains("Task.step of " + t.getName()));
    }
  }

  @Test
  void debugModeReportsAStepThatBlocksTheLoop() {
    try (LogCapture log = LogCapture.start()) {
      loop.setDebug(true);
      loop.setSlowCallbackDuration(Duration.ofMillis(20));
      LoopFuture<Void> gate = loop.createFuture();
      Task<Void> t =
          loop.createTask(
              () -> {
                await(gate);
                Thread.sleep(60); // a blocking call inside a step
                return null;
              });
      loop.callSoon(() -> gate.setResult(null));
      loop.runUntilComplete(t);
      assertThat(log.containing("took")).isNotEmpty();
      assertThat(log.containing("took").get(0).getMessage()).contains("Task.step of");
      assertThat(log.containing("took").get(0).getLevel()).isEqualTo(Level.WARNING);
    }
  }

  @Test
  void awaitOutsideATaskStillFailsClearly() {
    assertThatThrownBy(() -> await(loop.createFuture()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be called inside a task");
  }

  // ---------------------------------------------------------------- one thread per continuation

  /** Runs {@code action} on a new thread and returns what it threw, or null. */
  private static Throwable onAnotherThread(Runnable action) throws InterruptedException {
    Throwable[] thrown = new Throwable[1];
    Thread t =
        new Thread(
            () -> {
              try {
                action.run();
              } catch (Throwable e) {
                thrown[0] = e;
              }
            },
            "another-thread");
    t.start();
    t.join(10_000);
    assertThat(t.isAlive()).as("the other thread ended").isFalse();
    return thrown[0];
  }

  @Test // the CI failure of TaskGroupCancelLincheckTest: c1 was resumed on another thread, where
  // its compiled frames still saw the first thread as Thread.currentThread(), and it was lost
  void aLoopWhoseContinuationIsSuspendedOnOneThreadRefusesToRunOnAnotherAndStaysUsable()
      throws Exception {
    assumeTrue(TaskRuntime.kind() == TaskRuntime.Kind.CONTINUATION, "continuations only");
    TestEventLoop test = new TestEventLoop();
    try {
      LoopFuture<Integer> f = test.createFuture();
      Task<Integer> t = test.createTask(() -> await(f) + 1);
      test.runUntilIdle(); // t suspends on this thread
      f.setResult(1);
      Throwable refused = onAnotherThread(test::runUntilIdle);
      assertThat(refused)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("suspended on thread '" + Thread.currentThread().getName() + "'")
          .hasMessageContaining("taskRuntime=threads");
      assertThat(t.isDone()).isFalse(); // nothing ran, nothing was lost
      assertThat(Task.allTasks(test)).containsExactly(t);
      test.runUntilIdle(); // its own thread still runs it
      assertThat(t.result()).isEqualTo(2);
    } finally {
      test.close();
    }
  }

  @Test
  void aLoopWithNoSuspendedContinuationRunsOnAnyThread() throws Exception {
    TestEventLoop test = new TestEventLoop();
    try {
      Task<Integer> first = test.createTask(() -> 1);
      test.runUntilIdle();
      assertThat(first.result()).isEqualTo(1);
      List<Task<Integer>> second = new ArrayList<>();
      assertThat(
              onAnotherThread(
                  () -> {
                    second.add(test.createTask(() -> Asyncio.sleep(Duration.ZERO, 2)));
                    test.runUntilIdle();
                  }))
          .isNull();
      assertThat(second.get(0).result()).isEqualTo(2);
    } finally {
      test.close();
    }
  }
}
