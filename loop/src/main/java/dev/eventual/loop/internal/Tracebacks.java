package dev.eventual.loop.internal;

import dev.eventual.internal.ResultRepr;
import java.util.Arrays;

/** Where loop objects were created, for debug mode (asyncio's {@code _source_traceback}). */
public final class Tracebacks {
  private Tracebacks() {}

  /**
   * Returns the caller's stack, without the frames of the library's own classes on top.
   *
   * @return the frames, the creator first
   */
  public static StackTraceElement[] capture() {
    StackTraceElement[] all = new Throwable().getStackTrace();
    int i = 0;
    while (i < all.length - 1 && isLibrary(all[i].getClassName())) {
      i++;
    }
    return Arrays.copyOfRange(all, i, all.length);
  }

  private static boolean isLibrary(String className) {
    if (className.startsWith("dev.eventual.loop.internal.")) {
      return true;
    }
    if (!className.startsWith("dev.eventual.loop.")) {
      return false;
    }
    String simple = className.substring("dev.eventual.loop.".length());
    int nested = simple.indexOf('$');
    if (nested >= 0) {
      simple = simple.substring(0, nested);
    }
    switch (simple) {
      case "EventLoop":
      case "BaseEventLoop":
      case "SelectorEventLoop":
      case "TransportEventLoop":
      case "TestEventLoop":
      case "LoopFuture":
      case "Handle":
      case "TimerHandle":
      case "Asyncio":
      case "Task":
      case "TaskGroup":
      case "Await":
      case "Waits":
      case "Gathering":
      case "Bridges":
      case "Scheduler":
      case "TaskRuntime":
      case "Strand":
      case "ContinuationStrand":
      case "ThreadStrand":
      case "TaskThreads":
      case "Continuations":
      case "TaskFactory":
      case "Runner":
      case "Timeout":
      case "ExecutorShutdown":
      case "Threads":
        return true;
      default:
        return false;
    }
  }

  /**
   * Describes the creator's frame for a {@code toString}.
   *
   * @param trace what {@link #capture()} returned, or null
   * @return {@code " created at File.java:12"}, or the empty string
   */
  public static String createdAt(StackTraceElement[] trace) {
    if (trace == null || trace.length == 0) {
      return "";
    }
    StackTraceElement e = trace[0];
    return " created at " + e.getFileName() + ":" + e.getLineNumber();
  }

  /**
   * Describes an object without calling its own {@code toString}.
   *
   * @param o the object
   * @return {@code Class@hash}, or "null"
   */
  public static String identity(Object o) {
    return ResultRepr.identity(o);
  }
}
