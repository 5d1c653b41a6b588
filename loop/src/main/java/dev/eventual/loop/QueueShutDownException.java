package dev.eventual.loop;

/**
 * Raised by a put into a queue that was shut down, and by a get from one that was shut down and is
 * empty (or shut down immediately): Python's {@code asyncio.QueueShutDown} (3.13).
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>Named with Java's {@code Exception} suffix, the project's rule for Python's exception
 *       classes; unchecked.
 * </ul>
 */
public class QueueShutDownException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the message
   */
  public QueueShutDownException(String message) {
    super(message);
  }
}
