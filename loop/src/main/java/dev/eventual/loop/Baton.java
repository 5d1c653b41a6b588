package dev.eventual.loop;

import java.util.concurrent.locks.LockSupport;

/**
 * The run permit that the loop's thread and a task's thread pass to each other: at most one is
 * outstanding, one thread waits for it. The waiter looks a few times before it parks, because the
 * other side usually hands the permit back within a microsecond (a loop turn, or a task step up to
 * its next {@code await}), while a park and an unpark cost an OS wake-up, or with virtual threads a
 * trip through the carrier pool.
 *
 * <p>Waiting is uninterruptible, as the semaphores this replaces were: an interrupt that arrives
 * meanwhile is kept and set again once the permit is taken.
 */
final class Baton {
  /** How often {@link #acquire} looks before parking: only when another processor can release. */
  private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 128 : 0;

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

  /** Waits for the permit and takes it. */
  void acquire() {
    for (int i = SPINS; i > 0; i--) {
      if (permit) {
        permit = false;
        return;
      }
      Thread.onSpinWait();
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
}
