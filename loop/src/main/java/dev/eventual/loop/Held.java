package dev.eventual.loop;

/**
 * A lock or semaphore held by the current task, released by {@link #close()}: the Java form of
 * Python's {@code async with lock:}.
 *
 * <pre>{@code
 * try (var held = lock.hold()) {   // async with lock:
 *   ...                            //     ...
 * }                                // released here, also on an exception
 * }</pre>
 *
 * <p>Closing it a second time does nothing (the primitive is released once).
 */
public interface Held extends AutoCloseable {
  /**
   * Releases what was acquired; idempotent.
   *
   * @throws IllegalStateException if the primitive refuses the release (for example a lock that was
   *     released by other code meanwhile: "Lock is not acquired.")
   */
  @Override
  void close();
}
