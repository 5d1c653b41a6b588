package dev.eventual;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An unmodifiable set over distinct elements already in order, for the sets of a {@link
 * DoneAndNotDone} that {@code Futures.wait} builds: iteration and {@code size} read the list, and a
 * hash index is built only on the first {@code contains}. A wait over many futures thus hashes them
 * once (to drop duplicates from its input) instead of once per set it builds.
 *
 * @param <E> the element type
 */
final class FrozenSet<E> extends AbstractSet<E> {
  private final List<E> elements;
  private HashSet<E> index; // built on the first contains; racy but idempotent

  /**
   * Takes over a list of distinct elements; the caller must not change it afterwards.
   *
   * @param distinctElements the elements, no two equal
   */
  FrozenSet(ArrayList<E> distinctElements) {
    this.elements = distinctElements;
  }

  @Override
  public int size() {
    return elements.size();
  }

  @Override
  public boolean contains(Object o) {
    HashSet<E> i = index;
    if (i == null) {
      i = new HashSet<>(elements);
      index = i;
    }
    return i.contains(o);
  }

  @Override
  public Iterator<E> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < elements.size();
      }

      @Override
      public E next() {
        if (next >= elements.size()) {
          throw new NoSuchElementException();
        }
        return elements.get(next++);
      }
    };
  }
}
