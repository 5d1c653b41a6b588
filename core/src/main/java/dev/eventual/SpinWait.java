package dev.eventual;

/**
 * The back-off of a thread that waits for another thread's next few instructions (a store that
 * follows a CAS it has already seen): busy-wait briefly, then yield, in case that thread was
 * descheduled right there.
 */
final class SpinWait {
  /** Rounds of {@link Thread#onSpinWait()} before the waiter starts yielding. */
  static final int SPINS_BEFORE_YIELD = 64;

  private SpinWait() {}

  /**
   * Waits a little, as round {@code round} (from 0) of a wait.
   *
   * @param round how many times the caller has waited already
   */
  static void pause(int round) {
    if (round < SPINS_BEFORE_YIELD) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
  }
}
