package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Task.getStack / printStack (TaskStacks), on every task runtime the build runs the tests on. */
@Timeout(30)
class TaskStacksTest extends LoopTaskFixture {
  private final LoopFuture<Integer> gate = loop.createFuture();

  private int outer() {
    return middle() + 1;
  }

  private int middle() {
    return inner() + 1;
  }

  private int inner() {
    return await(gate);
  }

  private static List<String> methods(List<StackTraceElement> frames) {
    return frames.stream()
        .filter(f -> f.getClassName().equals(TaskStacksTest.class.getName()))
        .map(StackTraceElement::getMethodName)
        .filter(m -> !m.startsWith("lambda$"))
        .collect(Collectors.toList());
  }

  /** Runs the loop until every ready callback and step ran once (the tasks reach their awaits). */
  private void settle() {
    loop.runUntilComplete(loop.createTask(() -> Asyncio.sleep(java.time.Duration.ZERO, null)));
  }

  @Test // CPython test_tasks.py: test_get_stack (a suspended task, frames oldest first)
  void aSuspendedTaskShowsItsBodyFromEntryToTheAwaitOldestFirst() {
    Task<Integer> t = loop.createTask(this::outer);
    settle();
    List<StackTraceElement> stack = t.getStack();
    assertThat(methods(stack)).containsExactly("outer", "middle", "inner");
    assertThat(stack.get(stack.size() - 1).getMethodName()).isEqualTo("inner");
    assertThat(stack)
        .noneMatch(f -> f.getClassName().equals(Task.class.getName()))
        .noneMatch(f -> f.getClassName().contains("Strand"))
        .noneMatch(f -> f.getClassName().equals(Await.class.getName()));
    gate.setResult(40);
    assertThat(loop.runUntilComplete(t)).isEqualTo(42);
  }

  @Test // CPython test_tasks.py: test_get_stack (limit keeps the newest frames of a stack)
  void aLimitKeepsTheNewestFramesOfASuspendedTask() {
    Task<Integer> t = loop.createTask(this::outer);
    settle();
    assertThat(methods(t.getStack(1))).containsExactly("inner");
    assertThat(methods(t.getStack(2))).containsExactly("middle", "inner");
    assertThat(t.getStack(0)).isEmpty();
    gate.setResult(0);
    loop.runUntilComplete(t);
  }

  @Test // CPython test_tasks.py: test_get_stack (the running task, from inside)
  void theRunningTaskSeesItsOwnFramesUpToTheCall() {
    AtomicReference<List<StackTraceElement>> seen = new AtomicReference<>();
    run(() -> ownStack(seen));
    assertThat(methods(seen.get())).containsExactly("ownStack");
    assertThat(seen.get()).noneMatch(f -> f.getClassName().equals(TaskStacks.class.getName()));
  }

  private Void ownStack(AtomicReference<List<StackTraceElement>> seen) {
    seen.set(Task.currentTask().getStack());
    return null;
  }

  private int fails() {
    throw new IllegalArgumentException("boom");
  }

  @Test // CPython base_tasks._task_get_stack: a task ended by an exception shows its traceback
  void aFailedTaskShowsTheTracebackOfItsExceptionOldestFirst() {
    Task<Integer> t = loop.createTask(() -> fails() + 1);
    assertThatThrownBy(() -> loop.runUntilComplete(t)).hasMessage("boom");
    List<StackTraceElement> tb = t.getStack();
    assertThat(methods(tb)).containsExactly("fails");
    assertThat(tb.get(tb.size() - 1).getMethodName()).isEqualTo("fails");
    assertThat(t.getStack(1)).containsExactly(tb.get(0)); // a traceback keeps the oldest
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    t.printStack(10, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .startsWith("Traceback for Task")
        .contains("(most recent call last):")
        .containsPattern("\n  at \\S*TaskStacksTest\\.fails\\(")
        .endsWith("java.lang.IllegalArgumentException: boom\n");
  }

  @Test // CPython base_tasks._task_get_stack: no frame for a finished or unstarted coroutine
  void aReturnedCancelledOrUnstartedTaskHasNoStack() {
    Task<Integer> done = loop.createTask(() -> 1);
    loop.runUntilComplete(done);
    assertThat(done.getStack()).isEmpty();
    Task<Integer> cancelled = loop.createTask(this::outer);
    settle();
    cancelled.cancel();
    assertThatThrownBy(() -> loop.runUntilComplete(cancelled))
        .isInstanceOf(CancellationException.class);
    assertThat(cancelled.getStack()).isEmpty();
    Task<Integer> unstarted = loop.createTask(() -> 1);
    assertThat(unstarted.getStack()).isEmpty();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    unstarted.printStack(5, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("No stack for Task");
    loop.runUntilComplete(unstarted);
  }

  @Test // CPython test_tasks.py: test_get_stack (print_stack)
  void printStackPrintsTheFramesUnderAHeader() {
    Task<Integer> t = loop.createTask(this::outer, "printed", null);
    settle();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    t.printStack(1, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("Stack for Task@").contains("name='printed'");
    assertThat(text.lines().skip(1))
        .singleElement()
        .asString()
        .matches("  at \\S*TaskStacksTest\\.inner\\(.*");
    gate.setResult(0);
    loop.runUntilComplete(t);
  }

  @Test
  void aNegativeLimitOrANullStreamIsRefused() {
    Task<Integer> t = loop.createTask(() -> 1);
    assertThatThrownBy(() -> t.getStack(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> t.printStack(1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("out");
    assertThat(loop.runUntilComplete(t)).isEqualTo(1);
  }

  @Test
  void anotherThreadCannotReadTheStackWhileTheLoopRuns() throws Exception {
    Task<Integer> t = loop.createTask(this::outer);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    loop.callSoon(
        () -> {
          Thread other =
              new Thread(
                  () -> {
                    try {
                      t.getStack();
                    } catch (Throwable e) {
                      failure.set(e);
                    }
                  });
          other.start();
          try {
            other.join(10_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          gate.setResult(0);
        });
    loop.runUntilComplete(t);
    assertThat(failure.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loop's thread");
  }

  @Test // the cost of reading a suspended task's stack (printed for docs, not asserted)
  void readingTheStackOfManySuspendedTasksCostsMicrosecondsEach() {
    int n = 200;
    for (int i = 0; i < n; i++) {
      loop.createTask(this::outer);
    }
    settle();
    List<Task<?>> tasks = List.copyOf(Task.allTasks(loop));
    for (Task<?> t : tasks) {
      t.getStack(); // warm up
    }
    long start = System.nanoTime();
    int frames = 0;
    for (Task<?> t : tasks) {
      frames += t.getStack().size();
    }
    long perTask = (System.nanoTime() - start) / tasks.size();
    System.out.println(
        "TaskStacksTest: getStack of a suspended task on "
            + loop.taskRuntime()
            + ": "
            + perTask / 1000.0
            + " us per task ("
            + frames / tasks.size()
            + " frames)");
    assertThat(frames).isGreaterThanOrEqualTo(3 * n);
    gate.setResult(0);
    for (Task<?> t : tasks) {
      loop.runUntilComplete(t);
    }
  }
}
