package dev.eventual.loop;

/**
 * Raised by {@link Barrier#await()} when the barrier is aborted or reset while a task waits, or is
 * broken when a task arrives: Python's {@code asyncio.BrokenBarrierError} (a {@code RuntimeError}
 * there, so an {@link IllegalStateException} here).
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>Python's {@code Error} suffix is Java's {@code Exception} (the project's rule, as {@code
 *       InvalidStateError} → {@code InvalidStateException}). The name is also that of {@link
 *       java.util.concurrent.BrokenBarrierException}, which is checked and belongs to {@code
 *       CyclicBarrier}; the loop package keeps Python's names, so a file that uses both qualifies
 *       one.
 * </ul>
 */
public class BrokenBarrierException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what broke the barrier
   */
  public BrokenBarrierException(String message) {
    super(message);
  }
}
