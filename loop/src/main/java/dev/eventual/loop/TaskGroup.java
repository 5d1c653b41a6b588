package dev.eventual.loop;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * Runs tasks that belong together: Python's {@code asyncio.TaskGroup} (3.11+). {@link #run} plays
 * the {@code async with} block: the body creates tasks with {@link #createTask}, and {@code run}
 * returns only once every one of them is done. When a task fails, the others and the body are
 * cancelled, and {@code run} throws a {@link TaskGroupException} carrying every error.
 *
 * <pre>{@code
 * List<String> pages = TaskGroup.run(tg -> {
 *   Task<String> a = tg.createTask(() -> fetch("a"));
 *   Task<String> b = tg.createTask(() -> fetch("b"));
 *   return List.of(a, b);
 * }).stream().map(LoopFuture::result).toList();
 * }</pre>
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code async with TaskGroup() as tg:} is {@code TaskGroup.run(tg -> ...)}; the body's value
 *       is returned.
 *   <li>{@code BaseExceptionGroup} is {@link TaskGroupException}, whose errors are also attached as
 *       suppressed exceptions. It is thrown even for a single error, as in Python.
 *   <li>{@code RuntimeError} ("TaskGroup is finished", "is shutting down") is {@link
 *       IllegalStateException}.
 * </ul>
 */
public final class TaskGroup {
  private final Task<?> parent;
  private final EventLoop loop;
  private final Set<Task<?>> tasks = new LinkedHashSet<>();
  private final List<Throwable> errors = new ArrayList<>();
  private boolean exiting;
  private boolean finished;
  private boolean aborting;
  private boolean parentCancelRequested;
  private LoopFuture<Void> onCompleted;

  /**
   * The body of a task group.
   *
   * @param <T> what it returns
   */
  @FunctionalInterface
  public interface Body<T> {
    /**
     * Creates the group's tasks (and may await).
     *
     * @param group the group
     * @return a value that {@link TaskGroup#run} returns
     * @throws Exception an error: the group's tasks are cancelled and it is reported with theirs
     */
    T run(TaskGroup group) throws Exception;
  }

  private TaskGroup(Task<?> parent) {
    this.parent = parent;
    this.loop = parent.getLoop();
  }

  /**
   * Runs {@code body} with a new group, then waits until every task of the group is done.
   *
   * @param body creates the tasks
   * @param <T> what it returns
   * @return what {@code body} returned
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException if called outside a task
   * @throws TaskGroupException if a task of the group or the body failed (every error attached)
   * @throws CancellationException if the task running the group was cancelled from outside
   * @throws Exception nothing else: declared because the body may throw checked exceptions, which
   *     are reported in a {@link TaskGroupException}
   */
  public static <T> T run(Body<T> body) throws Exception {
    Objects.requireNonNull(body, "body must not be null");
    TaskGroup group = new TaskGroup(Task.require("TaskGroup.run()"));
    group.loop.runtime.openGroup(group);
    try {
      T result;
      try {
        result = body.run(group);
      } catch (Throwable t) {
        group.exit(t);
        throw t;
      }
      group.exit(null);
      return result;
    } finally {
      group.loop.runtime.closeGroup(group);
    }
  }

  /** The task that runs the group (for the call graph: it awaits the group's tasks). */
  Task<?> parent() {
    return parent;
  }

  /** The group's pending tasks (for the call graph). */
  Set<Task<?>> tasks() {
    return tasks;
  }

  /**
   * Creates a task in this group: Python's {@code tg.create_task(coro)}.
   *
   * @param body the task's code
   * @param <V> its result type
   * @return the new task
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException if the group is finished or shutting down after a failure
   */
  public <V> Task<V> createTask(TaskBody<V> body) {
    return createTask(body, null);
  }

  /**
   * Creates a named task in this group: Python's {@code tg.create_task(coro, name=name)}.
   *
   * @param body the task's code
   * @param name the name, or null for {@code Task-<n>}
   * @param <V> its result type
   * @return the new task
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException if the group is finished or shutting down after a failure
   */
  public <V> Task<V> createTask(TaskBody<V> body, String name) {
    Objects.requireNonNull(body, "body must not be null");
    if (finished) {
      throw new IllegalStateException("TaskGroup " + this + " is finished");
    }
    if (aborting) {
      throw new IllegalStateException("TaskGroup " + this + " is shutting down");
    }
    Task<V> task = loop.createTask(body, name, null);
    tasks.add(task);
    task.addDoneCallback(this::onTaskDone);
    return task;
  }

  private void onTaskDone(LoopFuture<?> task) {
    tasks.remove(task);
    if (onCompleted != null && tasks.isEmpty() && !onCompleted.isDone()) {
      onCompleted.setResult(null);
    }
    if (task.isCancelled()) {
      return;
    }
    Throwable exc = task.exception();
    if (exc == null) {
      return;
    }
    errors.add(exc);
    if (parent.isDone()) {
      loop.callExceptionHandler(
          new ExceptionContext(
              "Task has errored out but its parent task " + parent + " is already done",
              exc,
              task,
              null));
      return;
    }
    if (!aborting && !parentCancelRequested) {
      abort();
      parentCancelRequested = true;
      parent.cancel();
    }
  }

  private void abort() {
    aborting = true;
    for (Task<?> t : new ArrayList<>(tasks)) {
      if (!t.isDone()) {
        t.cancel();
      }
    }
  }

  private void exit(Throwable bodyError) {
    exiting = true;
    CancellationException propagate =
        bodyError instanceof CancellationException ? (CancellationException) bodyError : null;
    if (bodyError != null && !aborting) {
      abort();
    }
    while (!tasks.isEmpty()) {
      onCompleted = loop.createFuture();
      try {
        TaskSteps.await(parent, onCompleted);
      } catch (CancellationException ex) {
        if (!aborting) {
          propagate = ex;
          abort();
        }
      }
      onCompleted = null;
    }
    finished = true;
    if (parentCancelRequested && parent.uncancel() == 0) {
      propagate = null;
    }
    if (bodyError != null && !(bodyError instanceof CancellationException)) {
      errors.add(bodyError);
    }
    if (!errors.isEmpty()) {
      throw new TaskGroupException(errors);
    }
    if (propagate != null) {
      throw propagate;
    }
  }

  /**
   * Describes the group: its tasks, errors and whether it is shutting down.
   *
   * @return for example {@code TaskGroup[tasks=2 errors=0 cancelling]}
   */
  @Override
  public String toString() {
    return "TaskGroup[tasks="
        + tasks.size()
        + " errors="
        + errors.size()
        + (aborting ? " cancelling" : "")
        + (exiting ? " exiting" : "")
        + "]";
  }
}
