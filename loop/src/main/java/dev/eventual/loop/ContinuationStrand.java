package dev.eventual.loop;

import dev.eventual.Context;

/**
 * A task's body in a {@code jdk.internal.vm.Continuation} ({@link TaskRuntime.Kind#CONTINUATION}):
 * the body runs on the thread that resumes it (the loop's), and {@link #suspend()} yields back to
 * that thread, as a CPython coroutine yields to its task's {@code __step}. No thread of its own; a
 * switch costs what the JDK's continuation freeze and thaw cost, which grows with the frames
 * between the body's entry and the yield (they are copied into the task's stack chunk at each
 * suspension).
 */
final class ContinuationStrand extends Strand implements Runnable {
  /** Made by the first step, so that a task cancelled before it starts never has one. */
  private Object continuation;

  ContinuationStrand(Task<?> task) {
    super(task);
  }

  /**
   * The continuation's body: {@link TaskSteps#runBody}, spelled out here so that the continuation's
   * bottom holds one frame of the library, not two (every suspension copies the frames between the
   * continuation's entry and its yield out, and every resumption copies them back).
   */
  @Override
  public void run() {
    Task<?> t = task;
    Object value = null;
    Throwable failure = TaskSteps.takeSliceRefused(t);
    if (failure == null) {
      try {
        value = t.callBody();
      } catch (Throwable e) {
        failure = e;
      }
    }
    t.endBody(value, failure);
  }

  /** The continuation, made by the first step. */
  Object continuation() {
    Object c = continuation;
    if (c == null) {
      continuation = c = Continuations.create(this);
    }
    return c;
  }

  @Override
  void resume(Object slot) {
    Object c = continuation();
    Context base = TaskSteps.enterSlice(task, slot);
    try {
      Continuations.run(c);
    } finally {
      TaskSteps.exitSlice(task, slot, base);
    }
  }

  @Override
  void suspend() {
    try {
      Continuations.yieldNow();
    } catch (IllegalStateException pinned) {
      throw cannotSuspend(pinned);
    }
  }

  /** Why the body cannot suspend where it awaits (out of line: the JIT inlines suspend()). */
  private IllegalStateException cannotSuspend(IllegalStateException pinned) {
    return new IllegalStateException(
        "await() cannot suspend task "
            + task.getName()
            + " here ("
            + pinned.getMessage()
            + "): it runs inside a native frame, or inside synchronized on JDK 21-23; use a"
            + " java.util.concurrent lock there, or await outside it",
        pinned);
  }

  @Override
  void abandon() {
    Continuations.yieldNow(); // never resumed: the runtime drops the continuation
    throw new IllegalStateException("an abandoned task was resumed: " + task);
  }

  @Override
  StackTraceElement[] suspendedStack() {
    Object c = continuation;
    return c == null ? new StackTraceElement[0] : Continuations.stackTrace(c);
  }
}
