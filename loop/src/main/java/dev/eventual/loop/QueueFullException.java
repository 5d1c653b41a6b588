package dev.eventual.loop;

/**
 * Raised by {@link Queue#putNowait(Object)} when the queue is full: Python's {@code
 * asyncio.QueueFull}. An {@link IllegalStateException}, as {@code java.util.Queue.add} throws when
 * a bounded queue is full.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>Named with Java's {@code Exception} suffix, the project's rule for Python's exception
 *       classes; unchecked.
 * </ul>
 */
public class QueueFullException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the message
   */
  public QueueFullException(String message) {
    super(message);
  }
}
