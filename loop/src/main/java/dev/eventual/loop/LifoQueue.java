package dev.eventual.loop;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * A {@link Queue} that returns the most recently added item first: Python's {@code
 * asyncio.LifoQueue}. Waiting getters and putters are still served FIFO.
 *
 * @param <T> the item type
 */
public class LifoQueue<T> extends Queue<T> {
  /** Creates an unbounded LIFO queue. */
  public LifoQueue() {
    this(0);
  }

  /**
   * Creates a LIFO queue holding at most {@code maxsize} items.
   *
   * @param maxsize the capacity; zero or less means unbounded
   */
  public LifoQueue(int maxsize) {
    super(maxsize, Collections.asLifoQueue(new ArrayDeque<>()));
  }
}
