package dev.eventual.loop;

import java.util.concurrent.locks.LockSupport;

/**
 * The run permit that the loop's thread and a task's thread pass to each other: at most one is
 * outstanding, one thread waits for it. The waiter spins a little (at most 20 µs) before it parks,
 * because the other side usually hands the permit back within a microsecond (a loop turn, or a task
 * step up to its next {@code await}), while a park and an unpark cost an OS wake-up, or with
 * virtual threads a trip through the carrier pool.
 *
 * <p>Waiting is uninterruptible, as the semaphores this replaces were: an interrupt that arrives
 * meanwhile is kept and set again once the permit is taken.
 */
final class Baton {
  /**
   * How long {@link #acquire} looks before parking, only when another processor can release: long
   * enough to cover a typical step or loop turn, so that two threads taking turns run without ever
   * parking, and short next to a wake-up of a parked platform thread on a busy machine.
   */
  private static final long SPIN_NANOS =
      Runtime.getRuntime().availableProcessors() > 1 ? 20_000L : 0L;

  private volatile boolean permit;
  private volatile Thread parked;

  /** Hands the permit to the waiting thread (now or when it comes to wait). */
  void release() {
    permit = true;
    Thread t = parked;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Waits for the permit and takes it, spinning first. */
  void acquire() {
    acquire(true);
  }

  /**
   * Waits for the permit and takes it.
   *
   * @param spin whether to spin before parking: worth it only when the other side is expected to
   *     hand the permit back within microseconds
   */
  void acquire(boolean spin) {
    if (spin && SPIN_NANOS > 0L) {
      long deadline = System.nanoTime() + SPIN_NANOS;
      for (int i = 1; ; i++) {
        if (permit) {
          permit = false;
          return;
        }
        if ((i & 63) == 0 && System.nanoTime() - deadline > 0L) {
          break;
        }
        Thread.onSpinWait();
      }
    }
    Thread me = Thread.currentThread();
    parked = me;
    boolean interrupted = false;
    while (!permit) {
      LockSupport.park(this);
      if (Thread.interrupted()) {
        interrupted = true;
      }
    }
    parked = null;
    permit = false;
    if (interrupted) {
      me.interrupt();
    }
  }

  /**
   * Waits at most {@code timeoutNanos} for the permit, without spinning; takes it if it came.
   *
   * @param timeoutNanos how long to wait
   * @return whether the permit was taken
   */
  boolean tryAcquire(long timeoutNanos) {
    Thread me = Thread.currentThread();
    long deadline = System.nanoTime() + timeoutNanos;
    parked = me;
    boolean interrupted = false;
    try {
      while (!permit) {
        long left = deadline - System.nanoTime();
        if (left <= 0L) {
          return false;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          interrupted = true;
        }
      }
      permit = false;
      return true;
    } finally {
      parked = null;
      if (interrupted) {
        me.interrupt();
      }
    }
  }
}
