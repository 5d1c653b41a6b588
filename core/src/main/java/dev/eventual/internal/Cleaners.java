package dev.eventual.internal;

import java.lang.ref.Cleaner;
import java.util.function.Supplier;

/**
 * The one {@link Cleaner} of eventual, for both kinds of future: it reports failed futures whose
 * exception nobody retrieved ({@link Failure}), and removes the waiters of an {@code asCompleted}
 * iteration dropped without {@code close()}. Its thread starts when first needed. If that thread
 * cannot be started (no OS thread left), nothing is watched until one can be: a failure is then
 * never reported as unretrieved, and the code that failed the future is not disturbed.
 */
public final class Cleaners {
  private Cleaners() {}

  /** The one cleaner; replaced only by tests, to stand for a thread that cannot be started. */
  static Lazy shared = new Lazy(Cleaner::create);

  /**
   * Runs {@code action} once {@code object} is unreachable, unless cleaned before.
   *
   * @param object the object to watch; {@code action} must not reach it
   * @param action what to do
   * @return the handle that runs the action early, once; or {@code null} if the cleaner's thread
   *     cannot be started now (nothing is watched)
   */
  public static Cleaner.Cleanable register(Object object, Runnable action) {
    return shared.register(object, action);
  }

  /** A cleaner created on first use, and again on a later use if creating it failed. */
  static final class Lazy {
    private final Supplier<Cleaner> create;
    private volatile Cleaner cleaner;

    /**
     * @param create makes the cleaner (and starts its thread); may throw {@link OutOfMemoryError}
     */
    Lazy(Supplier<Cleaner> create) {
      this.create = create;
    }

    /** {@link Cleaners#register}: the handle, or null while no cleaner can be created. */
    Cleaner.Cleanable register(Object object, Runnable action) {
      Cleaner c = cleaner;
      if (c == null) {
        c = create();
        if (c == null) {
          return null;
        }
      }
      return c.register(object, action);
    }

    private synchronized Cleaner create() {
      Cleaner c = cleaner;
      if (c == null) {
        try {
          c = create.get();
        } catch (OutOfMemoryError noThread) { // "unable to create native thread": try again later
          return null;
        }
        cleaner = c;
      }
      return c;
    }
  }
}
