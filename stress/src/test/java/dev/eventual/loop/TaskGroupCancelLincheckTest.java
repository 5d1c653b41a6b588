package dev.eventual.loop;

import static dev.eventual.loop.Await.await;

import dev.eventual.stress.Lincheck;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Task} and {@link TaskGroup} cancellation racing the completions that would let the tasks
 * finish, sent to the loop from other threads: a parent task {@code g} runs a group of two
 * children, {@code c1} awaiting {@code f1} and {@code c2} awaiting {@code f2}; any thread may post
 * (with {@code callSoonThreadsafe}) the cancel of {@code g} or of {@code c1}, the result of {@code
 * f1}, or an error of {@code f2}; the loop's own thread steps the loop, one ready callback per step
 * ({@code TestEventLoop.runOneCallback}, package-private, hence this package), and reports every
 * task's state.
 *
 * <p>Why one callback per step: in a turn, a post from another thread joins the ready queue between
 * the entries the turn's callbacks schedule (asyncio's {@code call_soon_threadsafe} does the same),
 * so a model in which a whole turn is atomic is unsound (the previous model, withdrawn, failed on
 * JDK 25 for that reason). In a single step, posts sent while it runs wait for the next step, so a
 * step is atomic and a post takes effect at a well-defined point: the start of the first step that
 * begins after it was sent.
 *
 * <p>The sequential specification ({@link Model}) is this program replayed on one thread in the
 * order Lincheck chose; the real history must match it step by step, which it does only if no post
 * is lost, run twice or reordered against another thread's earlier post. The CPython 3.11+ rules
 * are checked after each scenario ({@link #everyTaskEndsOnceByTheRules}), once the loop has run
 * until idle with both futures completed: every task ended and its done-callback ran exactly once;
 * if a child failed, {@code g} ends with a {@link TaskGroupException} holding exactly the
 * children's errors (a child's error wins over an outside cancel); otherwise, if a cancel of {@code
 * g} was accepted before it ended, {@code g} ends CANCELLED (no lost cancellation), else with its
 * result; {@code g.cancelling()} counts exactly the accepted outside cancels (the group's own
 * cancel of its parent is taken back with {@code uncancel()}); a cancelled {@code c1} is not an
 * error of the group.
 *
 * <p>Lincheck's stress mode only: the tasks run on the task runtime the JVM chose (platform threads
 * on JDK 17, continuations on JDK 21+), which the model checker cannot schedule.
 *
 * <p>Every run of a loop (the constructor's, each {@link #step()}, the validation's) happens on one
 * thread, {@link #LOOP_THREAD}, as a loop's own thread would: a task on a continuation resumes only
 * on the thread it suspended on (the loop refuses another, see {@code TaskRuntime.checkRunner}).
 * Before that rule, this test constructed its program on Lincheck's main thread and stepped it on
 * Lincheck's threads: on a loaded machine, with the body's frames compiled by then, the children
 * resumed on the new thread saw the old one as {@code Thread.currentThread()}, failed the loop's
 * thread check while they ended, and were lost (c1 and c2 pending for ever, in no list).
 */
public class TaskGroupCancelLincheckTest {
  /** The one thread that runs every loop of this test (see the class comment). */
  private static final ExecutorService LOOP_THREAD =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "task-group-cancel-loop");
            t.setDaemon(true);
            return t;
          });

  /** Runs {@code action} on {@link #LOOP_THREAD} and returns what it returns, or rethrows. */
  private static <T> T onLoopThread(Callable<T> action) {
    try {
      return LOOP_THREAD.submit(action).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("the loop's thread did not answer", e);
    }
  }

  /**
   * Runs one program outside Lincheck's threads first, so that what starts on first use starts
   * there. Not in a static initializer: the loop's thread would wait for this class's
   * initialization, which would wait for the loop's thread.
   */
  private static void warmUp() {
    Lincheck.warmUp();
    TaskGroupCancelLincheckTest warm = new TaskGroupCancelLincheckTest();
    warm.failF2();
    warm.cancelParent();
    warm.step();
    warm.everyTaskEndsOnceByTheRules();
  }

  private final TestEventLoop loop = new TestEventLoop();
  private final LoopFuture<Integer> f1 = loop.createFuture();
  private final LoopFuture<Integer> f2 = loop.createFuture();
  private final AtomicInteger doneCallbacks = new AtomicInteger();
  private final AtomicInteger posted = new AtomicInteger();
  private final AtomicInteger ranPosts = new AtomicInteger();

  /** Outside cancels of {@code g} that it accepted (run on the loop's thread). */
  private int acceptedParentCancels;

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
    onLoopThread(
        () -> {
          loop.runUntilIdle();
          return null;
        });
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
    post(
        () -> {
          if (g.cancel("parent")) {
            acceptedParentCancels++;
          }
        });
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
   * Runs one ready callback on the loop's thread and reports each task's state.
   *
   * @return "ran g=… c1=… c2=…", or "idle …" if nothing was ready
   */
  @Operation(nonParallelGroup = "loop")
  public String step() {
    return onLoopThread(() -> (loop.runOneCallback() ? "ran" : "idle") + states());
  }

  private String states() {
    return " g=" + describe(g) + " c1=" + describe(c1) + " c2=" + describe(c2);
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
      return "GROUP_ERROR" + errorsOf((TaskGroupException) e);
    }
    return "ERROR(" + e.getClass().getSimpleName() + ":" + e.getMessage() + ")";
  }

  private static List<String> errorsOf(TaskGroupException e) {
    return e.exceptions().stream()
        .map(x -> x.getClass().getSimpleName() + ":" + x.getMessage())
        .collect(Collectors.toList());
  }

  /** After each scenario: both futures completed, the loop run until idle; then the rules hold. */
  @Validate
  public void everyTaskEndsOnceByTheRules() {
    post(
        () -> {
          if (!f1.isDone()) {
            f1.setResult(1);
          }
          if (!f2.isDone()) {
            f2.setResult(2);
          }
        });
    onLoopThread(
        () -> {
          loop.runUntilIdle();
          return null;
        });
    String states = states();
    StringBuilder broken = new StringBuilder();
    if (!g.isDone() || !c1.isDone() || !c2.isDone()) {
      broken.append("a task did not end; ");
    }
    if (doneCallbacks.get() != 3) {
      broken.append(doneCallbacks).append(" done-callbacks ran, 3 expected; ");
    }
    if (posted.get() != ranPosts.get()) {
      broken.append(posted.get() - ranPosts.get()).append(" posts never ran; ");
    }
    if (!Task.allTasks(loop).isEmpty()) {
      broken.append("tasks still pending: ").append(Task.allTasks(loop)).append("; ");
    }
    if (g.isDone()) {
      List<String> childErrors = new java.util.ArrayList<>();
      for (Task<Integer> c : List.of(c1, c2)) {
        if (c.isDone() && !c.isCancelled() && c.exception() != null) {
          childErrors.add(
              c.exception().getClass().getSimpleName() + ":" + c.exception().getMessage());
        }
      }
      String expected;
      if (!childErrors.isEmpty()) {
        expected = "GROUP_ERROR" + childErrors;
      } else if (acceptedParentCancels > 0) {
        expected = "CANCELLED(parent)";
      } else {
        expected = "RESULT(0)";
      }
      if (!expected.equals(describe(g))) {
        broken.append("g should be ").append(expected).append("; ");
      }
      if (g.cancelling() != acceptedParentCancels) {
        broken
            .append("g.cancelling() is ")
            .append(g.cancelling())
            .append(" after ")
            .append(acceptedParentCancels)
            .append(" accepted outside cancels; ");
      }
    }
    onLoopThread(
        () -> {
          loop.close();
          return null;
        });
    if (broken.length() > 0) {
      throw new AssertionError(broken + "states:" + states);
    }
  }

  /**
   * The sequential specification: the operations so far, replayed one after the other on a fresh
   * program (then checked and closed, so no specification leaves tasks or threads behind), memoized
   * by sequence.
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

    public String step() {
      ops.append('S');
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
            last = program.step();
        }
      }
      program.everyTaskEndsOnceByTheRules();
      return last;
    }
  }

  @Test
  @Timeout(120)
  void stressModeFindsCancelsAndCompletionsLinearizable() {
    warmUp();
    // four operations per thread: the loop's thread needs several steps to carry a post through
    LinChecker.check(
        TaskGroupCancelLincheckTest.class, Lincheck.stress(Model.class).actorsPerThread(4));
  }
}
