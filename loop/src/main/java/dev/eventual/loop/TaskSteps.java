package dev.eventual.loop;

import dev.eventual.Context;
import dev.eventual.internal.ContextAccess;
import java.util.concurrent.CancellationException;

/**
 * The stepping protocol of a {@link Task}, on both sides of a suspension: what a step does on the
 * loop's thread (start or resume the body, each slice in the task's context), what the body does at
 * an {@code await} or a yield on its strand (register its step, suspend, and raise when resumed
 * what is due: a cancellation, a refused context, the closing loop), and how the closing loop
 * unwinds a body. The state it works on is the task's own fields; the table at the top of {@code
 * Task} gives its states and transitions. Static methods, so that the task holds no second object
 * and the await path inlines as before; every one runs on the loop's thread or on the strand that
 * acts for it during a step.
 */
final class TaskSteps {
  private static final ContextAccess CONTEXTS = ContextAccess.get();

  private TaskSteps() {}

  // ---------------------------------------------------------------- stepping (loop's thread)

  /**
   * Runs one step of {@code task}: starts the body or resumes it, and returns when it suspends or
   * ends. Called by the strand (the step callback) on the loop's thread.
   *
   * @param slot the calling thread's context slot
   */
  static void step(Task<?> task, Object slot) {
    if (beginStep(task)) {
      task.getLoop().runtime.step(task, task.strand, slot);
    }
  }

  /**
   * Whether a step that arrives now runs the body (starts or resumes it): not if the body runs now
   * (a stray step) or the task is done. A task cancelled before it started ends here, and its body
   * never runs.
   */
  static boolean beginStep(Task<?> task) {
    int f = task.flags;
    if ((f & Task.STARTED) != 0) {
      return (f & Task.SUSPENDED) != 0 && !task.isDone();
    }
    if (task.isDone()) {
      return false;
    }
    if ((f & Task.MUST_CANCEL) != 0) { // cancelled before it started: the body never runs
      task.unset(Task.MUST_CANCEL);
      task.finish(null, new CancellationException(task.mustCancelMessage));
      return false;
    }
    task.set(Task.STARTED);
    return true;
  }

  /** Runs the body on the strand, keeping what it returns or throws, and completes the task. */
  static void runBody(Task<?> task) {
    Object value = null;
    Throwable failure = takeSliceRefused(task);
    if (failure == null) {
      try {
        value = task.callBody();
      } catch (Throwable t) {
        failure = t;
      }
    }
    task.endBody(value, failure);
  }

  /**
   * The refusal of the task's context that the first slice holds for the body (see {@link
   * #enterSlice}), taken: the body then never runs and the task ends with it. Usually null.
   */
  static Throwable takeSliceRefused(Task<?> task) {
    Throwable refused = task.sliceRefused;
    if (refused != null) {
      task.sliceRefused = null;
    }
    return refused;
  }

  /**
   * Enters the task's context for a slice of the body on the strand's thread, and makes current
   * again a context the body had entered when it suspended. If the context is entered elsewhere,
   * the slice runs without it and the body gets the error (at its start, or at its await).
   *
   * @param slot the strand thread's context slot
   * @return the context that was current before, to pass to {@link #exitSlice}; null if the context
   *     could not be entered
   */
  static Context enterSlice(Task<?> task, Object slot) {
    Context base;
    try {
      base = CONTEXTS.enter(task.getContext(), slot);
    } catch (IllegalStateException inUse) {
      task.sliceRefused = inUse;
      return null;
    }
    Context held = task.heldContext;
    if (held != null) {
      task.heldContext = null;
      CONTEXTS.makeCurrent(slot, held);
    }
    return base;
  }

  /**
   * Leaves the task's context at the end of a slice (the body suspended or ended).
   *
   * @param slot the strand thread's context slot
   * @param base what {@link #enterSlice} returned for this slice
   */
  static void exitSlice(Task<?> task, Object slot, Context base) {
    if (base != null) {
      Context context = task.getContext();
      Context at = CONTEXTS.exit(context, slot, base);
      if (at != context && !task.isDone()) {
        task.heldContext = at;
      }
    }
  }

  // ---------------------------------------------------------------- suspending (the body)

  /**
   * {@code task} awaits {@code future} on its strand; see {@link Await#await(LoopFuture)}.
   *
   * <p>Kept small on purpose, with every rare case in a method of its own ({@link #awaitRefused},
   * {@link #awaitGuarded}, {@link #resumedGuarded}, {@link #notSuspended}): the JIT then inlines
   * this whole path, down to the continuation's yield, into the body that awaits. A method compiled
   * larger than the JIT's limit for inlining ({@code InlineSmallCode}) is called instead, and that
   * frame is copied out and back in by every suspension and resumption.
   */
  static <T> T await(Task<?> task, LoopFuture<T> future) {
    if (future == task || future.getLoop() != task.getLoop()) {
      throw awaitRefused(task, future);
    }
    if (!future.isDone()) {
      if ((task.flags & (Task.CLOSING | Task.MUST_CANCEL)) != 0) {
        awaitGuarded(task, future);
      } else {
        // no cancel is due and the loop is not closing: register, suspend, and resume
        Strand strand = task.strand;
        future.addStepCallback(strand, task.getContext());
        task.waiter = future;
        task.set(Task.SUSPENDED);
        try {
          strand.suspend();
        } catch (IllegalStateException cannotSuspend) {
          throw notSuspended(task, future, cannotSuspend, false);
        } finally {
          task.unset(Task.SUSPENDED);
          task.waiter = null;
        }
        if (task.sliceRefused != null || (task.flags & (Task.CLOSING | Task.MUST_CANCEL)) != 0) {
          resumedGuarded(task, future);
        }
      }
    }
    return future.result();
  }

  /** Why {@code task} cannot await {@code future}: itself, or a future of another loop. */
  private static IllegalStateException awaitRefused(Task<?> task, LoopFuture<?> future) {
    if (future == task) {
      return new IllegalStateException("Task cannot await on itself: " + task);
    }
    return new IllegalStateException(
        "Task " + task.getName() + " got Future " + future + " attached to a different loop");
  }

  /**
   * The wait of {@link #await} for a pending future when a cancel is due or the loop is closing:
   * the cancel goes to the future, and the closing loop gets the body abandoned.
   */
  private static void awaitGuarded(Task<?> task, LoopFuture<?> future) {
    if (task.is(Task.CLOSING)) {
      abandon(task);
    }
    future.addStepCallback(task.strand, task.getContext());
    task.waiter = future;
    boolean cancelledWaiter = false;
    if (task.is(Task.MUST_CANCEL) && future.cancel(task.mustCancelMessage)) {
      task.unset(Task.MUST_CANCEL);
      cancelledWaiter = true;
    }
    try {
      suspend(task);
    } catch (IllegalStateException cannotSuspend) {
      throw notSuspended(task, future, cannotSuspend, cancelledWaiter);
    } finally {
      task.waiter = null;
    }
    resumedGuarded(task, future);
  }

  /**
   * An await's strand could not suspend: nothing was suspended, so the wait is taken back (and a
   * cancel that went to the future is due again).
   *
   * @return {@code cannotSuspend}, to throw
   */
  private static IllegalStateException notSuspended(
      Task<?> task,
      LoopFuture<?> future,
      IllegalStateException cannotSuspend,
      boolean cancelledWaiter) {
    future.removeDoneCallback(task.strand);
    if (cancelledWaiter) {
      task.set(Task.MUST_CANCEL);
    }
    return cannotSuspend;
  }

  /**
   * After an await of {@code future} resumed: raises what the step holds for the body (see {@link
   * #resumed}), then a cancel requested meanwhile, unless the future's own cancellation goes up.
   */
  private static void resumedGuarded(Task<?> task, LoopFuture<?> future) {
    resumed(task);
    if (task.is(Task.MUST_CANCEL) && future.isCancelled()) {
      task.unset(
          Task.MUST_CANCEL); // its own CancellationException, with the first message, goes up
    }
    deliverCancel(task);
  }

  /**
   * Lets the loop run the other callbacks once, then resumes: asyncio's bare {@code yield} (what
   * {@code asyncio.sleep(0)} does). No future, no timer, no handle: the strand itself waits in the
   * ready queue.
   */
  static void yieldOnce(Task<?> task) {
    if (task.is(Task.CLOSING)) {
      abandon(task);
    }
    Handle h = task.scheduleStep();
    try {
      suspend(task);
    } catch (IllegalStateException cannotSuspend) { // nothing suspended: take the step back
      if (h != null) {
        h.cancel();
      } else {
        task.strand.dropQueuedStep();
      }
      throw cannotSuspend;
    }
    resumed(task);
    deliverCancel(task);
  }

  private static void deliverCancel(Task<?> task) {
    if (task.is(Task.MUST_CANCEL)) {
      task.unset(Task.MUST_CANCEL);
      throw new CancellationException(task.mustCancelMessage);
    }
  }

  /**
   * Suspends the body until the next step.
   *
   * @throws IllegalStateException if the strand cannot suspend here; nothing was suspended
   */
  private static void suspend(Task<?> task) {
    task.set(Task.SUSPENDED);
    try {
      task.strand.suspend();
    } finally {
      task.unset(Task.SUSPENDED);
    }
  }

  /**
   * Raises, at the await the body resumes from, what the step that resumed it holds for the body:
   * the refusal of the task's context (entered elsewhere), or the closing loop's cancellation. A
   * cancel requested meanwhile is not delivered here (see deliverCancel); a wait on a pending
   * future is cancelled first if a cancel is due.
   */
  private static void resumed(Task<?> task) {
    IllegalStateException refused = task.sliceRefused;
    if (refused != null) {
      task.sliceRefused = null;
      throw refused;
    }
    if (task.is(Task.CLOSING)) {
      throw closedError();
    }
  }

  // ---------------------------------------------------------------- closing the loop

  /**
   * Unwinds {@code task} for {@link EventLoop#close()} (see {@link TaskRuntime#abandonAll()}):
   * resumes a started body once with {@link #closedError()} at its await; a body that awaits again
   * is abandoned there, and the task ends cancelled.
   */
  static void unwindForClose(Task<?> task) {
    task.set(Task.CLOSING);
    if (!task.is(Task.STARTED)) {
      task.finish(null, closedError());
      return;
    }
    if (task.is(Task.SUSPENDED)) {
      task.getLoop().runtime.step(task, task.strand, CONTEXTS.slot());
    }
    if (!task.isDone()) {
      task.getLoop()
          .callExceptionHandler(
              new ExceptionContext(
                  "Task ignored the cancellation at close and was abandoned", null, task, null));
      task.finish(null, closedError());
    }
  }

  /**
   * A body that the closing loop unwound and that would suspend again: the first time it gets an
   * {@link AbandonedError} (which {@code catch (CancellationException e)} does not stop), so that
   * its {@code finally} blocks run as it ends; if it suspends even after that, its strand is
   * abandoned there for good. CPython raises {@code RuntimeError("coroutine ignored
   * GeneratorExit")} in the same place.
   */
  private static void abandon(Task<?> task) {
    if (!task.is(Task.ABANDON_WARNED)) {
      task.set(Task.ABANDON_WARNED);
      throw new AbandonedError(
          "Task "
              + task.getName()
              + " tried to suspend after the loop was closed: its await cannot be resumed");
    }
    task.strand.abandon();
  }

  /** Raised at an await of a task that the closed loop cannot resume any more. */
  static final class AbandonedError extends Error {
    private static final long serialVersionUID = 1L;

    AbandonedError(String message) {
      super(message);
    }
  }

  /** What a pending task of a closed loop ends with, and its unwound body gets at its await. */
  static CancellationException closedError() {
    return new CancellationException("Task was destroyed but it is pending: the loop was closed");
  }
}
