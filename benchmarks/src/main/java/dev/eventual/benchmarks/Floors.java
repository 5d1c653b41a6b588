package dev.eventual.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The least a future can do, as benchmark floors: no library does less than these and still is a
 * thread-safe future. {@link Cell} is "allocate + CAS + read" (create + complete + result); {@link
 * OneSlotFuture} is a future with a single slot that holds either its one callback or its result
 * (create + one callback + complete). Neither handles exceptions, cancellation, several callbacks,
 * blocking waits or a {@code null} result: they exist to be measured, not used.
 */
final class Floors {
  private Floors() {}

  private static final VarHandle CELL_VALUE;
  private static final VarHandle SLOT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      CELL_VALUE = l.findVarHandle(Cell.class, "value", Object.class);
      SLOT = l.findVarHandle(OneSlotFuture.class, "slot", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One volatile field, set once by CAS: the floor of create + complete + result. */
  static final class Cell {
    @SuppressWarnings("unused") // accessed through CELL_VALUE
    private volatile Object value;

    /**
     * Sets the value if none is set.
     *
     * @param v the value, not null
     * @return true if this call set it
     */
    boolean complete(Object v) {
      return CELL_VALUE.compareAndSet(this, null, v);
    }

    /**
     * The value, or null if none is set yet.
     *
     * @return the value
     */
    Object get() {
      return value;
    }
  }

  /** The one callback of a {@link OneSlotFuture}: receives the result. */
  @FunctionalInterface
  interface Callback {
    /**
     * Receives the result.
     *
     * @param result the result
     */
    void accept(Object result);
  }

  /**
   * A future with one slot: null while pending, then its callback (pending with a callback), then
   * its result. A result must not itself be a {@link Callback}.
   */
  static final class OneSlotFuture {
    @SuppressWarnings("unused") // accessed through SLOT
    private volatile Object slot;

    /**
     * Adds the one callback; runs it at once if the future is complete.
     *
     * @param cb the callback
     */
    void onComplete(Callback cb) {
      Object s = slot;
      if (s == null && SLOT.compareAndSet(this, null, cb)) {
        return;
      }
      cb.accept(slot);
    }

    /**
     * Completes the future and runs the callback, if any.
     *
     * @param result the result, not null and not a {@link Callback}
     * @return true if this call completed it
     */
    boolean complete(Object result) {
      for (; ; ) {
        Object s = slot;
        if (s != null && !(s instanceof Callback)) {
          return false;
        }
        if (SLOT.compareAndSet(this, s, result)) {
          if (s != null) {
            ((Callback) s).accept(result);
          }
          return true;
        }
      }
    }
  }
}
