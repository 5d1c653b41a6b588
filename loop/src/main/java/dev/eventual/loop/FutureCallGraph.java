package dev.eventual.loop;

import java.util.List;
import java.util.Objects;

/**
 * A future, where its task is, and who awaits it: Python 3.14's {@code asyncio.FutureCallGraph},
 * captured by {@link Asyncio#captureCallGraph(LoopFuture)} and printed by {@link
 * Asyncio#printCallGraph(LoopFuture, java.io.PrintStream)}. An immutable snapshot: it does not
 * follow the tasks after it was taken.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code call_stack} holds {@code FrameCallGraphEntry} objects wrapping frames; here {@link
 *       #callStack()} holds the {@link StackTraceElement}s themselves (newest first, as Python's),
 *       and every Java frame of the body is there, not only the coroutines'.
 *   <li>A dataclass with fields; here a final class with accessors of the same names.
 * </ul>
 */
public final class FutureCallGraph {
  private final LoopFuture<?> future;
  private final List<StackTraceElement> callStack;
  private final List<FutureCallGraph> awaitedBy;

  FutureCallGraph(
      LoopFuture<?> future, List<StackTraceElement> callStack, List<FutureCallGraph> awaitedBy) {
    this.future = Objects.requireNonNull(future, "future must not be null");
    this.callStack = List.copyOf(callStack);
    this.awaitedBy = List.copyOf(awaitedBy);
  }

  /**
   * The future or task this node describes: Python's {@code future}.
   *
   * @return the future
   */
  public LoopFuture<?> future() {
    return future;
  }

  /**
   * Where the task's body was when the graph was captured, newest frame first: Python's {@code
   * call_stack}. Empty for a plain future, and for a task that has not started or has ended.
   *
   * @return the frames, newest first
   */
  public List<StackTraceElement> callStack() {
    return callStack;
  }

  /**
   * The tasks that await this future (each with its own graph): Python's {@code awaited_by}. A task
   * awaits a future when it is suspended at {@code await} of it, or of a {@code gather}, {@code
   * shield} or {@code wait} over it; the parent task of a {@link TaskGroup} awaits the group's
   * tasks while {@link TaskGroup#run} has not returned.
   *
   * @return the awaiting tasks' graphs, in the loop's task creation order
   */
  public List<FutureCallGraph> awaitedBy() {
    return awaitedBy;
  }

  /**
   * The graph in the layout of Python's {@code format_call_graph}.
   *
   * @return the printout, lines separated by {@code \n}, without a final newline
   */
  @Override
  public String toString() {
    return CallGraphs.format(this);
  }
}
