package dev.eventual.loop;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for tasks: Python's {@code asyncio.Condition} (CPython 3.13 semantics). A
 * task holding the condition's {@link Lock} waits with {@link #await()}, which releases the lock,
 * suspends until {@link #signal()} or {@link #signalAll()}, and takes the lock again before it
 * returns.
 *
 * <pre>{@code
 * try (var held = cond.hold()) {               // async with cond:
 *   cond.awaitFor(() -> !items.isEmpty());     //     await cond.wait_for(...)
 *   return items.remove();
 * }
 * }</pre>
 *
 * <p>Cancellation: a waiter cancelled while it waits still takes the lock back before the {@link
 * CancellationException} leaves {@code await()} (so a {@code finally} that releases it is right); a
 * waiter that was notified but ends with an exception passes the notification on to the next waiter
 * (a spurious wake-up for it, which the protocol allows), so no notification is lost.
 *
 * <p>Like all of asyncio, not thread-safe: use it from tasks and callbacks of one loop.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code Object.wait/notify/notifyAll} are final; the loop package takes
 *       java.util.concurrent's names: {@code wait()} is {@link #await()}, {@code wait_for(p)} is
 *       {@link #awaitFor(BooleanSupplier)}, {@code notify(n)} is {@link #signal(int)}, {@code
 *       notify_all()} is {@link #signalAll()} (see the package documentation).
 *   <li>{@code wait_for}'s predicate returns a boolean, so {@link #awaitFor} returns {@code true}
 *       rather than the predicate's (truthy) value.
 *   <li>{@code async with cond:} is {@code try (var held = cond.hold()) {...}}; {@code locked()} is
 *       {@link #isLocked()}; {@code RuntimeError} is {@link IllegalStateException}.
 *   <li>The name clashes with {@link java.util.concurrent.locks.Condition}; the loop package keeps
 *       Python's names: a file that uses both qualifies one.
 * </ul>
 */
public final class Condition extends LoopBound {
  private final Lock lock;
  private final ArrayDeque<LoopFuture<Boolean>> waiters = new ArrayDeque<>();

  /** Creates a condition with a new {@link Lock} of its own. */
  public Condition() {
    this(new Lock());
  }

  /**
   * Creates a condition over {@code lock}, which several conditions may share: Python's {@code
   * Condition(lock)}.
   *
   * @param lock the underlying lock
   * @throws NullPointerException if {@code lock} is null
   */
  public Condition(Lock lock) {
    this.lock = Objects.requireNonNull(lock, "lock must not be null");
  }

  /**
   * The underlying lock.
   *
   * @return the lock
   */
  public Lock lock() {
    return lock;
  }

  /**
   * Whether the underlying lock is held: Python's {@code locked()}.
   *
   * @return the lock's state
   */
  public boolean isLocked() {
    return lock.isLocked();
  }

  /**
   * Acquires the underlying lock: Python's {@code await cond.acquire()}.
   *
   * @return true
   * @throws IllegalStateException as {@link Lock#acquire()}
   * @throws CancellationException as {@link Lock#acquire()}
   */
  public boolean acquire() {
    return lock.acquire();
  }

  /**
   * Acquires the underlying lock and returns a {@link Held} that releases it: Python's {@code async
   * with cond:}.
   *
   * @return the hold, to close in a try-with-resources
   * @throws IllegalStateException as {@link Lock#acquire()}
   * @throws CancellationException as {@link Lock#acquire()}
   */
  public Held hold() {
    return lock.hold();
  }

  /**
   * Releases the underlying lock: Python's {@code cond.release()}.
   *
   * @throws IllegalStateException "Lock is not acquired." if it is not held
   */
  public void release() {
    lock.release();
  }

  /**
   * Releases the lock, suspends the calling task until it is signalled, and takes the lock again:
   * Python's {@code await cond.wait()}. May return spuriously; callers re-check their condition (or
   * use {@link #awaitFor}).
   *
   * @return true (as Python's)
   * @throws IllegalStateException "cannot wait on un-acquired lock" if the lock is not held; or if
   *     the caller is not a task (the lock stays held then), or the condition is bound to another
   *     loop
   * @throws CancellationException if the task is cancelled while it waits; the lock is held again
   *     when this is thrown
   */
  public boolean await() {
    if (!lock.isLocked()) {
      throw new IllegalStateException("cannot wait on un-acquired lock");
    }
    Task.require("Condition.await()"); // before the lock is released: a callback cannot wait
    LoopFuture<Boolean> waiter = newWaiter();
    lock.release();
    try {
      try {
        waiters.addLast(waiter);
        try {
          Await.await(waiter);
          return true;
        } finally {
          waiters.remove(waiter);
        }
      } finally {
        reacquire();
      }
    } catch (RuntimeException | Error e) {
      // It may have come after this task was notified: pass the notification on.
      wake(1);
      throw e;
    }
  }

  /** Takes the lock back even if cancelled meanwhile; rethrows the last cancellation after. */
  private void reacquire() {
    CancellationException cancelled = null;
    while (true) {
      try {
        lock.acquire();
        break;
      } catch (CancellationException e) {
        cancelled = e;
      }
    }
    if (cancelled != null) {
      throw cancelled;
    }
  }

  /**
   * Waits until {@code predicate} holds: Python's {@code await cond.wait_for(predicate)}. Tests it
   * first, then after every wake-up, with the lock held.
   *
   * @param predicate the condition to wait for
   * @return true, once the predicate held
   * @throws NullPointerException if {@code predicate} is null
   * @throws IllegalStateException as {@link #await()}
   * @throws CancellationException as {@link #await()}
   * @throws RuntimeException what the predicate throws
   */
  public boolean awaitFor(BooleanSupplier predicate) {
    Objects.requireNonNull(predicate, "predicate must not be null");
    boolean result = predicate.getAsBoolean();
    while (!result) {
      await();
      result = predicate.getAsBoolean();
    }
    return true;
  }

  /**
   * Wakes one waiting task: Python's {@code notify()}.
   *
   * @throws IllegalStateException "cannot notify on un-acquired lock" if the lock is not held
   */
  public void signal() {
    signal(1);
  }

  /**
   * Wakes up to {@code n} waiting tasks, oldest first: Python's {@code notify(n)}. A woken task
   * returns from {@code await()} only once it has the lock again, so the caller should release it.
   *
   * @param n how many to wake; zero or less wakes none
   * @throws IllegalStateException "cannot notify on un-acquired lock" if the lock is not held
   */
  public void signal(int n) {
    if (!lock.isLocked()) {
      throw new IllegalStateException("cannot notify on un-acquired lock");
    }
    wake(n);
  }

  /**
   * Wakes every waiting task: Python's {@code notify_all()}.
   *
   * @throws IllegalStateException "cannot notify on un-acquired lock" if the lock is not held
   */
  public void signalAll() {
    signal(waiters.size());
  }

  private void wake(int n) {
    int woken = 0;
    for (LoopFuture<Boolean> w : waiters) {
      if (woken >= n) {
        break;
      }
      if (!w.isDone()) {
        woken++;
        w.setResult(Boolean.FALSE);
      }
    }
  }

  /**
   * The state, as Python's repr: {@code Condition[locked, waiters:1]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    String s = lock.isLocked() ? "locked" : "unlocked";
    if (!waiters.isEmpty()) {
      s += ", waiters:" + waiters.size();
    }
    return "Condition[" + s + "]";
  }
}
