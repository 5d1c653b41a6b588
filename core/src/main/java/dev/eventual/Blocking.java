package dev.eventual;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Blocking waits on a {@link ConcurrentFuture}: the waiting thread registers a {@link ThreadWaiter}
 * callback that unparks it, parks, and removes the waiter again on timeout or interrupt, so an
 * abandoned wait leaves nothing behind.
 */
final class Blocking {
  private Blocking() {}

  /** Blocks until done; returns the done state, or null on timeout. */
  static Object await(ConcurrentFuture<?> f, boolean timed, long nanos)
      throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (timed && nanos <= 0L) {
      Object s = f.rawState();
      return ConcurrentFuture.isDone(s) ? s : null;
    }
    BlockingGuard.checkMayBlock(f);
    long deadline = timed ? Timeouts.deadline(nanos) : 0L;
    Object spun = !timed || nanos >= SPIN_MIN_NANOS ? spinBriefly(f) : null;
    if (spun != null) {
      return spun;
    }
    ThreadWaiter waiter = new ThreadWaiter(Thread.currentThread());
    if (!f.push(waiter)) {
      return f.rawState();
    }
    for (; ; ) {
      Object s = f.rawState();
      if (ConcurrentFuture.isDone(s)) {
        return s;
      }
      if (Thread.interrupted()) {
        f.remove(waiter, true);
        throw new InterruptedException();
      }
      if (timed) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0L) {
          f.remove(waiter, true);
          s = f.rawState();
          return ConcurrentFuture.isDone(s) ? s : null;
        }
        LockSupport.parkNanos(f, remaining);
      } else {
        LockSupport.park(f);
      }
    }
  }

  /**
   * On a multiprocessor, another thread may be about to complete the future: look a few times
   * before paying for a waiter node, a park and an unpark (about a microsecond at most, as the
   * JDK's synchronous queues spin before they park). Not for an executor's task ({@link
   * ConcurrentFuture#spinBeforeBlocking()}): the spin would take a processor from the workers.
   *
   * @return the done state, or null if the future is still not done
   */
  private static Object spinBriefly(ConcurrentFuture<?> f) {
    if (!f.spinBeforeBlocking()) {
      return null;
    }
    for (int i = SPINS; i > 0; i--) {
      Object s = f.rawState();
      if (ConcurrentFuture.isDone(s)) {
        return s;
      }
      Thread.onSpinWait();
    }
    return null;
  }

  /** A timed wait shorter than this does not spin: its caller asked for a quick answer. */
  private static final long SPIN_MIN_NANOS = 100_000L;

  /** How often {@link #spinBriefly} looks: only when another processor can do the completing. */
  private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 64 : 0;

  /** As {@link #await}, for the Python-named methods: an interrupt becomes unchecked. */
  static Object awaitUnchecked(ConcurrentFuture<?> f, boolean timed, long nanos, String what) {
    try {
      return await(f, timed, nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WaitInterruptedException("Interrupted while waiting for " + what + " of " + f, e);
    }
  }

  /** As {@link #awaitUnchecked}, timed: a timeout throws {@link WaitTimeoutException}. */
  static Object awaitTimed(ConcurrentFuture<?> f, long nanos, Duration timeout, String what) {
    Object s = awaitUnchecked(f, true, nanos, what);
    if (s == null) {
      throw new WaitTimeoutException(
          "Timed out after " + Timeouts.describe(timeout) + " waiting for " + what + " of " + f);
    }
    return s;
  }

  /** A thread blocked on a future; unparked when it is done. */
  private static final class ThreadWaiter implements Consumer<Object>, ConcurrentFuture.Waker {
    private final Thread thread;

    ThreadWaiter(Thread thread) {
      this.thread = thread;
    }

    @Override
    public void accept(Object future) {
      LockSupport.unpark(thread);
    }
  }
}
