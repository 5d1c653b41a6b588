package dev.eventual.loop;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Python 3.14's {@code asyncio.graph} ({@code capture_call_graph}, {@code format_call_graph}): who
 * awaits whom among a loop's tasks and futures.
 *
 * <p>CPython keeps the relation as it goes: every await adds the task to the awaited future's
 * {@code _asyncio_awaited_by} set and every wake-up takes it out again, and {@code gather}, {@code
 * shield} and {@code TaskGroup} add their links. Here nothing is kept on the way: a suspended task
 * already holds the future it waits for (its {@code waiter}), and the futures that stand for others
 * ({@link Gathering}, {@link FanInFuture}) name them; the relation is rebuilt from the loop's
 * pending tasks when a graph is captured (one pass over them), so {@code await} pays nothing for
 * it.
 */
final class CallGraphs {
  private CallGraphs() {}

  /** capture_call_graph(future): the graph of {@code future}, or of the current task if null. */
  static FutureCallGraph capture(LoopFuture<?> future) {
    LoopFuture<?> f = future;
    if (f == null) {
      EventLoop running = Scheduler.runningLoop();
      if (running == null) {
        throw new IllegalStateException(
            "captureCallGraph() is called outside of a running event loop and no future to"
                + " introspect was provided");
      }
      f = running.runtime.current();
      if (f == null) {
        return null; // not in a task: nothing to describe, as CPython
      }
    }
    TaskStacks.checkThread(f.getLoop(), "the call graph of " + CallGraphs.label(f));
    Map<LoopFuture<?>, List<Task<?>>> awaiters = awaiters(f.getLoop());
    return build(f, awaiters, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  /**
   * For every future some pending task awaits (directly or through a gather, shield, wait or task
   * group exit, transitively), the tasks that await it, in task creation order.
   */
  static Map<LoopFuture<?>, List<Task<?>>> awaiters(EventLoop loop) {
    Map<LoopFuture<?>, List<Task<?>>> by = new IdentityHashMap<>();
    for (Task<?> t : loop.runtime.pending()) {
      LoopFuture<?> w = t.awaiting();
      if (w != null) {
        link(by, w, t, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
      }
    }
    for (TaskGroup g : loop.runtime.openGroups()) {
      for (Task<?> child : g.tasks()) {
        link(by, child, g.parent(), java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
      }
    }
    return by;
  }

  private static void link(
      Map<LoopFuture<?>, List<Task<?>>> by, LoopFuture<?> f, Task<?> t, Set<LoopFuture<?>> seen) {
    if (!seen.add(f)) {
      return;
    }
    List<Task<?>> list = by.computeIfAbsent(f, k -> new ArrayList<>(2));
    if (!list.contains(t)) {
      list.add(t);
    }
    for (LoopFuture<?> behind : FanInFuture.behind(f)) {
      if (!behind.isDone()) {
        link(by, behind, t, seen);
      }
    }
  }

  private static FutureCallGraph build(
      LoopFuture<?> f, Map<LoopFuture<?>, List<Task<?>>> awaiters, Set<LoopFuture<?>> path) {
    List<StackTraceElement> stack = f instanceof Task<?> t ? TaskStacks.newestFirst(t) : List.of();
    List<FutureCallGraph> by = new ArrayList<>();
    path.add(f);
    for (Task<?> parent : awaiters.getOrDefault(f, List.of())) {
      if (!path.contains(parent)) { // a cycle of awaits (a deadlock) is shown once
        by.add(build(parent, awaiters, path));
      }
    }
    path.remove(f);
    return new FutureCallGraph(f, stack, by);
  }

  /** format_call_graph's layout, with Java's frame form. */
  static String format(FutureCallGraph graph) {
    Objects.requireNonNull(graph, "graph must not be null");
    List<String> lines = new ArrayList<>();
    render(graph, lines, 0);
    return String.join("\n", lines);
  }

  private static void render(FutureCallGraph g, List<String> lines, int level) {
    String indent = "    ".repeat(level);
    lines.add(indent + "* " + label(g.future()));
    if (!g.callStack().isEmpty()) {
      lines.add(indent + "  + Call stack:");
      for (StackTraceElement f : g.callStack()) {
        lines.add(indent + "  |   at " + frame(f));
      }
    }
    if (!g.awaitedBy().isEmpty()) {
      lines.add(indent + "  + Awaited by:");
      for (FutureCallGraph parent : g.awaitedBy()) {
        render(parent, lines, level + 1);
      }
    }
  }

  /**
   * A frame as {@code Class.method(File.java:12)}: {@link StackTraceElement#toString()} without the
   * module and class loader prefixes, which differ between a thread's own stack and another's.
   */
  static String frame(StackTraceElement f) {
    StringBuilder b = new StringBuilder(f.getClassName()).append('.').append(f.getMethodName());
    if (f.isNativeMethod()) {
      return b.append("(Native Method)").toString();
    }
    b.append('(').append(f.getFileName() == null ? "Unknown Source" : f.getFileName());
    if (f.getFileName() != null && f.getLineNumber() >= 0) {
      b.append(':').append(f.getLineNumber());
    }
    return b.append(')').toString();
  }

  /** {@code Task(name='x', id=0x..)} or {@code Future(id=0x..)}, as CPython prints them. */
  static String label(LoopFuture<?> f) {
    String id = "0x" + Integer.toHexString(System.identityHashCode(f));
    return f instanceof Task<?> t
        ? "Task(name='" + t.getName() + "', id=" + id + ")"
        : "Future(id=" + id + ")";
  }
}
