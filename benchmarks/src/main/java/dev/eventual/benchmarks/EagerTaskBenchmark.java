package dev.eventual.benchmarks;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.EventLoop;
import dev.eventual.loop.Task;
import dev.eventual.loop.TaskBody;
import dev.eventual.loop.TaskFactory;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A task whose body ends without suspending, started eagerly ({@link TaskFactory#EAGER}) or lazily
 * (a plain task): a main task on a reused loop creates {@value #TASKS} such tasks and awaits each;
 * time is per task. Eagerly, each body runs inside {@code createTask} and the task is done when it
 * returns, so the main task never suspends; lazily, each task costs a scheduled step, and the main
 * task suspends once while the loop runs them. The target: eager at most 0.5 × lazy. {@code
 * eagerAwaitEach} and {@code lazyAwaitEach} are the other common pattern, each task awaited as soon
 * as it is created ({@code total += await(createTask(child))}): lazily, the main task suspends and
 * resumes once per child; eagerly, never. Both patterns are reported. CPython's twin ({@code
 * benchmarks/cpython_bench.py}: {@code asyncio_eager_task_no_suspend} and {@code
 * asyncio_lazy_task_no_suspend}) runs the same program with {@code asyncio.eager_task_factory}
 * (3.12+) and without.
 *
 * <p>{@code eventualEager} and {@code eventualLazy} run on continuations (JDK 21+, the export in
 * {@link BenchmarkDefaults}; platform threads on 17); {@code eagerOnThreads} and {@code
 * lazyOnThreads} on task threads (virtual on 21+), where an eager body still needs a thread of its
 * own but no loop turn.
 */
@OperationsPerInvocation(EagerTaskBenchmark.TASKS)
@Warmup(iterations = 5, time = 1)
public class EagerTaskBenchmark extends BenchmarkDefaults {
  static final int TASKS = 1_000;

  private static final Integer VALUE = 42;
  private static final TaskBody<Integer> NO_SUSPEND = () -> VALUE;

  private EventLoop eagerLoop;
  private EventLoop lazyLoop;

  /** Creates the two loops: one with the eager task factory, one without. */
  @Setup(Level.Trial)
  public void createLoops() {
    eagerLoop = new EventLoop();
    eagerLoop.setTaskFactory(TaskFactory.EAGER);
    lazyLoop = new EventLoop();
  }

  /** Closes them. */
  @TearDown(Level.Trial)
  public void closeLoops() {
    eagerLoop.close();
    lazyLoop.close();
  }

  /** The main task: {@value #TASKS} × createTask of a body that returns at once, then awaits. */
  private static final TaskBody<Integer> MAIN =
      () -> {
        EventLoop on = Task.currentTask().getLoop();
        List<Task<Integer>> tasks = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
          tasks.add(on.createTask(NO_SUSPEND));
        }
        int sum = 0;
        for (Task<Integer> t : tasks) {
          sum += await(t);
        }
        if (sum != VALUE * TASKS) {
          throw new AssertionError("sum " + sum);
        }
        return sum;
      };

  /**
   * The other pattern, {@code total += await createTask(child())}: each task is awaited as soon as
   * it is created. Lazily, every await suspends the main task until the loop has run the child;
   * eagerly, the child is done inside {@code createTask} and the await returns at once.
   */
  private static final TaskBody<Integer> MAIN_AWAIT_EACH =
      () -> {
        EventLoop on = Task.currentTask().getLoop();
        int sum = 0;
        for (int i = 0; i < TASKS; i++) {
          sum += await(on.createTask(NO_SUSPEND));
        }
        if (sum != VALUE * TASKS) {
          throw new AssertionError("sum " + sum);
        }
        return sum;
      };

  private static Integer runMain(EventLoop loop) {
    return run(loop, MAIN);
  }

  private static Integer run(EventLoop loop, TaskBody<Integer> main) {
    // The main task itself is started lazily on both loops: only its children differ.
    return loop.runUntilComplete(loop.createTask(main, null, null, false));
  }

  /**
   * Eager tasks awaited one by one as they are created, on continuations.
   *
   * @return the sum of the results
   */
  @Benchmark
  public Integer eagerAwaitEach() {
    return run(eagerLoop, MAIN_AWAIT_EACH);
  }

  /**
   * Lazy tasks awaited one by one as they are created, on continuations.
   *
   * @return the sum of the results
   */
  @Benchmark
  public Integer lazyAwaitEach() {
    return run(lazyLoop, MAIN_AWAIT_EACH);
  }

  /**
   * Eager tasks, on continuations.
   *
   * @return the sum of the results
   */
  @Benchmark
  public Integer eventualEager() {
    return runMain(eagerLoop);
  }

  /**
   * Lazy tasks, on continuations.
   *
   * @return the sum of the results
   */
  @Benchmark
  public Integer eventualLazy() {
    return runMain(lazyLoop);
  }

  /**
   * Eager tasks, on task threads.
   *
   * @return the sum of the results
   */
  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Ddev.eventual.loop.taskRuntime=threads"})
  public Integer eagerOnThreads() {
    return runMain(eagerLoop);
  }

  /**
   * Lazy tasks, on task threads.
   *
   * @return the sum of the results
   */
  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Ddev.eventual.loop.taskRuntime=threads"})
  public Integer lazyOnThreads() {
    return runMain(lazyLoop);
  }
}
