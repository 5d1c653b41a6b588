package dev.eventual.loop;

import dev.eventual.Context;
import java.util.Objects;

/**
 * What {@link EventLoop#createTask} calls to make a task, once set with {@link
 * EventLoop#setTaskFactory}: Python's task factory, {@code factory(loop, coro, **kwargs)}. A
 * factory makes its tasks with {@link #newTask}, Python's {@code Task(coro, loop=loop, ...)}. The
 * one asyncio ships is {@link #EAGER}, its {@code eager_task_factory} (3.12).
 *
 * <h2>Eager tasks</h2>
 *
 * <p>An eager task's body starts at once, inside {@code createTask}, on the creator's turn, and
 * runs until its first real suspension (an {@link Await#await} of a pending future, or a zero
 * sleep); only then does {@code createTask} return it. A body that ends without suspending returns
 * a task that is already done, and it never costs a loop turn. A task is eager only when the loop
 * is running on the calling thread (or the caller is one of its tasks); otherwise its first step is
 * scheduled as usual. Eagerness changes the order in which tasks start: the body runs before the
 * code after {@code createTask}, and before the tasks created earlier and not yet started.
 *
 * <p>This works with every task runtime: with continuations, the new body's continuation runs
 * nested in the creator's and yields back to it; with task threads, the creator's thread hands its
 * turn to the new task's thread and waits until that one suspends or ends.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>Python's factory is any callable; here it is this interface, whose method is generic, so it
 *       is implemented by a class, not a lambda. There are no task subclasses to pass to {@code
 *       create_eager_task_factory(custom_task_constructor)}: {@link #EAGER} makes plain tasks.
 *   <li>{@code eager_start=None} ("the factory decides") is a null {@code eagerStart}.
 * </ul>
 */
public interface TaskFactory {
  /**
   * Python's {@code asyncio.eager_task_factory}: every task starts eagerly unless {@code
   * createTask} was given {@code eagerStart} false.
   */
  TaskFactory EAGER =
      new TaskFactory() {
        @Override
        public <V> Task<V> createTask(
            EventLoop loop, TaskBody<V> body, String name, Context context, Boolean eagerStart) {
          return newTask(loop, body, name, context, eagerStart == null || eagerStart);
        }

        @Override
        public String toString() {
          return "TaskFactory.EAGER";
        }
      };

  /**
   * Makes the task for {@link EventLoop#createTask(TaskBody, String, Context, Boolean)}.
   *
   * @param loop the loop the task belongs to
   * @param body the task's code
   * @param name the name, or null for {@code Task-<n>}
   * @param context the context, or null for a copy of the current one
   * @param eagerStart whether the caller asked for an eager start, or null if it did not say
   * @param <V> the result type
   * @return the new task, of {@code loop}
   * @throws NullPointerException if {@code loop} or {@code body} is null
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  <V> Task<V> createTask(
      EventLoop loop, TaskBody<V> body, String name, Context context, Boolean eagerStart);

  /**
   * Makes a task without consulting the loop's factory: Python's {@code Task(coro, loop=loop,
   * name=name, context=context, eager_start=eagerStart)}. With {@code eagerStart} and the loop
   * running here, the body runs at once until its first suspension (see the class comment).
   *
   * @param loop the loop the task belongs to
   * @param body the task's code
   * @param name the name, or null for {@code Task-<n>}
   * @param context the context, or null for a copy of the current one
   * @param eagerStart whether to run the first step now
   * @param <V> the result type
   * @return the new task (already done if an eager body ended without suspending)
   * @throws NullPointerException if {@code loop} or {@code body} is null
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  static <V> Task<V> newTask(
      EventLoop loop, TaskBody<V> body, String name, Context context, boolean eagerStart) {
    Objects.requireNonNull(loop, "loop must not be null");
    Objects.requireNonNull(body, "body must not be null");
    loop.checkClosed();
    loop.checkThread("createTask");
    Context ctx = context != null ? context : loop.scheduler.copyCurrentContext();
    boolean eager = eagerStart && loop.isRunning() && Scheduler.runningLoop() == loop;
    Task<V> task = new Task<>(loop, body, name, ctx, eager);
    if (eager) {
      task.startEagerly();
    }
    return task;
  }
}
