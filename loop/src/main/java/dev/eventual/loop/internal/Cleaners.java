package dev.eventual.loop.internal;

import java.lang.ref.Cleaner;

/**
 * The loop module's one {@link Cleaner}; its thread starts when a first loop future fails. If that
 * thread cannot be started (no OS thread left), nothing is watched until one can be: a failure is
 * then never reported as unretrieved, and the code that failed the future is not disturbed.
 */
public final class Cleaners {
  private static volatile Cleaner cleaner;

  private Cleaners() {}

  /**
   * Registers an action to run once {@code owner} is unreachable.
   *
   * @param owner the watched object; {@code action} must not refer to it
   * @param action what to run
   * @return the registration, to cancel it with {@code clean()}, or null if the cleaner's thread
   *     cannot be started now
   */
  public static Cleaner.Cleanable register(Object owner, Runnable action) {
    Cleaner c = cleaner;
    if (c == null) {
      c = create();
      if (c == null) {
        return null;
      }
    }
    return c.register(owner, action);
  }

  private static synchronized Cleaner create() {
    Cleaner c = cleaner;
    if (c == null) {
      try {
        c = Cleaner.create();
      } catch (OutOfMemoryError noThread) { // "unable to create native thread": try again later
        return null;
      }
      cleaner = c;
    }
    return c;
  }
}
