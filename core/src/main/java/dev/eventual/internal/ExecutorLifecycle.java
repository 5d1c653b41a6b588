package dev.eventual.internal;

import dev.eventual.BrokenExecutorException;
import dev.eventual.ConcurrentFuture;
import dev.eventual.WaitInterruptedException;
import java.util.concurrent.RejectedExecutionException;

/**
 * The lifecycle every executor of the library shares ({@code ThreadPoolFutureExecutor}, {@code
 * FutureExecutor.wrap}, {@code HazelcastFutureExecutor}): the shutdown and broken flags, the error
 * a refused submit gets, cancel-and-notify, and the wait of {@code shutdown(wait=true)} with its
 * two checks (would it wait for itself; may this thread block at all).
 *
 * <pre>
 *   field            set by                          read by
 *   shutdown         markShutdown (under lock)       checkAccepting, submit's look-again
 *   cancelRequested  markShutdown(cancel=true),      submit's look-again (cancel what slipped in)
 *                    before shutdown
 *   broken           markBroken (under lock), once   checkAccepting (before shutdown: a broken
 *                                                    executor says so, even once shut down)
 * </pre>
 *
 * <p>All three only ever go from unset to set. An executor's submit reads them before it accepts a
 * task and, where the accepting is not under the lock, once more afterwards (see each executor).
 *
 * <p><b>shutdown(wait=true)</b> ({@link #awaitTermination}): if the executor had no unfinished work
 * it returns at once, on any thread, even one that may not block (an idle executor closed from an
 * event loop's task; it still waits for idle threads to end when the thread may block). Otherwise a
 * thread that works for this executor (runs one of its tasks, or a callback run by one of its
 * completions) would wait for itself forever: that throws {@link IllegalStateException} (CPython:
 * "cannot join current thread"); then {@link ThreadMarks#checkMayBlock}; then the wait.
 */
public final class ExecutorLifecycle {
  /** What an executor tells its lifecycle about the work it holds. */
  public interface Host {
    /**
     * Blocks until every task has ended and the executor's threads are done (or are ending).
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void awaitTermination() throws InterruptedException;

    /**
     * Whether the current thread belongs to the executor in a way that {@link ThreadMarks} does not
     * see (for example a Hazelcast member thread running one of its tasks).
     *
     * @return true if the current thread runs work of the executor
     */
    default boolean currentThreadIsOurs() {
      return false;
    }

    /**
     * Marks the executor broken ({@link ExecutorLifecycle#markBroken}) if something outside it
     * broke it since it last looked, for an executor that learns of its breakage only by looking (a
     * Hazelcast member or client that stopped). {@link ExecutorLifecycle#checkAccepting} calls it
     * before it decides, so that such an executor, too, refuses as broken once it is broken, even
     * if it was shut down before anyone looked. The default looks at nothing.
     */
    default void checkBroken() {}
  }

  /** The message of a submit after shutdown (CPython's). */
  public static final String SHUT_DOWN = "cannot schedule new futures after shutdown";

  private final Host host;
  private final Object lock = new Object();
  private volatile boolean shutdown;
  private volatile boolean cancelRequested;
  private volatile Throwable brokenCause;
  private volatile String brokenMessage;

  /**
   * Creates the lifecycle of one executor.
   *
   * @param host the executor
   */
  public ExecutorLifecycle(Host host) {
    this.host = host;
  }

  /**
   * The lock that serializes shutdown and breaking (CPython's {@code _shutdown_lock}).
   *
   * @return the lock
   */
  public Object lock() {
    return lock;
  }

  /**
   * Throws the refusal of the current state, if any: broken first (a broken executor that was also
   * shut down still says it is broken; the host is asked first whether it broke, see {@link
   * Host#checkBroken}), then shut down.
   *
   * @throws BrokenExecutorException if the executor is broken
   * @throws RejectedExecutionException if it was shut down
   */
  public void checkAccepting() {
    if (brokenMessage == null) {
      host.checkBroken();
    }
    if (brokenMessage != null) {
      throw broken();
    }
    if (shutdown) {
      throw new RejectedExecutionException(SHUT_DOWN);
    }
  }

  /**
   * Whether a submit may no longer be accepted (shut down or broken).
   *
   * @return true once shut down or broken
   */
  public boolean isClosedForSubmits() {
    return shutdown || brokenMessage != null;
  }

  /**
   * The exception a refused submit throws now: {@link BrokenExecutorException} if broken, else
   * "cannot schedule new futures after shutdown".
   *
   * @param cause what the underlying service threw, or null
   * @return the exception to throw
   */
  public RejectedExecutionException refusal(Throwable cause) {
    if (brokenMessage != null) {
      return broken();
    }
    return cause == null
        ? new RejectedExecutionException(SHUT_DOWN)
        : new RejectedExecutionException(SHUT_DOWN, cause);
  }

  /**
   * A new {@link BrokenExecutorException} with the message and cause the executor broke with.
   *
   * @return the exception
   */
  public BrokenExecutorException broken() {
    return new BrokenExecutorException(brokenMessage, brokenCause);
  }

  /**
   * Marks the executor shut down; call under {@link #lock()}. With {@code cancelFutures}, {@link
   * #cancelRequested()} is true before {@link #isShutdown()} is.
   *
   * @param cancelFutures whether the shutdown cancels the tasks not started
   */
  public void markShutdown(boolean cancelFutures) {
    if (cancelFutures) {
      cancelRequested = true;
    }
    shutdown = true;
  }

  /**
   * Marks the executor broken, once; call under {@link #lock()}. Later calls keep the first cause.
   *
   * @param message why, for every {@link BrokenExecutorException}
   * @param cause what broke it, or null
   * @return true if this call broke it
   */
  public boolean markBroken(String message, Throwable cause) {
    if (brokenMessage != null) {
      return false;
    }
    brokenCause = cause;
    brokenMessage = message;
    return true;
  }

  /**
   * Whether the executor was shut down.
   *
   * @return true once {@link #markShutdown} ran
   */
  public boolean isShutdown() {
    return shutdown;
  }

  /**
   * Whether a shutdown asked to cancel the tasks not started.
   *
   * @return true once a {@code shutdown(cancelFutures=true)} began
   */
  public boolean cancelRequested() {
    return cancelRequested;
  }

  /**
   * Whether the executor is broken.
   *
   * @return true once {@link #markBroken} ran
   */
  public boolean isBroken() {
    return brokenMessage != null;
  }

  /**
   * Marks the current thread as working for this executor until {@link #endWork}: around a task's
   * run on a thread the executor does not own, or for the whole life of a thread it owns.
   *
   * @return the token to hand to {@link #endWork}
   */
  public Object beginWork() {
    return ThreadMarks.beginWork(this);
  }

  /**
   * Ends what {@link #beginWork} began.
   *
   * @param token what {@code beginWork} returned
   */
  public void endWork(Object token) {
    ThreadMarks.endWork(this, token);
  }

  /**
   * Cancels a future that has not started and acknowledges the cancellation at once, so that {@code
   * wait} and {@code asCompleted} see it done (what {@code shutdown(cancelFutures=true)} does to
   * every task it takes back).
   *
   * @param future the future
   * @return true if the future is now cancelled (by this call or before)
   */
  public static boolean cancelAndNotify(ConcurrentFuture<?> future) {
    return FutureAccess.get().cancelAndNotify(future); // the one mechanism, TaskFuture's too
  }

  /**
   * The wait of {@code shutdown(wait=true)}, after the executor was marked shut down: see the class
   * documentation.
   *
   * @param executor the executor, for messages
   * @param unfinished whether a task accepted by the executor had not ended when it was marked shut
   *     down (queued, running, or its completion's callbacks still running); may err towards true,
   *     then an idle executor's close on a thread that may not block is refused
   * @throws IllegalStateException if the executor has unfinished work and the current thread works
   *     for it (it would wait for itself), or may not block ({@link dev.eventual.BlockingGuard})
   * @throws WaitInterruptedException if interrupted while waiting (the flag is set again)
   */
  public void awaitTermination(Object executor, boolean unfinished) {
    if (!unfinished) {
      if (ThreadMarks.blockingForbiddenBy() != null || ThreadMarks.worksFor(this)) {
        return; // nothing to wait for but idle threads that are ending anyway
      }
    } else {
      if (ThreadMarks.worksFor(this) || host.currentThreadIsOurs()) {
        throw new IllegalStateException(
            "shutdown(wait=true) called by a task of "
                + executor
                + " or a callback of one of its futures, on thread '"
                + Thread.currentThread().getName()
                + "': it would wait for itself (close it from elsewhere, or with wait=false)");
      }
      ThreadMarks.checkMayBlock("shutdown(wait=true) of " + executor);
    }
    try {
      host.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WaitInterruptedException(
          "Interrupted while waiting for the tasks of " + executor + " to finish", e);
    }
  }
}
