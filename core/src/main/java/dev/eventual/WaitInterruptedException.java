package dev.eventual;

/**
 * A thread blocked in one of the Python-named waits ({@code result}, {@code exception}, {@code
 * Futures.wait}, {@code asCompleted}, {@code map}, {@code shutdown}) was interrupted. The thread's
 * interrupt flag is set again before this is thrown, so the interrupt is never lost; the cause is
 * the original {@link InterruptedException}.
 */
public class WaitInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was being waited for
   * @param cause the interrupt
   */
  public WaitInterruptedException(String message, InterruptedException cause) {
    super(message, cause);
  }
}
