package dev.eventual;

/**
 * A wait ran out of time: Python's {@code TimeoutError} as raised by {@code result(timeout)},
 * {@code as_completed} and {@code Executor.map}. Unchecked, like every exception of the
 * Python-named methods; the JDK methods ({@code get}) keep the checked {@link
 * java.util.concurrent.TimeoutException}.
 */
public class WaitTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was waited for and how long
   */
  public WaitTimeoutException(String message) {
    super(message);
  }
}
