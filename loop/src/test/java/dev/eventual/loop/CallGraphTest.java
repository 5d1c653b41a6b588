package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ReturnWhen;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Asyncio.captureCallGraph / formatCallGraph / printCallGraph (CallGraphs, FutureCallGraph): ports
 * of CPython 3.14's Lib/test/test_asyncio/test_graph.py. Each graph is reduced as that file's
 * {@code capture_test_stack} reduces it: a node is {@code T<name>} (a task, {@code T<anon>} for an
 * unnamed one) or {@code F} (a future), its call stack the names of this class's methods on it (the
 * body lambdas left out) and of the loop's own methods ({@code TaskGroup.exit}), newest first, and
 * its awaiters sorted by label.
 *
 * <p>Where the Java stack differs from CPython's coroutine chain, the case says so: the capturing
 * helper itself is always on the capturing task's stack (CPython hides it with {@code depth=2} in
 * one case), and {@code Asyncio.timeout} is a method call here, so its frames are on the stack
 * (CPython's {@code async with timeout} leaves none).
 */
@Timeout(30)
class CallGraphTest extends LoopTaskFixture {
  private List<Object> captured;
  private String printed;

  /** capture_test_stack(fut=None): the current task's graph, reduced, and its printout. */
  private void captureTestStack() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FutureCallGraph g = Asyncio.captureCallGraph();
    Asyncio.printCallGraph(g.future(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    printed = bytes.toString(StandardCharsets.UTF_8);
    captured = walk(g);
  }

  private void captureTestStack(LoopFuture<?> fut) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Asyncio.printCallGraph(fut, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    printed = bytes.toString(StandardCharsets.UTF_8);
    captured = walk(Asyncio.captureCallGraph(fut));
  }

  static List<Object> walk(FutureCallGraph g) {
    List<Object> node = new ArrayList<>();
    if (g.future() instanceof Task<?> t) {
      node.add(t.getName().startsWith("Task-") ? "T<anon>" : "T<" + t.getName() + ">");
    } else {
      node.add("F");
    }
    List<String> frames = new ArrayList<>();
    for (StackTraceElement f : g.callStack()) {
      String c = f.getClassName();
      if (c.equals(CallGraphTest.class.getName())) {
        if (!f.getMethodName().startsWith("lambda$")) {
          frames.add(f.getMethodName());
        }
      } else if (c.startsWith("dev.eventual.loop.") && !f.getMethodName().startsWith("lambda$")) {
        frames.add(c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName());
      }
    }
    node.add(frames);
    List<List<Object>> by = new ArrayList<>();
    for (FutureCallGraph parent : g.awaitedBy()) {
      by.add(walk(parent));
    }
    by.sort(Comparator.comparing(n -> (String) n.get(0)));
    node.add(by);
    return node;
  }

  private static List<Object> node(String label, List<String> stack, List<?>... awaitedBy) {
    List<Object> n = new ArrayList<>();
    n.add(label);
    n.add(stack);
    n.add(List.of(awaitedBy));
    return n;
  }

  // ------------------------------------------------------------------ test_stack_tgroup

  private void c5() {
    captureTestStack();
  }

  private void c4() {
    yieldOnce();
    c5();
  }

  private void c3() {
    c4();
  }

  private void c2() {
    c3();
  }

  private void c1(Task<?> task) {
    await(task);
  }

  private void tgroupMain() throws Exception {
    TaskGroup.run(
        tg -> {
          Task<Void> task =
              tg.createTask(
                  () -> {
                    c2();
                    return null;
                  },
                  "c2_root");
          tg.createTask(
              () -> {
                c1(task);
                return null;
              },
              "sub_main_1");
          tg.createTask(
              () -> {
                c1(task);
                return null;
              },
              "sub_main_2");
          return null;
        });
  }

  @Test // test_graph.py: test_stack_tgroup
  void aTaskGroupsTasksAreAwaitedByItsParentAndByTheTasksAwaitingThem() {
    run(
        () -> {
          tgroupMain();
          return null;
        });
    List<Object> parent = node("T<anon>", List.of("TaskGroup.exit", "TaskGroup.run", "tgroupMain"));
    assertThat(captured)
        .isEqualTo(
            node(
                "T<c2_root>",
                List.of("captureTestStack", "c5", "c4", "c3", "c2"),
                parent,
                node("T<sub_main_1>", List.of("c1"), parent),
                node("T<sub_main_2>", List.of("c1"), parent)));
    assertThat(printed)
        .startsWith("* Task(name='c2_root', id=0x")
        .contains("  + Call stack:\n")
        .containsPattern("  \\|   at \\S*CallGraphTest\\.c5\\(CallGraphTest\\.java:\\d+\\)")
        .contains("  + Awaited by:\n    * Task(name='")
        .containsPattern("\\n    \\* Task\\(name='Task-\\d+', id=0x")
        .contains("    * Task(name='sub_main_1', id=0x")
        .containsPattern("\\n        \\* Task\\(name='Task-\\d+', id=0x")
        .containsPattern("\\|   at \\S*CallGraphTest\\.tgroupMain\\(");
  }

  // ------------------------------------------------------------------ test_stack_gather

  private void deep() {
    yieldOnce();
    captureTestStack();
  }

  private Void gc1() {
    yieldOnce();
    deep();
    return null;
  }

  private Void gc2() {
    yieldOnce();
    return null;
  }

  private void gatherMain() {
    await(Asyncio.gather(loop.createTask(this::gc1), loop.createTask(this::gc2)));
  }

  @Test // test_graph.py: test_stack_gather
  void theTasksOfAGatherAreAwaitedByTheTaskAwaitingIt() {
    run(
        () -> {
          gatherMain();
          return null;
        });
    assertThat(captured)
        .isEqualTo(
            node(
                "T<anon>",
                List.of("captureTestStack", "deep", "gc1"),
                node("T<anon>", List.of("gatherMain"))));
  }

  // ------------------------------------------------------------------ test_stack_shield

  private void shieldMain() {
    await(Asyncio.shield(loop.createTask(this::gc1)));
  }

  @Test // test_graph.py: test_stack_shield
  void aShieldedTaskIsAwaitedByTheTaskAwaitingTheShield() {
    run(
        () -> {
          shieldMain();
          return null;
        });
    assertThat(captured)
        .isEqualTo(
            node(
                "T<anon>",
                List.of("captureTestStack", "deep", "gc1"),
                node("T<anon>", List.of("shieldMain"))));
  }

  // ------------------------------------------------------------------ test_stack_timeout

  private void inner() {
    yieldOnce();
    captureTestStack();
  }

  private Void timeoutC1() throws Exception {
    return Asyncio.timeout(
        Duration.ofSeconds(1),
        () -> {
          yieldOnce();
          inner();
          return null;
        });
  }

  private void timeoutMain() {
    await(Asyncio.shield(loop.createTask(this::timeoutC1)));
  }

  @Test // test_graph.py: test_stack_timeout (Asyncio.timeout's frames are on the Java stack)
  void aTimeoutScopeShowsOnTheStackOfTheTaskInsideIt() {
    run(
        () -> {
          timeoutMain();
          return null;
        });
    assertThat(captured)
        .isEqualTo(
            node(
                "T<anon>",
                List.of("captureTestStack", "inner", "Timeout.run", "Asyncio.timeout", "timeoutC1"),
                node("T<anon>", List.of("timeoutMain"))));
  }

  // ------------------------------------------------------------------ test_stack_wait

  private Void waitC2() {
    for (int i = 0; i < 3; i++) {
      yieldOnce();
    }
    return null;
  }

  private void waitMain(Task<?> t1, Task<?> t2) {
    while (true) {
      if (Asyncio.wait(List.of(t1, t2), null, ReturnWhen.ALL_COMPLETED).notDone().isEmpty()) {
        break;
      }
    }
  }

  @Test // test_graph.py: test_stack_wait
  void theFuturesOfAWaitAreAwaitedByTheWaitingTask() {
    run(
        () -> {
          Task<Void> t1 = loop.createTask(this::timeoutC1);
          Task<Void> t2 = loop.createTask(this::waitC2);
          try {
            waitMain(t1, t2);
          } finally {
            await(t1);
            await(t2);
          }
          return null;
        });
    assertThat(captured)
        .isEqualTo(
            node(
                "T<anon>",
                List.of("captureTestStack", "inner", "Timeout.run", "Asyncio.timeout", "timeoutC1"),
                node("T<anon>", List.of("Waits.wait", "Asyncio.wait", "waitMain"))));
  }

  // ------------------------------------------------------------------ test_stack_task

  private Void taskC1() {
    inner();
    return null;
  }

  private void taskC2() {
    await(loop.createTask(this::taskC1, "there there", null));
  }

  @Test // test_graph.py: test_stack_task
  void aTaskIsAwaitedByTheTaskAwaitingIt() {
    run(
        () -> {
          taskC2();
          return null;
        });
    assertThat(captured)
        .isEqualTo(
            node(
                "T<there there>",
                List.of("captureTestStack", "inner", "taskC1"),
                node("T<anon>", List.of("taskC2"))));
  }

  // ------------------------------------------------------------------ test_stack_future

  private void a2(LoopFuture<Void> fut) {
    await(fut);
  }

  private void a1(LoopFuture<Void> fut) {
    a2(fut);
  }

  private void b1(LoopFuture<Void> fut) {
    await(fut);
  }

  private void futureMain() throws Exception {
    LoopFuture<Void> fut = loop.createFuture();
    TaskGroup.run(
        g -> {
          g.createTask(
              () -> {
                a1(fut);
                return null;
              },
              "task A");
          g.createTask(
              () -> {
                b1(fut);
                return null;
              },
              "task B");
          for (int i = 0; i < 5; i++) {
            yieldOnce(); // a few iterations, so that both a1 and b1 await the future
          }
          captureTestStack(fut);
          fut.setResult(null);
          return null;
        });
  }

  @Test // test_graph.py: test_stack_future
  void aFutureIsAwaitedByEveryTaskSuspendedOnIt() {
    run(
        () -> {
          futureMain();
          return null;
        });
    List<Object> parent =
        node("T<anon>", List.of("captureTestStack", "TaskGroup.run", "futureMain"));
    assertThat(captured)
        .isEqualTo(
            node(
                "F",
                List.of(),
                node("T<task A>", List.of("a2", "a1"), parent),
                node("T<task B>", List.of("b1"), parent)));
    assertThat(printed).startsWith("* Future(id=0x");
  }

  // ------------------------------------------------------------------ capture_call_graph's edges

  @Test // graph.py capture_call_graph: "called outside of a running event loop and no future"
  void capturingTheCurrentTaskOutsideALoopFails() {
    assertThatThrownBy(Asyncio::captureCallGraph)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside of a running event loop");
    assertThatThrownBy(() -> Asyncio.captureCallGraph(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("future");
  }

  @Test
  void anotherThreadCannotCaptureWhileTheLoopRuns() {
    LoopFuture<Integer> f = loop.createFuture();
    Throwable[] failure = {null};
    loop.callSoon(
        () -> {
          Thread other =
              new Thread(
                  () -> {
                    try {
                      Asyncio.captureCallGraph(f);
                    } catch (Throwable e) {
                      failure[0] = e;
                    }
                  });
          other.start();
          try {
            other.join(10_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          f.setResult(1);
        });
    loop.runUntilComplete(f);
    assertThat(failure[0])
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the call graph of Future(id=0x")
        .hasMessageContaining("loop's thread");
  }

  @Test // graph.py capture_call_graph: no current task (a plain callback) gives None
  void capturingTheCurrentTaskInACallbackGivesNull() {
    FutureCallGraph[] seen = {null};
    boolean[] ran = {false};
    loop.callSoon(
        () -> {
          seen[0] = Asyncio.captureCallGraph();
          ran[0] = true;
          loop.stop();
        });
    loop.runForever();
    assertThat(ran[0]).isTrue();
    assertThat(seen[0]).isNull();
  }

  @Test
  void aFutureNobodyAwaitsHasAnEmptyGraphAndAOneLinePrintout() {
    LoopFuture<Integer> f = loop.createFuture();
    FutureCallGraph g = Asyncio.captureCallGraph(f);
    assertThat(g.future()).isSameAs(f);
    assertThat(g.callStack()).isEmpty();
    assertThat(g.awaitedBy()).isEmpty();
    assertThat(Asyncio.formatCallGraph(f)).matches("\\* Future\\(id=0x\\p{XDigit}+\\)");
    assertThat(g.toString()).isEqualTo(Asyncio.formatCallGraph(f));
  }

  @Test // CPython base_futures._future_repr is @reprlib.recursive_repr(): '...' where it recurses
  void twoTasksAwaitingEachOtherDescribeEachOtherOnce() {
    Task<?>[] pair = new Task<?>[2];
    pair[0] = loop.createTask(() -> await(pair[1]), "left", null);
    pair[1] = loop.createTask(() -> await(pair[0]), "right", null);
    loop.runUntilComplete(
        loop.createTask(
            () -> {
              yieldOnce();
              return null;
            }));
    assertThat(pair[0].toString())
        .matches(
            "Task@\\p{XDigit}+\\[PENDING name='left' wait_for=Task@\\p{XDigit}+\\[PENDING"
                + " name='right' wait_for=\\.\\.\\. cb=\\[Task.step of left]]"
                + " cb=\\[Task.step of right]]");
  }

  @Test // two tasks awaiting each other (a deadlock) are shown once each, not forever
  void aCycleOfAwaitsIsShownOnce() {
    Task<?>[] pair = new Task<?>[2];
    pair[0] =
        loop.createTask(
            () -> {
              yieldOnce();
              return await(pair[1]);
            },
            "left",
            null);
    pair[1] =
        loop.createTask(
            () -> {
              yieldOnce();
              return await(pair[0]);
            },
            "right",
            null);
    loop.runUntilComplete(
        loop.createTask(
            () -> {
              yieldOnce();
              yieldOnce();
              return null;
            }));
    assertThat(walk(Asyncio.captureCallGraph(pair[0])))
        .isEqualTo(node("T<left>", List.of(), node("T<right>", List.of())));
    // left pending: cancelling one of two tasks that await each other recurses without end (in
    // CPython too: Task.cancel cancels the awaited task, which cancels its awaited task, ...);
    // the fixture's close unwinds both
  }
}
