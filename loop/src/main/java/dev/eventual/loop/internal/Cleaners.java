package dev.eventual.loop.internal;

import java.lang.ref.Cleaner;

/** The loop module's one {@link Cleaner}; its thread starts when a first loop future fails. */
public final class Cleaners {
  private Cleaners() {}

  /**
   * Registers an action to run once {@code owner} is unreachable.
   *
   * @param owner the watched object; {@code action} must not refer to it
   * @param action what to run
   * @return the registration, to cancel it with {@code clean()}
   */
  public static Cleaner.Cleanable register(Object owner, Runnable action) {
    return Holder.CLEANER.register(owner, action);
  }

  private static final class Holder {
    static final Cleaner CLEANER = Cleaner.create();
  }
}
