package dev.eventual.loop;

import java.util.List;

/**
 * The errors of a {@link TaskGroup}: Python's {@code BaseExceptionGroup("unhandled errors in a
 * TaskGroup", errors)}. Java has no exception groups, so every error is also {@linkplain
 * Throwable#getSuppressed() attached as suppressed}, and a stack trace prints them all.
 */
public final class TaskGroupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The errors, in the order they happened. */
  private final transient List<Throwable> exceptions;

  TaskGroupException(List<Throwable> exceptions) {
    super(
        "unhandled errors in a TaskGroup ("
            + exceptions.size()
            + " sub-exception"
            + (exceptions.size() == 1 ? "" : "s")
            + ")");
    this.exceptions = List.copyOf(exceptions);
    for (Throwable t : this.exceptions) {
      addSuppressed(t);
    }
  }

  /**
   * The errors: those of the failed tasks, in the order they failed, then the body's own if it
   * failed: Python's {@code exceptions} attribute.
   *
   * @return an unmodifiable list, never empty
   */
  public List<Throwable> exceptions() {
    return exceptions;
  }
}
