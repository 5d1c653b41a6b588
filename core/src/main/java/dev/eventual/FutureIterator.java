package dev.eventual;

import java.util.Iterator;

/**
 * A lazy, single-use sequence produced by {@link Futures#asCompleted} and {@link
 * FutureExecutor#map}: Python's generator, in Java's shape. Use it in a for-each loop, or in
 * try-with-resources to release it early (Python's {@code generator.close()}): what {@link
 * #close()} does is documented by the method that returns it.
 *
 * @param <T> the element type
 */
public interface FutureIterator<T> extends Iterator<T>, Iterable<T>, AutoCloseable {
  /**
   * Returns this iterator, once, so that a for-each loop can consume it.
   *
   * @return this
   * @throws IllegalStateException if called a second time: the sequence cannot be restarted
   */
  @Override
  Iterator<T> iterator();

  /** Stops the iteration early and releases what it holds; later calls do nothing. */
  @Override
  void close();
}
