package dev.eventual.loop;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * {@link Task#getStack(int)} and {@link Task#printStack(int, PrintStream)}: where a task's body is,
 * as CPython's {@code base_tasks._task_get_stack} and {@code _task_print_stack}.
 *
 * <h2>How the frames of a suspended body are read, and what it costs</h2>
 *
 * <p>Nothing is recorded when a task suspends, so {@code await} pays nothing for this. The frames
 * are read only when asked, from where the body is parked:
 *
 * <ul>
 *   <li>a continuation (the loop's own thread): {@code
 *       jdk.internal.vm.Continuation.getStackTrace()} walks the frozen frames of the unmounted
 *       continuation; it is safe because the loop's thread is the only one that mounts it, and the
 *       caller is on that thread;
 *   <li>a task thread (virtual or platform): {@link Thread#getStackTrace()} of the parked thread (a
 *       safepoint handshake with that one thread for a platform thread; a walk of the frozen stack
 *       for an unmounted virtual thread).
 * </ul>
 *
 * <p>Either costs about 0.1 to 0.5 ms per task on the shared 2-core machine this was measured on
 * ({@code TaskStacksTest}'s cost case prints it: JDK 17 platform threads 116-224 us, JDK 25
 * continuations 238-501 us, virtual threads 266-316 us, for a body three frames deep), which is
 * fine for a diagnostic and is paid only when asked. The raw stack is then trimmed to the body's
 * own frames: everything above the {@code await} (the runtime's suspension frames) and everything
 * below the body's entry ({@code Task.callBody} and the strand) is dropped.
 */
final class TaskStacks {
  private static final String TASK = Task.class.getName();
  private static final String AWAIT = Await.class.getName();
  private static final String STEPS = TaskSteps.class.getName();

  private TaskStacks() {}

  /** The frames of {@code task}'s body, oldest first, at most {@code limit}, as get_stack. */
  static List<StackTraceElement> get(Task<?> task, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    checkThread(task);
    List<StackTraceElement> newestFirst;
    if (task.isDone()) {
      if (task.isCancelled() || task.exception() == null) {
        return List.of();
      }
      // a traceback: the oldest frames are kept, as CPython does for a traceback
      List<StackTraceElement> oldestFirst = reversed(body(task.exception().getStackTrace(), false));
      return List.copyOf(oldestFirst.subList(0, Math.min(limit, oldestFirst.size())));
    }
    if (task == Task.currentTask()) {
      newestFirst = body(new Throwable().getStackTrace(), true);
    } else {
      Strand s = task.suspendedStrand();
      if (s == null) {
        return List.of(); // not started yet
      }
      newestFirst = body(s.suspendedStack(), false);
    }
    // a stack: the newest frames are kept, as CPython does for a suspended coroutine
    return List.copyOf(reversed(newestFirst.subList(0, Math.min(limit, newestFirst.size()))));
  }

  /** The frames of {@code task}'s body newest first, unlimited: the call graph's call stack. */
  static List<StackTraceElement> newestFirst(Task<?> task) {
    List<StackTraceElement> oldestFirst = get(task, Integer.MAX_VALUE);
    return task.isDone() ? List.of() : reversed(oldestFirst);
  }

  /** Prints the stack or traceback as CPython's {@code print_stack}. */
  static void print(Task<?> task, int limit, PrintStream out) {
    Objects.requireNonNull(out, "out must not be null");
    List<StackTraceElement> frames = get(task, limit);
    Throwable exc = task.isDone() && !task.isCancelled() ? task.exception() : null;
    StringBuilder b = new StringBuilder();
    if (frames.isEmpty()) {
      b.append("No stack for ").append(task).append('\n');
    } else if (exc != null) {
      b.append("Traceback for ").append(task).append(" (most recent call last):\n");
    } else {
      b.append("Stack for ").append(task).append(" (most recent call last):\n");
    }
    for (StackTraceElement f : frames) {
      b.append("  at ").append(CallGraphs.frame(f)).append('\n');
    }
    if (exc != null) {
      b.append(exc).append('\n');
    }
    out.print(b);
    out.flush();
  }

  /**
   * Refuses a caller that could race with the body: reading the stack is allowed on the loop's
   * thread (and in a task of the loop), or while the loop is not running.
   */
  static void checkThread(Task<?> task) {
    checkThread(task.getLoop(), "the stack of task " + task.getName());
  }

  /** As {@link #checkThread(Task)}, for anything else of {@code loop} that {@code what} reads. */
  static void checkThread(EventLoop loop, String what) {
    Thread owner = loop.scheduler.owner.get();
    Thread me = Thread.currentThread();
    if (owner != null && owner != me && me != loop.runtime.carrier) {
      throw new IllegalStateException(
          what
              + " can be read only on its loop's thread '"
              + owner.getName()
              + "' while the loop runs (called from '"
              + me.getName()
              + "'); use callSoonThreadsafe");
    }
  }

  /**
   * Trims a raw stack (newest first) to the body's frames: drops the frames below {@code
   * Task.callBody} (the body's caller on every strand) and, above the body, either the suspension
   * machinery ({@code TaskSteps.await} or {@code TaskSteps.yieldOnce} and what they call, plus
   * {@code Await.await}) or, for the caller's own stack, the introspection frames (this class,
   * {@code Task}, the call graph's classes); lambda proxy frames are left out, as the JDK leaves
   * them out of a thread's own stack.
   */
  static List<StackTraceElement> body(StackTraceElement[] raw, boolean own) {
    int bottom = raw.length;
    for (int i = 0; i < raw.length; i++) {
      if (TASK.equals(raw[i].getClassName()) && "callBody".equals(raw[i].getMethodName())) {
        bottom = i;
        break;
      }
    }
    int top = 0;
    if (own) {
      while (top < bottom && isIntrospection(raw[top])) {
        top++;
      }
    } else {
      for (int i = 0; i < bottom; i++) {
        String m = raw[i].getMethodName();
        if (STEPS.equals(raw[i].getClassName()) && ("await".equals(m) || "yieldOnce".equals(m))) {
          top = i + 1;
          break;
        }
      }
      while (top < bottom && AWAIT.equals(raw[top].getClassName())) {
        top++;
      }
    }
    List<StackTraceElement> frames = new ArrayList<>(bottom - top);
    for (int i = top; i < bottom; i++) {
      // a lambda's proxy frame (no source, no line) shows in another thread's stack on some JDKs
      if (!raw[i].getClassName().contains("$$Lambda")) {
        frames.add(raw[i]);
      }
    }
    return frames;
  }

  private static boolean isIntrospection(StackTraceElement f) {
    String c = f.getClassName();
    return c.equals(TaskStacks.class.getName())
        || c.equals(CallGraphs.class.getName())
        || (c.equals(TASK)
            && (f.getMethodName().equals("getStack") || f.getMethodName().equals("printStack")))
        || (c.equals(Asyncio.class.getName()) && f.getMethodName().endsWith("CallGraph"));
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> r = new ArrayList<>(list);
    Collections.reverse(r);
    return r;
  }
}
