package dev.eventual.loop;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;

/**
 * A flag that tasks can wait for: Python's {@code asyncio.Event} (CPython 3.13 semantics). {@link
 * #set()} wakes every waiting task; {@link #await()} returns at once while the flag is set.
 *
 * <p>Like all of asyncio, not thread-safe: use it from tasks and callbacks of one loop (a plain
 * thread sets it with {@code loop.callSoonThreadsafe(event::set)}). It binds to the running loop at
 * its first wait.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code wait()} is {@link #await()}: {@code Object.wait} is final, and the loop package
 *       takes java.util.concurrent's name for the same operation (see the package documentation).
 *   <li>{@code is_set()} is {@link #isSet()}.
 * </ul>
 */
public final class Event extends LoopBound {
  private final ArrayDeque<LoopFuture<Boolean>> waiters = new ArrayDeque<>();
  private boolean value;

  /** Creates an event whose flag is clear, bound to no loop yet. */
  public Event() {}

  /**
   * Whether the flag is set: Python's {@code is_set()}.
   *
   * @return the flag
   */
  public boolean isSet() {
    return value;
  }

  /** Sets the flag and wakes every waiting task: Python's {@code set()}. */
  public void set() {
    if (!value) {
      value = true;
      for (LoopFuture<Boolean> w : waiters) {
        if (!w.isDone()) {
          w.setResult(Boolean.TRUE);
        }
      }
    }
  }

  /**
   * Clears the flag: later waits suspend until the next {@link #set()}. Python's {@code clear()}.
   */
  public void clear() {
    value = false;
  }

  /**
   * Suspends the calling task until the flag is set: Python's {@code await event.wait()}. Returns
   * at once if it is set already.
   *
   * @return true (as Python's)
   * @throws IllegalStateException if the flag is clear and the caller is not a task of a running
   *     loop, or the event is bound to another loop
   * @throws CancellationException if the task is cancelled while it waits
   */
  public boolean await() {
    if (value) {
      return true;
    }
    LoopFuture<Boolean> waiter = newWaiter();
    waiters.addLast(waiter);
    try {
      Await.await(waiter);
      return true;
    } finally {
      waiters.remove(waiter);
    }
  }

  /**
   * The state, as Python's repr: {@code Event[unset, waiters:1]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    String s = value ? "set" : "unset";
    if (!waiters.isEmpty()) {
      s += ", waiters:" + waiters.size();
    }
    return "Event[" + s + "]";
  }
}
