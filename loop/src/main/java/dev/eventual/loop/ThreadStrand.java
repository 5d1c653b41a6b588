package dev.eventual.loop;

import dev.eventual.BlockingGuard;
import dev.eventual.Context;
import dev.eventual.internal.ContextAccess;
import java.util.concurrent.locks.LockSupport;

/**
 * A task's body on a thread of its own ({@link TaskRuntime.Kind#VIRTUAL_THREAD}, {@link
 * TaskRuntime.Kind#PLATFORM_THREAD}): the loop's thread and the task's thread pass one run permit
 * back and forth, so they never run at the same time. {@link #resume(Object)} hands the task its
 * turn and waits for the hand-back; {@link #suspend()} hands back and waits for the next turn. A
 * step that the loop's turn ran directly hands the turn, when it suspends or its body ends,
 * straight to the thread of the turn's next entry if that is another suspended task's step ({@link
 * TaskRuntime#takeChainedStep}); the loop's thread gets it back from the last step of such a run.
 *
 * <p>Platform threads come from {@link TaskThreads}, which reuses a thread once its task has ended;
 * virtual threads are created per task.
 */
final class ThreadStrand extends Strand {
  private static final ContextAccess CONTEXTS = ContextAccess.get();

  /** A suspending task spins for its next turn only if at most this many callbacks are ready. */
  private static final int SPIN_WHEN_READY_AT_MOST = 2;

  private final TaskRuntime runtime;
  private final boolean virtual;
  private Thread thread;
  private Baton turn;

  /** Where the turn goes back when the body suspends or ends: set by resume() before each step. */
  private Baton back;

  /** The task thread's context slot. */
  private Object slot;

  /** What the slice running now on the task's thread entered the task's context from. */
  private Context sliceBase;

  ThreadStrand(Task<?> task, TaskRuntime runtime, boolean virtual) {
    super(task);
    this.runtime = runtime;
    this.virtual = virtual;
  }

  /**
   * Runs the step on the task's thread, which has a slot of its own: {@code loopSlot} is unused.
   */
  @Override
  void resume(Object loopSlot) {
    Thread previous = runtime.carrier;
    // Called by the loop's thread, the turn comes back through the runtime's hand-back; called by
    // the thread of another task that runs a step (an eager start), through a baton of its own.
    Baton comeBack = previous == Thread.currentThread() ? new Baton() : runtime.handback;
    back = comeBack;
    try {
      if (turn == null) {
        if (!start()) {
          return;
        }
      } else {
        runtime.carrier = thread;
        turn.release();
      }
      comeBack.acquire();
    } finally {
      runtime.carrier = previous;
    }
  }

  /** Starts the body on a thread; false (the task ended with the error) if none can be had. */
  private boolean start() {
    try {
      if (virtual) {
        turn = new Baton();
        thread =
            TaskThreads.newVirtual(
                () -> {
                  runBody();
                  handBackLast();
                });
        runtime.carrier = thread;
        thread.start();
      } else {
        TaskThreads.Worker w = TaskThreads.take();
        turn = w.turn;
        thread = w.thread;
        runtime.carrier = thread;
        w.run(this);
      }
      return true;
    } catch (Throwable noThread) { // OutOfMemoryError: unable to create native thread, and the like
      turn = null;
      task.failToStart(noThread);
      return false;
    }
  }

  /** Whether the body has a thread already (its first step started it). */
  boolean started() {
    return turn != null;
  }

  /**
   * Runs the body on the task's thread, from its start to its end; then the thread calls {@link
   * #handBackLast()}.
   */
  void runBody() {
    EventLoop loop = task.getLoop();
    try {
      Scheduler.bindRunning(loop);
      BlockingGuard.forbidBlocking("task " + task.getName() + " of " + loop);
      slot = CONTEXTS.slot();
      sliceBase = TaskSteps.enterSlice(task, slot);
      try {
        TaskSteps.runBody(task);
      } finally {
        TaskSteps.exitSlice(task, slot, sliceBase);
        sliceBase = null;
      }
    } catch (Throwable bug) {
      loop.callExceptionHandler(
          new ExceptionContext("Exception in task " + task.getName(), bug, task, null));
    } finally {
      BlockingGuard.allowBlocking();
      Scheduler.bindRunning(null);
    }
  }

  /**
   * Gives the turn away once the body has ended: to the next task step of the turn, or back to the
   * loop's thread.
   */
  void handBackLast() {
    if (!handedOn()) {
      back.release();
    }
  }

  /**
   * Hands the turn straight to the next entry's strand if {@link TaskRuntime#takeChainedStep} took
   * its step (only for a step the loop's turn ran itself); that strand gives the turn back where
   * this one would have.
   *
   * @return whether the turn was handed on; if not, the caller still holds it
   */
  private boolean handedOn() {
    ThreadStrand next = back == runtime.handback ? runtime.takeChainedStep(this) : null;
    if (next == null) {
      return false;
    }
    next.back = back;
    runtime.carrier = next.thread;
    next.turn.release();
    return true;
  }

  @Override
  void suspend() {
    TaskSteps.exitSlice(task, slot, sliceBase);
    sliceBase = null;
    // A step the loop's turn ran itself may hand the turn on to the next entry's task thread: one
    // wake-up instead of two, and the loop's thread sleeps on.
    if (handedOn()) {
      turn.acquire(false); // not before the next turn: no spinning
    } else {
      // Spin for the next turn only when the loop has next to nothing else to run first: with many
      // tasks ready, the spinning would take a processor from the ones that run now. Read while
      // this thread still holds the turn.
      boolean soon = runtime.readyCount() <= SPIN_WHEN_READY_AT_MOST;
      back.release();
      turn.acquire(soon);
    }
    sliceBase = TaskSteps.enterSlice(task, slot);
  }

  @Override
  void abandon() {
    TaskSteps.exitSlice(task, slot, sliceBase);
    sliceBase = null;
    BlockingGuard.allowBlocking();
    Scheduler.bindRunning(null);
    back.release();
    for (; ; ) { // a thread cannot be dropped as a continuation can: it stays parked, a daemon
      LockSupport.park(this);
    }
  }

  @Override
  StackTraceElement[] suspendedStack() {
    Thread t = thread;
    return t == null ? new StackTraceElement[0] : t.getStackTrace();
  }
}
