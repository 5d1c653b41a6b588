package dev.eventual.internal;

import java.util.function.Consumer;

/**
 * A callback of {@code wait} and {@code asCompleted}: it runs when a future is FINISHED or becomes
 * CANCELLED_AND_NOTIFIED, but not when it is merely CANCELLED (CPython's {@code _waiters}).
 *
 * <p>Equality is identity, so a user's {@code removeDoneCallback} never removes one.
 */
public abstract class NotifyOnlyCallback implements Consumer<Object> {
  /** For subclasses. */
  protected NotifyOnlyCallback() {}

  @Override
  public final boolean equals(Object other) {
    return this == other;
  }

  @Override
  public final int hashCode() {
    return System.identityHashCode(this);
  }
}
