package dev.eventual.loop;

import java.util.Comparator;

/**
 * A {@link Queue} that returns its lowest item first: Python's {@code asyncio.PriorityQueue}. Items
 * are compared by their natural order or by a {@link Comparator}; equal items come out in no
 * particular order (as Python's heap).
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>Python compares entries with {@code <} (typically {@code (priority, data)} tuples); here
 *       items are {@link Comparable} or a comparator is given. Putting an item that is not
 *       comparable fails with {@link ClassCastException} and leaves the queue as it was.
 *   <li>The name clashes with {@link java.util.PriorityQueue}; the loop package keeps Python's
 *       names (see the package documentation).
 * </ul>
 *
 * @param <T> the item type
 */
public class PriorityQueue<T> extends Queue<T> {
  /** Creates an unbounded priority queue of {@link Comparable} items. */
  public PriorityQueue() {
    this(0);
  }

  /**
   * Creates a priority queue of {@link Comparable} items holding at most {@code maxsize}.
   *
   * @param maxsize the capacity; zero or less means unbounded
   */
  public PriorityQueue(int maxsize) {
    super(maxsize, new java.util.PriorityQueue<>());
  }

  /**
   * Creates a priority queue ordered by {@code comparator}, holding at most {@code maxsize}.
   *
   * @param maxsize the capacity; zero or less means unbounded
   * @param comparator the order, lowest first
   * @throws NullPointerException if {@code comparator} is null
   */
  public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
    super(maxsize, new java.util.PriorityQueue<>(requireComparator(comparator)));
  }

  private static <T> Comparator<T> requireComparator(Comparator<T> comparator) {
    if (comparator == null) {
      throw new NullPointerException("comparator must not be null");
    }
    return comparator;
  }
}
