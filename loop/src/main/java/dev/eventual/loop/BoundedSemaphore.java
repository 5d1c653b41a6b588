package dev.eventual.loop;

/**
 * A {@link Semaphore} that refuses to be released more often than it was acquired: Python's {@code
 * asyncio.BoundedSemaphore}.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>An over-release raises {@link IllegalStateException} rather than {@code ValueError}: the
 *       call has no argument to be wrong, the semaphore's state is (Java's convention, as {@code
 *       Lock.release()} of an unlocked lock).
 * </ul>
 */
public final class BoundedSemaphore extends Semaphore {
  private final int bound;

  /** Creates a bounded semaphore with one permit. */
  public BoundedSemaphore() {
    this(1);
  }

  /**
   * Creates a bounded semaphore with {@code value} permits, which is also its bound.
   *
   * @param value the initial and highest number of permits
   * @throws IllegalArgumentException if {@code value} is negative
   */
  public BoundedSemaphore(int value) {
    super(value);
    this.bound = value;
  }

  /**
   * Gives a permit back, as {@link Semaphore#release()}.
   *
   * @throws IllegalStateException "BoundedSemaphore released too many times" if that would raise
   *     the count above the initial value
   */
  @Override
  public void release() {
    if (value >= bound) {
      throw new IllegalStateException("BoundedSemaphore released too many times");
    }
    super.release();
  }
}
