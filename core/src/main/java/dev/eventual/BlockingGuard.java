package dev.eventual;

import dev.eventual.internal.ThreadMarks;

/**
 * Marks threads that must never block on a future, such as an event loop's thread: there, a
 * blocking wait on a future that is not done would deadlock the loop that is meant to complete it.
 * On a marked thread the blocking waits of this package ({@link ConcurrentFuture#result()}, {@link
 * ConcurrentFuture#get()}, their timed forms, {@link Futures#wait}, {@link Futures#asCompleted}
 * iteration, {@link FutureExecutor#map} iteration and {@code shutdown(wait=true)}) fail at once
 * with an {@link IllegalStateException} instead. Reading a future that is already done, or a
 * zero-timeout look, still works.
 *
 * <p>The event loop of {@code eventual-loop} marks its thread while it runs; other loops (Netty,
 * Vert.x, a UI thread) can do the same.
 */
public final class BlockingGuard {

  private BlockingGuard() {}

  /**
   * Forbids blocking waits on the current thread until {@link #allowBlocking()}.
   *
   * @param owner what owns the thread, for the error message (for example the loop's description)
   * @throws NullPointerException if {@code owner} is null
   */
  public static void forbidBlocking(String owner) {
    ThreadMarks.forbidBlocking(owner);
  }

  /** Allows blocking waits on the current thread again; harmless if they were allowed. */
  public static void allowBlocking() {
    ThreadMarks.allowBlocking();
  }

  /**
   * Returns who forbade blocking on the current thread.
   *
   * @return the owner given to {@link #forbidBlocking}, or {@code null} if blocking is allowed
   */
  public static String blockingForbiddenBy() {
    return ThreadMarks.blockingForbiddenBy();
  }

  /**
   * Throws if the current thread may not block; called just before a wait would block.
   *
   * @param what the wait, for example "result() of ConcurrentFuture@1b6d3586[PENDING]"
   * @throws IllegalStateException if the current thread is marked
   */
  static void checkMayBlock(Object what) {
    ThreadMarks.checkMayBlock(what);
  }
}
