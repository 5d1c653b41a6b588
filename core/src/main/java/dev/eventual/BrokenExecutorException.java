package dev.eventual;

import java.util.concurrent.RejectedExecutionException;

/**
 * The executor can no longer run tasks (Python's {@code BrokenExecutor}): for example a worker
 * initializer failed. Queued futures fail with it, and every later {@code submit} throws it.
 */
public class BrokenExecutorException extends RejectedExecutionException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message why the executor is broken
   * @param cause what broke it, or {@code null}
   */
  public BrokenExecutorException(String message, Throwable cause) {
    super(message, cause);
  }
}
