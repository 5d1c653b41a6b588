package dev.eventual.stress;

import dev.eventual.ConcurrentFuture;
import java.lang.reflect.Method;

/**
 * Reads a future's raw state word (package-private {@code ConcurrentFuture.rawState()}) so that the
 * leak tests can see that nothing is left installed. Works because the tests run on the class path.
 */
final class Internals {
  private static final Method RAW_STATE;

  static {
    try {
      RAW_STATE = ConcurrentFuture.class.getDeclaredMethod("rawState");
      RAW_STATE.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Internals() {}

  /** The state word: null for a PENDING future with no callback and no waiter installed. */
  static Object rawState(ConcurrentFuture<?> f) {
    try {
      return RAW_STATE.invoke(f);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Collects garbage until {@code cleared} holds or a few rounds have passed. */
  static boolean gcUntil(java.util.function.BooleanSupplier cleared) throws InterruptedException {
    for (int i = 0; i < 20 && !cleared.getAsBoolean(); i++) {
      System.gc();
      Thread.sleep(20);
    }
    return cleared.getAsBoolean();
  }

  /** Heap in use after a collection, in bytes. */
  static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best;
  }
}
