package dev.eventual.internal;

import java.lang.ref.Cleaner;

/**
 * Core's one {@link Cleaner}: it reports failed futures whose exception nobody retrieved, and
 * removes the waiters of an {@code asCompleted} iteration dropped without {@code close()}. Its
 * thread starts when first needed.
 */
public final class Cleaners {
  private Cleaners() {}

  private static final class Holder {
    static final Cleaner CLEANER = Cleaner.create();
  }

  /**
   * Runs {@code action} once {@code object} is unreachable, unless cleaned before.
   *
   * @param object the object to watch; {@code action} must not reach it
   * @param action what to do
   * @return the handle that runs the action early, once
   */
  public static Cleaner.Cleanable register(Object object, Runnable action) {
    return Holder.CLEANER.register(object, action);
  }
}
