package dev.eventual.internal;

/**
 * The two marks a thread can carry for this library: that it must never block on a future (the mark
 * behind {@link dev.eventual.BlockingGuard}), and which executor it is working for right now (a
 * task or a completion of that executor), which {@link ExecutorLifecycle} reads to refuse a {@code
 * shutdown(wait=true)} that would wait for itself.
 *
 * <p>One place for both, so that every executor and every blocking wait of the library asks the
 * same question the same way.
 */
public final class ThreadMarks {
  private static final ThreadLocal<String> BLOCKING_FORBIDDEN_BY = new ThreadLocal<>();
  private static final ThreadLocal<Object> WORKING_FOR = new ThreadLocal<>();

  private ThreadMarks() {}

  /**
   * Forbids blocking waits on the current thread.
   *
   * @param owner what owns the thread, for the error message
   * @throws NullPointerException if {@code owner} is null
   */
  public static void forbidBlocking(String owner) {
    if (owner == null) {
      throw new NullPointerException("owner must not be null");
    }
    BLOCKING_FORBIDDEN_BY.set(owner);
  }

  /** Allows blocking waits on the current thread again. */
  public static void allowBlocking() {
    BLOCKING_FORBIDDEN_BY.remove();
  }

  /**
   * Returns who forbade blocking on the current thread.
   *
   * @return the owner, or {@code null} if the thread may block
   */
  public static String blockingForbiddenBy() {
    return BLOCKING_FORBIDDEN_BY.get();
  }

  /**
   * Throws if the current thread may not block; called just before a wait would block.
   *
   * @param what the wait, for the message
   * @throws IllegalStateException if the current thread may not block
   */
  public static void checkMayBlock(Object what) {
    String owner = BLOCKING_FORBIDDEN_BY.get();
    if (owner != null) {
      throw new IllegalStateException(
          "Blocking wait for "
              + what
              + " on thread '"
              + Thread.currentThread().getName()
              + "' of "
              + owner
              + ": it would deadlock; wait without blocking instead (a callback, or await in a"
              + " task)");
    }
  }

  /**
   * Marks the current thread as working for {@code executor} until {@link #endWork}.
   *
   * @param executor the executor (its {@link ExecutorLifecycle})
   * @return what the thread worked for before, to hand to {@link #endWork}
   */
  static Object beginWork(Object executor) {
    Object previous = WORKING_FOR.get();
    if (previous != executor) {
      WORKING_FOR.set(executor);
    }
    return previous;
  }

  /**
   * Ends what {@link #beginWork} began.
   *
   * @param executor the executor given to {@code beginWork}
   * @param previous what {@code beginWork} returned
   */
  static void endWork(Object executor, Object previous) {
    if (previous != executor) {
      WORKING_FOR.set(previous); // null rather than remove(): the next task's set allocates nothing
    }
  }

  /**
   * Returns whether the current thread works for {@code executor} right now.
   *
   * @param executor the executor (its {@link ExecutorLifecycle})
   * @return true inside one of its tasks or completions
   */
  static boolean worksFor(Object executor) {
    return WORKING_FOR.get() == executor;
  }
}
