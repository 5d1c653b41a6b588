package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eventual.ContextVar;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Task bodies on threads of their own ({@code ThreadStrand}): a step that suspends hands the turn
 * straight to the next task step of the same turn ({@link TaskRuntime#takeChainedStep}) without
 * waking the loop's thread, and everything a step promises still holds: the turn's order, the
 * current task, each task's context. The tests that count hand-offs run on task threads only (the
 * loop module's second surefire run, and every run on JDK 17); the order tests run on every
 * runtime.
 */
@Timeout(60)
class ThreadStrandTest {
  private final EventLoop loop = new EventLoop();
  private final List<String> reports = new CopyOnWriteArrayList<>();

  ThreadStrandTest() {
    loop.setExceptionHandler((l, ctx) -> reports.add(ctx.message()));
  }

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  private static boolean onTaskThreads() {
    return TaskRuntime.kind() != TaskRuntime.Kind.CONTINUATION;
  }

  /** Runs a few loop turns: enough for the tasks created so far to reach their first await. */
  private void runTurns(int turns) {
    for (int i = 0; i < turns; i++) {
      loop.stop();
      loop.runForever();
    }
  }

  /** A task that awaits {@code gate}, then notes its name, the current task and a context value. */
  private Task<Void> waiter(
      String name, LoopFuture<Void> gate, List<String> order, ContextVar<String> var) {
    return loop.createTask(
        () -> {
          var.set(name);
          await(gate);
          order.add(name + " as " + Task.currentTask().getName() + " in " + var.get());
          return null;
        },
        name,
        null);
  }

  @Test
  void stepsResumedInOneTurnRunInTheirOrderEachAsItsOwnTaskInItsOwnContextHandedOnAsBodiesEnd() {
    ContextVar<String> var = new ContextVar<>("var", "loop");
    List<String> order = new CopyOnWriteArrayList<>();
    List<LoopFuture<Void>> gates = new ArrayList<>();
    List<Task<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      LoopFuture<Void> gate = loop.createFuture();
      gates.add(gate);
      tasks.add(waiter("t" + i, gate, order, var));
    }
    runTurns(3);
    long before = loop.runtime.stepsHandedOn;
    // one callback completes every gate: the five steps are one turn's entries, in this order
    loop.callSoon(() -> gates.forEach(g -> g.setResult(null)));
    loop.runUntilComplete(Gathering.gather(loop, tasks, false));

    assertThat(order)
        .containsExactly(
            "t0 as t0 in t0",
            "t1 as t1 in t1",
            "t2 as t2 in t2",
            "t3 as t3 in t3",
            "t4 as t4 in t4");
    assertThat(var.get()).isEqualTo("loop");
    if (onTaskThreads()) {
      // t0's step is run by the loop's thread; t0's body ends, and its thread hands on to t1's
      assertThat(loop.runtime.stepsHandedOn - before).isEqualTo(4);
    }
    assertThat(reports).isEmpty();
  }

  @Test
  void aSuspendingStepHandsTheTurnToTheNextTaskStepWithoutTheLoopsThread() {
    assumeTrue(onTaskThreads(), "task threads only");
    List<String> order = new CopyOnWriteArrayList<>();
    List<LoopFuture<Void>> first = new ArrayList<>();
    List<LoopFuture<Void>> second = new ArrayList<>();
    List<Task<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      LoopFuture<Void> a = loop.createFuture();
      LoopFuture<Void> b = loop.createFuture();
      first.add(a);
      second.add(b);
      String name = "t" + i;
      tasks.add(
          loop.createTask(
              () -> {
                await(a);
                order.add(name + " first as " + Task.currentTask().getName());
                await(b); // suspends again: this is where the turn is handed on
                order.add(name + " second as " + Task.currentTask().getName());
                return null;
              },
              name,
              null));
    }
    runTurns(3);
    long before = loop.runtime.stepsHandedOn;
    loop.callSoon(() -> first.forEach(g -> g.setResult(null)));
    runTurns(2);
    // t0's step is run by the loop's thread; t0, t1 and t2 suspend and hand on to t1, t2 and t3
    assertThat(loop.runtime.stepsHandedOn - before).isEqualTo(3);
    assertThat(order)
        .containsExactly("t0 first as t0", "t1 first as t1", "t2 first as t2", "t3 first as t3");
    assertThat(Task.currentTask()).isNull();

    loop.callSoon(() -> second.forEach(g -> g.setResult(null)));
    loop.runUntilComplete(Gathering.gather(loop, tasks, false));
    assertThat(order).hasSize(8).endsWith("t3 second as t3");
    assertThat(reports).isEmpty();
  }

  @Test
  void aCallbackOrAFutureWithMoreCallbacksOrAFirstStepBetweenStepsKeepsTheTurnsOrder() {
    List<String> order = new CopyOnWriteArrayList<>();
    LoopFuture<Void> a = loop.createFuture();
    LoopFuture<Void> b = loop.createFuture();
    LoopFuture<Void> c = loop.createFuture();
    LoopFuture<Void> d = loop.createFuture();
    LoopFuture<Void> never = loop.createFuture();
    TaskBody<Void> twice =
        () -> {
          String me = Task.currentTask().getName();
          LoopFuture<Void> gate = me.equals("A") ? a : me.equals("B") ? b : me.equals("C") ? c : d;
          await(gate);
          order.add(me);
          await(never); // suspends: a chance to hand on
          return null;
        };
    Task<Void> ta = loop.createTask(twice, "A", null);
    Task<Void> tb = loop.createTask(twice, "B", null);
    Task<Void> tc = loop.createTask(twice, "C", null);
    Task<Void> td = loop.createTask(twice, "D", null);
    runTurns(3);
    c.addDoneCallback(f -> order.add("c's other callback"));
    long before = loop.runtime.stepsHandedOn;
    List<Task<Void>> late = new ArrayList<>();
    loop.callSoon(
        () -> {
          a.setResult(null); // A's step
          loop.callSoon(() -> order.add("callback")); // a plain callback: A cannot hand on
          b.setResult(null); // B's step; next is c, which has two callbacks: B cannot hand on
          c.setResult(null); // C's step and another callback, run by the loop's thread
          late.add( // a first step: the loop's thread starts it
              loop.createTask(
                  () -> {
                    order.add("E");
                    await(never); // E suspends, and hands on to D
                    return null;
                  },
                  "E",
                  null));
          d.setResult(null); // D's step
        });
    runTurns(2);
    assertThat(order).containsExactly("A", "callback", "B", "C", "c's other callback", "E", "D");
    if (onTaskThreads()) {
      assertThat(loop.runtime.stepsHandedOn - before).isEqualTo(1);
    }
    for (Task<Void> t : List.of(ta, tb, tc, td, late.get(0))) {
      assertThat(t.isDone()).isFalse();
      t.cancel();
    }
    runTurns(2);
    assertThat(List.of(ta, tb, tc, td, late.get(0))).allMatch(Task::isCancelled);
    assertThat(reports).isEmpty();
  }
}
