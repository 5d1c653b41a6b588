package dev.eventual.loop;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;

/**
 * A counter of permits for tasks: Python's {@code asyncio.Semaphore} (CPython 3.13 semantics).
 * {@link #acquire()} takes a permit, suspending the calling task (never the loop) while none is
 * free; {@link #release()} gives one back. Waiters are served FIFO: while a task waits, a newcomer
 * queues behind it even if a permit is free.
 *
 * <pre>{@code
 * Semaphore limit = new Semaphore(10);
 * try (var permit = limit.hold()) {   // async with limit:
 *   fetch(url);
 * }
 * }</pre>
 *
 * <table>
 *   <caption>State</caption>
 *   <tr><th>field</th><th>meaning</th></tr>
 *   <tr><td>{@code value}</td><td>free permits; a permit handed to a woken waiter is taken off
 *       at the wake-up, before that waiter runs</td></tr>
 *   <tr><td>{@code waiters}</td><td>one future per waiting acquire, oldest first; a done one has
 *       been handed a permit and not yet resumed</td></tr>
 * </table>
 *
 * <p>Cancellation: a waiter cancelled after it was handed a permit gives the permit back and wakes
 * the next waiter, so no permit is lost.
 *
 * <p>Like all of asyncio, not thread-safe: use it from tasks and callbacks of one loop.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code async with sem:} is {@code try (var held = sem.hold()) {...}}; {@code locked()} is
 *       {@link #isLocked()}; {@code ValueError} is {@link IllegalArgumentException}.
 *   <li>The name clashes with {@link java.util.concurrent.Semaphore}; the loop package keeps
 *       Python's names (see the package documentation): a file that uses both qualifies one.
 * </ul>
 */
public class Semaphore extends LoopBound {
  private ArrayDeque<LoopFuture<Boolean>> waiters; // null until the first wait
  int value;

  /** Creates a semaphore with one permit: Python's {@code Semaphore()}. */
  public Semaphore() {
    this(1);
  }

  /**
   * Creates a semaphore with {@code value} permits: Python's {@code Semaphore(value)}.
   *
   * @param value the initial number of permits
   * @throws IllegalArgumentException "Semaphore initial value must be >= 0" if negative
   */
  public Semaphore(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("Semaphore initial value must be >= 0, got " + value);
    }
    this.value = value;
  }

  /**
   * The number of free permits (Python's {@code _value}, shown in its repr).
   *
   * @return the free permits
   */
  public int value() {
    return value;
  }

  /**
   * Whether an {@link #acquire()} would have to wait: Python's {@code locked()}; true when no
   * permit is free, or when other tasks wait for one (FIFO).
   *
   * @return true if an acquire would suspend
   */
  public boolean isLocked() {
    if (value == 0) {
      return true;
    }
    if (waiters != null) {
      for (LoopFuture<Boolean> w : waiters) {
        if (!w.isCancelled()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Takes a permit, suspending the calling task until one is free and the tasks that waited before
   * it are served: Python's {@code await sem.acquire()}.
   *
   * @return true (as Python's)
   * @throws IllegalStateException if it must wait and the caller is not a task of a running loop,
   *     or the semaphore is bound to another loop
   * @throws CancellationException if the task is cancelled while it waits; it then holds no permit
   *     (one it was handed goes to the next waiter)
   */
  public boolean acquire() {
    if (!isLocked()) {
      value--;
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
      if (waiter.isDone() && !waiter.isCancelled()) {
        value++; // handed a permit, but not taking it
      }
      throw e;
    } finally {
      while (value > 0) { // newcomers that queued behind us for FIFO's sake
        if (!wakeUpNext()) {
          break;
        }
      }
    }
    return true;
  }

  /**
   * Takes a permit and returns a {@link Held} that gives it back: Python's {@code async with sem:}.
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
   * Gives a permit back and wakes the first waiter, if any: Python's {@code release()}. A plain
   * semaphore accepts more releases than acquires (its count grows); {@link BoundedSemaphore}
   * refuses them.
   *
   * @throws IllegalStateException (only {@link BoundedSemaphore}) on a release beyond the initial
   *     value
   */
  public void release() {
    value++;
    wakeUpNext();
  }

  /** Hands a permit to the first waiter not yet woken; false if there is none. */
  private boolean wakeUpNext() {
    if (waiters == null) {
      return false;
    }
    for (LoopFuture<Boolean> w : waiters) {
      if (!w.isDone()) {
        value--;
        w.setResult(Boolean.TRUE);
        return true;
      }
    }
    return false;
  }

  /**
   * The state, as Python's repr: {@code Semaphore[unlocked, value:2, waiters:0]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    String s = isLocked() ? "locked" : "unlocked, value:" + value;
    if (waiters != null && !waiters.isEmpty()) {
      s += ", waiters:" + waiters.size();
    }
    return getClass().getSimpleName() + "[" + s + "]";
  }
}
