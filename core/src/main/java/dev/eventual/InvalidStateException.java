package dev.eventual;

/**
 * The operation is not allowed in the future's current state: Python's {@code InvalidStateError}
 * (for example {@code setResult} on a future that is already done).
 */
public class InvalidStateException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was attempted and in which state
   */
  public InvalidStateException(String message) {
    super(message);
  }
}
