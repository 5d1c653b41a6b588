package dev.eventual.loop;

import dev.eventual.internal.ContextAccess;

/**
 * A task's body in a {@code jdk.internal.vm.Continuation} ({@link TaskRuntime.Kind#CONTINUATION}):
 * the body runs on the thread that resumes it (the loop's), and {@link #suspend()} yields back to
 * that thread, as a CPython coroutine yields to its task's {@code __step}. No thread of its own; a
 * switch costs what the JDK's continuation freeze and thaw cost.
 */
final class ContinuationStrand extends Strand implements Runnable {
  private static final ContextAccess CONTEXTS = ContextAccess.get();

  private final Task<?> task;
  private final Object continuation;

  ContinuationStrand(Task<?> task) {
    this.task = task;
    this.continuation = Continuations.create(this);
  }

  /** The continuation's body. */
  @Override
  public void run() {
    task.runBody();
  }

  @Override
  void resume() {
    Object slot = CONTEXTS.slot();
    task.enterSlice(slot);
    try {
      Continuations.run(continuation);
    } finally {
      task.exitSlice(slot);
    }
  }

  @Override
  void suspend() {
    try {
      Continuations.yieldNow();
    } catch (IllegalStateException pinned) {
      throw new IllegalStateException(
          "await() cannot suspend task "
              + task.getName()
              + " here ("
              + pinned.getMessage()
              + "): it runs inside a native frame, or inside synchronized on JDK 21-23; use a"
              + " java.util.concurrent lock there, or await outside it",
          pinned);
    }
  }

  @Override
  void abandon() {
    Continuations.yieldNow(); // never resumed: the runtime drops the continuation
    throw new IllegalStateException("an abandoned task was resumed: " + task);
  }

  @Override
  StackTraceElement[] suspendedStack() {
    return Continuations.stackTrace(continuation);
  }
}
