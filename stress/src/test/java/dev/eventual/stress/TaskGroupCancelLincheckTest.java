package dev.eventual.stress;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.LoopFuture;
import dev.eventual.loop.Task;
import dev.eventual.loop.TaskGroup;
import dev.eventual.loop.TaskGroupException;
import dev.eventual.loop.TestEventLoop;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Task and {@link TaskGroup} cancellation racing the completions that would let the tasks finish,
 * all sent to the loop from other threads, as a program's threads send them: a parent task {@code
 * g} runs a group of two children, {@code c1} awaiting {@code f1} and {@code c2} awaiting {@code
 * f2}; any thread may post (with {@code callSoonThreadsafe}) the cancel of {@code g} or of {@code
 * c1}, the result of {@code f1}, or an error of {@code f2}; the loop's own thread runs the loop
 * until it is idle ({@code turn}, which reports every task's state).
 *
 * <p>The sequential specification ({@link Model}) is this very program run on one thread: every
 * concurrent run must report, turn by turn, what some order of the same posts reports when they run
 * one after the other. That holds only if a post is never lost, run twice or reordered against
 * another thread's earlier post, and if a task's cancel, its awaited future's completion and the
 * group's abort compose the same way whatever thread sent them (CPython's rules: a cancel that
 * finds the awaited future done is delivered at the task's next step; a child's cancellation is not
 * the group's error; an error cancels the siblings and the parent; a cancelled parent cancels every
 * child and ends cancelled). After each scenario ({@link #everyTaskEndsOnceAndTheLoopClosesClean})
 * the parent is cancelled and the loop run: every task ends in exactly one outcome, each task's
 * done-callback ran exactly once, and the loop closes with nothing to abandon.
 *
 * <p>The tasks run on the runtime the JVM chose ({@code dev.eventual.loop.taskRuntime}): platform
 * threads on JDK 17, continuations on JDK 21+ with the export the build passes. Lincheck's stress
 * mode only: its model checker schedules the threads it created and nothing else, and a task's
 * thread, or a continuation mounted on the loop's thread, is outside what it can schedule (tried:
 * it aborts invocations half-way through a turn and then times out).
 */
public class TaskGroupCancelLincheckTest {
  static {
    Lincheck.warmUp();
    TaskGroupCancelLincheckTest warm = new TaskGroupCancelLincheckTest();
    warm.failF2();
    warm.turn();
    warm.everyTaskEndsOnceAndTheLoopClosesClean();
  }

  private final TestEventLoop loop = new TestEventLoop();
  private final LoopFuture<Integer> f1 = loop.createFuture();
  private final LoopFuture<Integer> f2 = loop.createFuture();
  private final AtomicInteger doneCallbacks = new AtomicInteger();
  private final AtomicInteger posted = new AtomicInteger();
  private final AtomicInteger ranPosts = new AtomicInteger();
  private Task<Integer> c1;
  private Task<Integer> c2;
  private final Task<Integer> g;

  public TaskGroupCancelLincheckTest() {
    g =
        loop.createTask(
            () ->
                TaskGroup.run(
                    group -> {
                      c1 = group.createTask(() -> await(f1), "c1");
                      c1.addDoneCallback(t -> doneCallbacks.incrementAndGet());
                      c2 =
                          group.createTask(
                              () -> {
                                await(f2);
                                return 2;
                              },
                              "c2");
                      c2.addDoneCallback(t -> doneCallbacks.incrementAndGet());
                      return 0;
                    }));
    g.setName("g");
    g.addDoneCallback(t -> doneCallbacks.incrementAndGet());
    // every task suspended: g in the group's exit, c1 on f1, c2 on f2
    loop.runUntilIdle();
  }

  private void post(Runnable action) {
    posted.incrementAndGet();
    loop.callSoonThreadsafe(
        () -> {
          ranPosts.incrementAndGet();
          action.run();
        });
  }

  @Operation
  public void cancelParent() {
    post(() -> g.cancel("parent"));
  }

  @Operation
  public void cancelChild() {
    post(() -> c1.cancel("child"));
  }

  @Operation
  public void completeF1() {
    post(
        () -> {
          if (!f1.isDone()) {
            f1.setResult(1);
          }
        });
  }

  @Operation
  public void failF2() {
    post(
        () -> {
          if (!f2.isDone()) {
            f2.setException(new IllegalStateException("f2"));
          }
        });
  }

  /**
   * Runs the loop until idle on its own thread and reports each task's state.
   *
   * @return "g=… c1=… c2=… f1=…"
   */
  @Operation(nonParallelGroup = "loop")
  public String turn() {
    loop.runUntilIdle();
    return "g="
        + describe(g)
        + " c1="
        + describe(c1)
        + " c2="
        + describe(c2)
        + " f1="
        + describe(f1);
  }

  private static String describe(LoopFuture<?> f) {
    if (!f.isDone()) {
      return "PENDING";
    }
    if (f.isCancelled()) {
      try {
        f.exception();
        return "BROKEN(cancelled but exception() returned)";
      } catch (CancellationException e) {
        return "CANCELLED(" + e.getMessage() + ")";
      }
    }
    Throwable e = f.exception();
    if (e == null) {
      return "RESULT(" + f.result() + ")";
    }
    if (e instanceof TaskGroupException) {
      return "GROUP_ERROR"
          + ((TaskGroupException) e)
              .exceptions().stream()
                  .map(x -> x.getClass().getSimpleName() + ":" + x.getMessage())
                  .collect(Collectors.toList());
    }
    return "ERROR(" + e.getClass().getSimpleName() + ":" + e.getMessage() + ")";
  }

  /** After each scenario: the parent is cancelled, the loop runs; then everything ended once. */
  @Validate
  public void everyTaskEndsOnceAndTheLoopClosesClean() {
    g.cancel("validate");
    loop.runUntilIdle();
    String states = turn();
    boolean allDone = g.isDone() && c1.isDone() && c2.isDone();
    int callbacks = doneCallbacks.get();
    int pending = Task.allTasks(loop).size();
    int notRun = posted.get() - ranPosts.get();
    loop.close();
    if (!allDone || callbacks != 3 || pending != 0 || notRun != 0) {
      throw new AssertionError(
          states
              + ": "
              + callbacks
              + " done-callbacks ran (3 expected), "
              + pending
              + " tasks still pending, "
              + notRun
              + " posts never ran");
    }
  }

  /**
   * The sequential specification: the operations so far, replayed one after the other on a fresh
   * loop (then closed, so no specification leaves tasks or threads behind), memoized by sequence.
   */
  public static final class Model {
    private static final Map<String, String> REPLAYS = new ConcurrentHashMap<>();
    private final StringBuilder ops = new StringBuilder();

    public void cancelParent() {
      ops.append('P');
    }

    public void cancelChild() {
      ops.append('C');
    }

    public void completeF1() {
      ops.append('1');
    }

    public void failF2() {
      ops.append('2');
    }

    public String turn() {
      ops.append('T');
      return REPLAYS.computeIfAbsent(ops.toString(), Model::replay);
    }

    private static String replay(String ops) {
      TaskGroupCancelLincheckTest program = new TaskGroupCancelLincheckTest();
      String last = null;
      for (char op : ops.toCharArray()) {
        switch (op) {
          case 'P':
            program.cancelParent();
            break;
          case 'C':
            program.cancelChild();
            break;
          case '1':
            program.completeF1();
            break;
          case '2':
            program.failF2();
            break;
          default:
            last = program.turn();
        }
      }
      program.everyTaskEndsOnceAndTheLoopClosesClean();
      return last;
    }
  }

  @Test
  @Timeout(240)
  void stressModeFindsCancelsAndCompletionsLinearizable() {
    LinChecker.check(TaskGroupCancelLincheckTest.class, Lincheck.stress(Model.class));
  }
}
