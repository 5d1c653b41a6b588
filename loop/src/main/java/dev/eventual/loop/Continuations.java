package dev.eventual.loop;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JDK's one-shot delimited continuations ({@code jdk.internal.vm.Continuation}, the engine
 * under virtual threads), reached through method handles, since the library compiles for Java 17
 * and the class is internal to {@code java.base}.
 *
 * <p>Usable only on JDK 21+ and only when the JVM was started with {@code --add-exports
 * java.base/jdk.internal.vm=ALL-UNNAMED} (or {@code =dev.eventual.loop} on the module path), or
 * from an executable jar whose manifest says {@code Add-Exports: java.base/jdk.internal.vm}.
 * Otherwise {@link #UNAVAILABLE_REASON} says why, and {@link #AVAILABLE} is false. The class probes
 * the mechanism once (create, run, yield, resume, finish) before it says it is available.
 */
final class Continuations {
  private static final MethodHandle NEW;
  private static final MethodHandle RUN;
  private static final MethodHandle YIELD;
  private static final MethodHandle IS_DONE;

  /** {@code Continuation.getStackTrace()}, or null if this JDK has none. */
  private static final MethodHandle STACK_TRACE;

  private static final Object SCOPE;

  /** Whether continuations can be used here. */
  static final boolean AVAILABLE;

  /** Why not, or null. */
  static final String UNAVAILABLE_REASON;

  static {
    MethodHandle create = null;
    MethodHandle run = null;
    MethodHandle yield = null;
    MethodHandle isDone = null;
    MethodHandle stackTrace = null;
    Object scope = null;
    String reason = null;
    try {
      Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
      Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      scope =
          lookup
              .findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
              .invoke("eventual-task");
      create =
          lookup
              .findConstructor(
                  contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
              .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
      run =
          lookup
              .findVirtual(contClass, "run", MethodType.methodType(void.class))
              .asType(MethodType.methodType(void.class, Object.class));
      yield =
          lookup
              .findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
              .asType(MethodType.methodType(boolean.class, Object.class));
      isDone =
          lookup
              .findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
              .asType(MethodType.methodType(boolean.class, Object.class));
      try {
        stackTrace =
            lookup
                .findVirtual(
                    contClass, "getStackTrace", MethodType.methodType(StackTraceElement[].class))
                .asType(MethodType.methodType(StackTraceElement[].class, Object.class));
      } catch (NoSuchMethodException e) {
        stackTrace = null; // Task.getStack() then reports no frames for a suspended task
      }
    } catch (ClassNotFoundException e) {
      reason = "this JDK has no jdk.internal.vm.Continuation (JDK 21+ has)";
    } catch (IllegalAccessException e) {
      reason =
          "the JVM was not started with --add-exports java.base/jdk.internal.vm=ALL-UNNAMED ("
              + e.getMessage()
              + ")";
    } catch (Throwable e) {
      reason = "jdk.internal.vm.Continuation cannot be used: " + e;
    }
    NEW = create;
    RUN = run;
    YIELD = yield;
    IS_DONE = isDone;
    STACK_TRACE = stackTrace;
    SCOPE = scope;
    if (reason == null) {
      reason = probe();
    }
    AVAILABLE = reason == null;
    UNAVAILABLE_REASON = reason;
  }

  private Continuations() {}

  /** Runs a continuation that yields once; returns null if it behaved, or why not. */
  private static String probe() {
    try {
      int[] steps = new int[1];
      Object c =
          create(
              () -> {
                steps[0]++;
                yieldNow();
                steps[0]++;
              });
      run(c);
      boolean halfway = steps[0] == 1 && !isDone(c);
      run(c);
      return halfway && steps[0] == 2 && isDone(c)
          ? null
          : "jdk.internal.vm.Continuation did not behave as expected in a probe";
    } catch (Throwable e) {
      return "jdk.internal.vm.Continuation failed a probe: " + e;
    }
  }

  /** A new continuation that will run {@code body}. */
  static Object create(Runnable body) {
    try {
      return (Object) NEW.invokeExact((Object) SCOPE, body);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  /** Runs {@code continuation} on the calling thread until it yields or ends. */
  static void run(Object continuation) {
    try {
      RUN.invokeExact(continuation);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  /**
   * Suspends the continuation running on this thread; returns when it is run again.
   *
   * @throws IllegalStateException if it cannot be suspended here (it is pinned: a native frame, or
   *     on JDK 21-23 a held monitor), with the JDK's reason
   */
  static void yieldNow() {
    try {
      boolean ignored = (boolean) YIELD.invokeExact((Object) SCOPE);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  /** Whether the body of {@code continuation} has ended. */
  static boolean isDone(Object continuation) {
    try {
      return (boolean) IS_DONE.invokeExact(continuation);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  /**
   * The frames of a suspended {@code continuation}, newest first, walked by the JDK from the frozen
   * stack (nothing is recorded at the yield); empty if this JDK cannot walk it.
   */
  static StackTraceElement[] stackTrace(Object continuation) {
    if (STACK_TRACE == null) {
      return new StackTraceElement[0];
    }
    try {
      return (StackTraceElement[]) STACK_TRACE.invokeExact(continuation);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private static RuntimeException rethrow(Throwable e) {
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(e);
  }
}
