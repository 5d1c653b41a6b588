package dev.eventual.loop;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;

/**
 * A mutual-exclusion lock for tasks: Python's {@code asyncio.Lock} (CPython 3.13 semantics). Not
 * owned by a task: any code on the loop may release it. {@link #acquire()} suspends the calling
 * task (never the loop) until the lock is free; waiters get it in FIFO order.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var held = lock.hold()) {   // async with lock:
 *   ...
 * }
 * }</pre>
 *
 * <table>
 *   <caption>State</caption>
 *   <tr><th>field</th><th>meaning</th></tr>
 *   <tr><td>{@code locked}</td><td>true from a successful acquire until the release; a waiter
 *       woken by {@code release()} sets it again when it resumes</td></tr>
 *   <tr><td>{@code waiters}</td><td>one future per waiting acquire, oldest first; a done future
 *       at the head is a waiter already woken (it will take the lock when it runs)</td></tr>
 * </table>
 *
 * <p>Cancellation: a waiter cancelled before or after it was woken takes itself out of the queue;
 * if the lock is then free, the next waiter is woken, so no wake-up is lost.
 *
 * <p>Like all of asyncio, not thread-safe: use it from tasks and callbacks of one loop. It binds to
 * the running loop at its first wait.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code async with lock:} is {@code try (var held = lock.hold()) {...}}; {@code locked()} is
 *       {@link #isLocked()}.
 *   <li>An acquire that has to wait must be called by a task; outside one it fails with {@link
 *       IllegalStateException} and leaves the lock as it was (Python cannot call it outside a
 *       coroutine at all).
 *   <li>{@code RuntimeError} is {@link IllegalStateException}.
 *   <li>The name clashes with {@link java.util.concurrent.locks.Lock}; the loop package keeps
 *       Python's names (see the package documentation): a file that uses both qualifies one.
 * </ul>
 */
public final class Lock extends LoopBound {
  private ArrayDeque<LoopFuture<Boolean>> waiters; // null until the first wait
  private boolean locked;

  /** Creates an unlocked lock, bound to no loop yet. */
  public Lock() {}

  /**
   * Whether the lock is held: Python's {@code locked()}.
   *
   * @return true if acquired and not yet released
   */
  public boolean isLocked() {
    return locked;
  }

  /**
   * Acquires the lock, suspending the calling task until it is free: Python's {@code await
   * lock.acquire()}. Fair: if other tasks wait, this one queues behind them.
   *
   * @return true (as Python's)
   * @throws IllegalStateException if the lock is taken and the caller is not a task of a running
   *     loop, or the lock is bound to another loop
   * @throws CancellationException if the task is cancelled while it waits (the lock is then not
   *     held by it, and the next waiter is woken if the lock is free)
   */
  public boolean acquire() {
    if (!locked && (waiters == null || allCancelled())) {
      locked = true;
      return true;
    }
    if (waiters == null) {
      waiters = new ArrayDeque<>();
    }
    LoopFuture<Boolean> waiter = newWaiter();
    waiters.addLast(waiter);
    try {
      try {
        Await.await(waiter);
      } finally {
        waiters.remove(waiter);
      }
    } catch (CancellationException e) {
      if (!locked) {
        wakeUpFirst();
      }
      throw e;
    }
    locked = true;
    return true;
  }

  /**
   * Acquires the lock and returns a {@link Held} whose {@code close()} releases it: Python's {@code
   * async with lock:}.
   *
   * @return the hold, to close in a try-with-resources
   * @throws IllegalStateException as {@link #acquire()}
   * @throws CancellationException as {@link #acquire()} (nothing is held then)
   */
  public Held hold() {
    acquire();
    return new Release(this::release);
  }

  /**
   * Releases the lock and wakes the first waiter, if any: Python's {@code release()}.
   *
   * @throws IllegalStateException "Lock is not acquired." if the lock is not held
   */
  public void release() {
    if (!locked) {
      throw new IllegalStateException("Lock is not acquired.");
    }
    locked = false;
    wakeUpFirst();
  }

  private boolean allCancelled() {
    for (LoopFuture<Boolean> w : waiters) {
      if (!w.isCancelled()) {
        return false;
      }
    }
    return true;
  }

  /** Makes sure the first waiter wakes up; a done head is already on its way to the lock. */
  private void wakeUpFirst() {
    if (waiters == null || waiters.isEmpty()) {
      return;
    }
    LoopFuture<Boolean> first = waiters.peekFirst();
    if (!first.isDone()) {
      first.setResult(Boolean.TRUE);
    }
  }

  /**
   * The state, as Python's repr: {@code Lock[locked, waiters:2]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    String s = locked ? "locked" : "unlocked";
    if (waiters != null && !waiters.isEmpty()) {
      s += ", waiters:" + waiters.size();
    }
    return "Lock[" + s + "]";
  }
}
