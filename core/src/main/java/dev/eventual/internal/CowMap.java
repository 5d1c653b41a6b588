package dev.eventual.internal;

import java.util.Arrays;

/**
 * An immutable map with identity keys, in insertion order, for {@code dev.eventual.Context}. Every
 * change returns a new map and leaves this one as it was, so a snapshot costs nothing: taking a
 * copy of a context shares the map. A change copies the entries (O(n)); contexts hold few
 * variables.
 */
public final class CowMap {
  /** The empty map. */
  public static final CowMap EMPTY = new CowMap(new Object[0]);

  /** Returned by {@link #get} for a key that is absent. */
  public static final Object ABSENT = new Object();

  /** Keys at even indexes, each followed by its value. */
  private final Object[] entries;

  private CowMap(Object[] entries) {
    this.entries = entries;
  }

  private int indexOf(Object key) {
    for (int i = 0; i < entries.length; i += 2) {
      if (entries[i] == key) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the value of a key.
   *
   * @param key the key, compared by identity
   * @return the value, possibly null, or {@link #ABSENT}
   */
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? ABSENT : entries[i + 1];
  }

  /**
   * Returns a map where {@code key} has {@code value}; an existing key keeps its position.
   *
   * @param key the key
   * @param value the value, may be null
   * @return the new map
   */
  public CowMap with(Object key, Object value) {
    int i = indexOf(key);
    Object[] next;
    if (i >= 0) {
      next = entries.clone();
    } else {
      i = entries.length;
      next = Arrays.copyOf(entries, i + 2);
      next[i] = key;
    }
    next[i + 1] = value;
    return new CowMap(next);
  }

  /**
   * Returns a map without {@code key}.
   *
   * @param key the key
   * @return the new map, or this one if the key is absent
   */
  public CowMap without(Object key) {
    int i = indexOf(key);
    if (i < 0) {
      return this;
    }
    Object[] next = new Object[entries.length - 2];
    System.arraycopy(entries, 0, next, 0, i);
    System.arraycopy(entries, i + 2, next, i, entries.length - i - 2);
    return next.length == 0 ? EMPTY : new CowMap(next);
  }

  /**
   * The number of keys.
   *
   * @return the size
   */
  public int size() {
    return entries.length / 2;
  }

  /**
   * The key at a position, in insertion order.
   *
   * @param index from 0 to {@code size() - 1}
   * @return the key
   */
  public Object keyAt(int index) {
    return entries[2 * index];
  }

  /**
   * The value at a position, in insertion order.
   *
   * @param index from 0 to {@code size() - 1}
   * @return the value
   */
  public Object valueAt(int index) {
    return entries[2 * index + 1];
  }
}
