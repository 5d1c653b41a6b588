package dev.eventual.loop;

/**
 * Raised by {@link Queue#getNowait()} when the queue is empty: Python's {@code asyncio.QueueEmpty}.
 * A {@link java.util.NoSuchElementException}, as {@code java.util.Queue.remove()} throws on an
 * empty queue.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>Named with Java's {@code Exception} suffix, the project's rule for Python's exception
 *       classes; unchecked.
 * </ul>
 */
public class QueueEmptyException extends java.util.NoSuchElementException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the message
   */
  public QueueEmptyException(String message) {
    super(message);
  }
}
