package dev.eventual.loop;

/**
 * What a task's body runs on: something that can stop in the middle of the body, at an {@link
 * Await#await}, and go on later from there. {@link TaskRuntime} chooses the kind; see its table.
 *
 * <p>The protocol: the loop's thread calls {@link #resume()}, which runs the body (the first call
 * starts it) until the body calls {@link #suspend()} or ends, and only then returns. So the body
 * and the loop never run at the same time. Each slice of the body between two suspensions runs in
 * the task's context ({@link Task#enterSlice}, {@link Task#exitSlice}).
 */
abstract class Strand {
  /**
   * Runs the body until it suspends or ends; the first call starts it. Called by the loop's thread
   * (or, while the loop closes, by the closing thread).
   */
  abstract void resume();

  /**
   * Called by the body: gives the turn back to {@link #resume()}'s caller, and returns when the
   * task is resumed.
   *
   * @throws IllegalStateException if the body cannot be suspended here (a continuation pinned by a
   *     native frame or a monitor); nothing was suspended, and the body goes on
   */
  abstract void suspend();

  /**
   * Called by the body of a task that the closing loop already unwound once and that awaits again:
   * gives the turn back for good. Never returns normally.
   */
  abstract void abandon();

  /**
   * The stack of the body while it is suspended, newest frame first, as the JDK reports it (the
   * suspension machinery on top, the strand's own frames at the bottom). Called on the loop's
   * thread while the task is suspended, so the body cannot move meanwhile. Costs nothing until
   * asked: nothing is recorded at the suspension.
   */
  abstract StackTraceElement[] suspendedStack();
}
