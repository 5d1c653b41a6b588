package dev.eventual.loop;

import dev.eventual.internal.ContextAccess;
import java.util.function.Consumer;

/**
 * What a task's body runs on: something that can stop in the middle of the body, at an {@link
 * Await#await}, and go on later from there. {@link TaskRuntime} chooses the kind; see its table.
 * Each task has one from its creation on, which is also its step callback: the done callback of the
 * future the body awaits, and the entry that the loop's ready queue holds for a step scheduled to
 * run soon (see {@link #runQueued}).
 *
 * <p>The protocol: the loop's thread calls {@link #resume(Object)}, which runs the body (the first
 * call starts it) until the body calls {@link #suspend()} or ends, and only then returns. So the
 * body and the loop never run at the same time. Each slice of the body between two suspensions runs
 * in the task's context ({@link TaskSteps#enterSlice}, {@link TaskSteps#exitSlice}).
 */
abstract class Strand implements Consumer<LoopFuture<?>>, Handle.Described {
  private static final ContextAccess CONTEXTS = ContextAccess.get();

  /** The task whose body this strand runs. */
  final Task<?> task;

  /**
   * How many of this strand's entries in the loop's ready queue are stale and must do nothing when
   * their turn comes (a yield that could not suspend leaves its entry behind; the queue is FIFO, so
   * the stale entries are always the oldest of the strand's). Loop's thread only.
   */
  private int staleQueuedSteps;

  Strand(Task<?> task) {
    this.task = task;
  }

  /**
   * Runs the body until it suspends or ends; the first call starts it. Called by the loop's thread
   * (or, while the loop closes, by the closing thread).
   *
   * @param slot the calling thread's context slot (see {@link ContextAccess#slot()})
   */
  abstract void resume(Object slot);

  /**
   * Called by the body: gives the turn back to {@link #resume(Object)}'s caller, and returns when
   * the task is resumed.
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

  /** The step, as the done callback of the future the body awaits (a debug-mode handle's run). */
  @Override
  public final void accept(LoopFuture<?> awaited) {
    TaskSteps.step(task, CONTEXTS.slot());
  }

  /** The step, run by the loop with the slot it already has (a callback or handle of a turn). */
  final void step(Object slot) {
    TaskSteps.step(task, slot);
  }

  /**
   * The turn of one of this strand's entries in the ready queue: the step, unless the entry is
   * stale. What the step throws (a bug: the body's own failures end the task) goes to the loop's
   * exception handler, as from a callback's handle.
   *
   * @param slot the running thread's context slot
   */
  final void runQueued(Object slot) {
    if (!takeQueuedTurn()) {
      return;
    }
    try {
      TaskSteps.step(task, slot);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      reportStepFailure(t);
    }
  }

  /**
   * The turn of one of this strand's entries in the ready queue came: false if the entry is stale
   * (its step must do nothing), true if the step is due.
   */
  final boolean takeQueuedTurn() {
    if (staleQueuedSteps > 0) {
      staleQueuedSteps--;
      return false;
    }
    return true;
  }

  /** What a queued step threw goes to the loop's exception handler, as from a callback's handle. */
  final void reportStepFailure(Throwable failure) {
    task.getLoop()
        .callExceptionHandler(
            new ExceptionContext("Exception in callback " + this, failure, task, null));
  }

  /** Whether an entry of this strand in the ready queue is stale (see {@link #takeQueuedTurn}). */
  final boolean hasStaleQueuedSteps() {
    return staleQueuedSteps > 0;
  }

  /** The entry this strand last put in the ready queue will do nothing (its yield failed). */
  final void dropQueuedStep() {
    staleQueuedSteps++;
  }

  @Override
  public final String toString() {
    return "Task.step of " + task.getName();
  }
}
